"""gunicorn in production: `gunicorn -c gunicorn.conf.py` (the app is config.wsgi).

Slow clients must not take the site down. With sync workers each worker serves one connection
at a time from its first byte to its last, so three clients that send their request slowly held
both workers and every other visitor waited (finding 9). Threaded workers answer others while
some threads wait, and nginx in front (deploy/nginx.conf) buffers whole requests and responses,
so in production a slow client costs an nginx connection, not a gunicorn thread.

Settings come from the environment, as the app's do: WEB_CONCURRENCY, GUNICORN_THREADS,
GUNICORN_BIND (or PORT), GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS.
"""

import os

wsgi_app = "config.wsgi:application"

# Where nginx reaches this instance: loopback by default (nginx on the same machine). Set
# GUNICORN_BIND=0.0.0.0:8000 (behind a firewall) when nginx runs on another machine.
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]

# Threaded workers: each of `workers` processes runs `threads` requests at once, so a client
# that sends its request slowly holds one thread, not the whole process. Requests mostly wait
# on PostgreSQL, Redis and Argon2 (which releases the GIL), so threads help. Two processes per
# instance keep serving while one restarts; add instances (machines) to scale out.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A worker process whose main loop stops answering for `timeout` seconds is killed and
# replaced. (With threads this watches the process, not each request: nginx gives up on a
# request after proxy_read_timeout, 35 s, and answers 504.)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On restart or deploy (SIGTERM, SIGHUP) requests in flight get this long to finish.
graceful_timeout = 30
# Idle keep-alive connections from nginx are closed after this many seconds; nginx's upstream
# keepalive_timeout (4 s) is shorter, so nginx never reuses a connection gunicorn is closing.
keepalive = 5

# Bounds on what one request may send before the app sees it: a request line of at most 4 KB,
# 100 header fields of at most 8 KB each (gunicorn answers 400 beyond them). nginx has the
# same bounds in front; the body is capped at 1 MB by nginx and by the app.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Access and error log to stdout/stderr: systemd's journal or the container runtime keeps them.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%({x-forwarded-for}i)s"'

# forwarded_allow_ips is left at gunicorn's default (FORWARDED_ALLOW_IPS, else 127.0.0.1,::1):
# it only decides whose X-Forwarded-Proto gunicorn itself believes. The app decides for itself
# what to trust: TRUSTED_PROXY_COUNT=1 behind nginx makes Django read the scheme from
# X-Forwarded-Proto and allauth's rate limits take the client address from the last
# X-Forwarded-For entry (the one nginx wrote). Never "*": with nginx on another machine, set
# FORWARDED_ALLOW_IPS to nginx's address.

# Several instances may run on one machine; gunicorn 25+'s control socket would be shared by
# them (one default path), and nothing here uses it: systemd signals do restarts.
control_socket_disable = True
