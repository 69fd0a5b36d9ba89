"""gunicorn's settings for `make serve` and the systemd unit (deploy/portal-web.service).

Sync workers, one request at a time each (WEB_THREADS > 1 switches to threads); as many as
the machine's cores allow unless WEB_WORKERS says. `kill -HUP <master>` reloads the code
gracefully (new workers start, old ones finish their requests); SIGTERM shuts down,
letting running requests finish for up to graceful_timeout seconds.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
control_socket_disable = True  # no control socket in $HOME: nothing to manage it through
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is recycled now and then, so that no slow growth of memory lasts.
max_requests = 2000
max_requests_jitter = 200
# The portal logs each request itself, as JSON (portal/logs.py); gunicorn reports errors.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The proxy in front (deploy/nginx/portal.conf) sets X-Forwarded-Proto; trust it from here.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
