"""The Slack surface: a Bolt app over the engine. Build it with bot.slack.app.create_app()."""
