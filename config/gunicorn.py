"""gunicorn's settings for `make serve` and the systemd unit: `gunicorn -c config/gunicorn.py`."""

import os

wsgi_app = "config.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
# Long enough for a large import or a batch of PDFs; a stuck worker is still replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# The application logs each request as one JSON line (config/middleware.py); gunicorn's own
# messages (workers starting or dying) go to standard error.
accesslog = None
errorlog = "-"
# No control socket for `gunicornc`: its default path ($HOME/.gunicorn/gunicorn.ctl) would be shared by
# every instance of one user, such as two servers on different ports.
control_socket_disable = True
# The longest address a valid API request makes (`q` and `q_historial`, 200 characters each of up to
# 4 bytes, percent-encoded: 4,800 bytes, plus the filters) does not fit gunicorn's default 4,094; 8,190
# is its maximum, and nginx's default buffers (8k) match it.
limit_request_line = 8190
