"""gunicorn settings for bot.serve:wsgi_app(); flags in the Procfile take precedence.

gunicorn itself reads $PORT (bind) and $WEB_CONCURRENCY (workers) when they are not given.
"""

threads = 4  # per worker: Slack requests are short, listener work runs on Bolt's own pool
timeout = 30
# The platform sends SIGTERM and kills 30 s later: finish requests within 25 s, then drain Bolt's pool.
graceful_timeout = 25
accesslog = None  # the app logs what matters, without user text


def worker_exit(server, worker):
    """Runs in the worker as it stops: let acknowledged listener work finish, close the database."""
    close = getattr(getattr(worker, "wsgi", None), "close", None)
    if callable(close):
        close()
