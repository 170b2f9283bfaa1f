"""gunicorn's settings for the portal, read from the environment:

    gunicorn -c python:styrmodell.gunicorn_conf styrmodell.wsgi

Loaded as a module, so it works from the installed wheel as from a checkout. Every log line, the
master's, the workers' and the access log's, goes to stdout through the portal's own logging
(styrmodell/logs.py): JSON lines with the request id in production, text in development.
"""

import multiprocessing
import os

from styrmodell import logs

# Where to listen: behind a reverse proxy, the address the proxy connects to.
bind = os.environ.get("STYRMODELL_BIND") or "0.0.0.0:8000"

# gunicorn's rule of thumb for its synchronous workers: two per core, and one more.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)

# The proxies whose X-Forwarded-Proto gunicorn believes, the same as the portal's (settings.py):
# none unless named, so that a client talking straight to gunicorn cannot claim HTTPS.
forwarded_allow_ips = os.environ.get("STYRMODELL_TRUSTED_PROXIES", "")

# A slow request on a large group's pages (the bench's heaviest) answers in seconds, not minutes:
# a worker still busy after this long is stuck and replaced.
timeout = int(os.environ.get("STYRMODELL_WORKER_TIMEOUT") or 60)

# The access log, one line a request; its request id is read from the response (logs.RequestIdFilter).
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
_log_format = os.environ.get("STYRMODELL_LOG_FORMAT") or (
    "text" if os.environ.get("DJANGO_DEBUG", "").lower() not in {"0", "false", "no", "off"} else "json"
)
logconfig_dict = logs.logging_config(_log_format, os.environ.get("DJANGO_LOG_LEVEL", "INFO"))
