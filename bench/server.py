"""The server make bench measures: the product under gunicorn, as production runs it
(gunicorn.conf.py), on the bench's database, with the bare floor view mounted beside
it (bench.settings), and a tasks worker for what runs off the request (PDFs, imports).

    with Server(database_url) as server:
        server.port ...
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        # As production runs, DEBUG off, but on plain HTTP on this machine.
        "DEMO": "1",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # One address asks thousands of times: the public site's limit is not measured here.
        "PUBLIC_RATE_LIMIT": str(10**9),
        "LOG_LEVEL": "ERROR",
    }


class Server:
    def __init__(self, database_url, worker=True):
        self.database_url = database_url
        self.worker = worker
        self.port = free_port()
        self.processes = []
        self.log = open(os.devnull, "wb")  # noqa: SIM115 (closed in __exit__)

    def __enter__(self):
        env = server_env(self.database_url)
        command = [sys.executable, "-m", "gunicorn", "rectify.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        if (ROOT / "gunicorn.conf.py").exists():
            command += ["--config", str(ROOT / "gunicorn.conf.py")]
        else:
            command += ["--workers", "3"]
        self.gunicorn = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.PIPE)
        self.processes.append(self.gunicorn)
        if self.worker:
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-reload"],
                    cwd=ROOT,
                    env=env,
                    stdout=self.log,
                    stderr=self.log,
                )
            )
        self._wait()
        return self

    def _wait(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                sys.exit(f"gunicorn stopped:\n{self.gunicorn.stderr.read().decode()}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/bench/alive/", timeout=5).read()
                return
            except OSError:
                time.sleep(0.3)
        sys.exit("gunicorn did not answer within a minute")

    @property
    def workers(self):
        """The gunicorn workers' process ids (for their memory)."""
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()
        return False


def rss_mb(pid):
    """Resident memory of process PID in MB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0
