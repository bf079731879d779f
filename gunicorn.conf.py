"""Gunicorn settings for the container image, read from the environment.

Gunicorn loads ``./gunicorn.conf.py`` by itself, so the image's command is just
``gunicorn cms.wsgi``. Defaults suit a small VM: 2 workers x 4 threads.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# WEB_CONCURRENCY is the name most platforms (and gunicorn itself) use.
workers = int(
    os.environ.get("GUNICORN_WORKERS", os.environ.get("WEB_CONCURRENCY", "2"))
)
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycling workers bounds the damage of a slow leak; jitter avoids all of them
# restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Workers are forked from a master that has already loaded the app, so a
# rolling restart (``kill -HUP``: new workers, then the old ones finish their
# requests and exit) or a recycled worker is ready at once instead of after
# loading Django and Wagtail, during which requests only queue (bench/README.md,
# "Faults"). New code therefore needs a new master: a new container, or
# ``kill -USR2`` then ``-TERM`` of the old master. GUNICORN_PRELOAD=0 turns it
# off (then HUP also loads new code, with that wait).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") not in ("0", "false", "no")

# The longest request line gunicorn reads (its own maximum, 8190 bytes; its
# default 4094): a long query that fits reaches the app, which answers it or
# names the parameter in a 400 problem; a longer one gunicorn refuses itself.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "8190"))

accesslog = "-"
errorlog = "-"
# The access log without preview tokens (cms/access_log.py).
logger_class = "cms.access_log.RedactingLogger"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Heartbeat files in memory, not on the container's overlay filesystem, where a
# slow disk write can make the arbiter kill a healthy worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The runtime control socket would need a writable $HOME; the orchestrator
# restarts or scales containers instead.
control_socket_disable = True
