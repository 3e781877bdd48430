"""gunicorn's settings for one application server of Rectify (README: 多台服务器部署).

    .venv/bin/gunicorn rectify.wsgi -c gunicorn.conf.py

Chosen for a machine of 2 cores that also runs nothing else heavy (PostgreSQL and the tasks
worker on their own machines; on one machine with them, set GUNICORN_WORKERS=2). Each value
can be changed from the environment, and anything on the command line (`--bind`,
`--workers`) wins over this file.
"""

import multiprocessing
import os

cores = multiprocessing.cpu_count()

# Where to listen: the load balancer (or nginx) in front reaches each server on this port.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes: one per core and one more. A request of Rectify is mostly Python (rendering
# the editor, the checks, the figures) between short waits on PostgreSQL; a process per
# core keeps both cores busy, the one more covers a process waiting on the database. More
# processes only take turns on the same two cores, each with its own memory (~120 MB, more
# after a large export).
workers = int(os.environ.get("GUNICORN_WORKERS", cores + 1))

# Threads: 4 in each process (gthread). A thread waiting on PostgreSQL, on a slow upload or
# on a slow client lets another thread of its process run, so a few slow requests never
# take a whole process; and gthread keeps a connection alive between requests (the editor
# saves as the user types), where the sync worker closes it after each. Not more than 4:
# Python runs one thread of a process at a time, so more threads only queue requests
# inside a process instead of in front of it. Each thread keeps its own database
# connection (CONN_MAX_AGE): 3 processes × 4 threads = 12 connections per server.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A process that has not checked in with the arbiter for 30 s is hung and is replaced. With
# threads this does not cut a long request short (the process's main loop checks in while
# a thread works): no request should be long, for long work (large imports, PDFs, a city's
# ledger in Excel) runs on the tasks worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On a restart or deploy (SIGTERM, SIGHUP), requests under way get this long to finish.
graceful_timeout = 30
# Between two requests on one kept-alive connection; the load balancer's own idle timeout
# should be longer, so that gunicorn, never the balancer, closes an idle connection.
keepalive = 5

# Memory stays bounded: a process is replaced after about 1,000 requests (what WeasyPrint,
# openpyxl and large querysets leave behind in a Python process is seldom given back to
# the system). The jitter spreads the restarts, so that the processes of a server, started
# together, never restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10

# Load the application once, before forking: a mistake in the settings stops the server at
# start instead of every process failing in a loop, and a replaced process starts at once
# by forking the loaded application (no import of Django and WeasyPrint again), which
# max_requests makes frequent. Django opens no database connection at import, so none is
# shared between processes. A new version is deployed by restarting the service, not by
# SIGHUP (which would fork the old code again).
preload_app = True

# The processes' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Requests to the journal (stdout) in the usual format, errors to stderr; GUNICORN_ACCESSLOG=0
# leaves requests out (the load balancer logs them too).
accesslog = None if os.environ.get("GUNICORN_ACCESSLOG") == "0" else "-"
errorlog = "-"
