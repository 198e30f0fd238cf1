"""Interpol bot: sourced answers about Interpol and partnering with it, for Slack and the terminal."""
