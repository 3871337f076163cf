"""What the bench scripts share: production settings, a gunicorn server, sign-in.

Everything here talks to 127.0.0.1 only.
"""

import hashlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sro_bench"
HOST = "127.0.0.1"


def production_env(database_url: str, static_root: str, **extra: str) -> dict[str, str]:
    """The environment of a production server, on plain HTTP over loopback."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # The seal key the benchmark database was signed with: `seed_scale` and
        # `seed_demo` run with the development settings, whose key is derived from
        # the development SECRET_KEY (sro_portal/settings.py). Another key would show
        # every agreement as altered.
        "SIGNATURE_SEAL_KEY": os.environ.get(
            "SIGNATURE_SEAL_KEY", "development-seal:insecure-development-key-only-for-debug"
        ),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "DATABASE_URL": database_url,
        "DATABASE_POOL": "true",
        "SHOW_DEMO_ACCOUNTS": "false",
        "LOG_LEVEL": "ERROR",
    }
    env.update(extra)
    return env


def static_root() -> str:
    """A STATIC_ROOT shared by runs over the same static files and dependencies:
    collecting (and compressing 27 MB) takes half a minute, so do it once."""
    digest = hashlib.sha256((ROOT / "uv.lock").read_bytes())
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return str(Path(tempfile.gettempdir()) / f"sro-portal-static-{digest.hexdigest()[:16]}")


def collectstatic(env: dict[str, str]) -> None:
    """Collect into env's STATIC_ROOT unless a finished collection is already there."""
    if (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():
        return
    subprocess.run(
        [VENV_BIN / "python", "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process with the servers' settings (for ORM look-ups
    and counting queries with the test client)."""
    os.environ.update(env)
    # The test client calls itself "testserver".
    os.environ["ALLOWED_HOSTS"] = f"{HOST},testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class Server:
    """One gunicorn (a master and its workers) on a loopback port."""

    def __init__(
        self,
        env: dict[str, str],
        port: int,
        *,
        workers: int = 2,
        worker_class: str = "sync",
        threads: int = 1,
        log_dir: str | None = None,
    ):
        self.env, self.port = env, port
        self.log_path = (
            Path(log_dir or tempfile.mkdtemp(prefix="sro-bench-")) / f"gunicorn-{port}.log"
        )
        self.args = [
            str(VENV_BIN / "gunicorn"),
            "sro_portal.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            # gunicorn 27 shares one control socket between every gunicorn on the
            # machine unless told not to.
            "--no-control-socket",
            "--error-logfile",
            str(self.log_path),
        ]
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 30) -> "Server":
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                if get(self.port, "/healthz")[0] == 200 and len(self.worker_pids()) > 0:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on port {self.port}; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            return []
        return [int(child) for child in children]

    def worker_rss_kib(self) -> dict[int, int]:
        """Resident memory of each worker, from /proc."""
        sizes = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[pid] = int(line.split()[1])
        return sizes


def get(port: int, path: str, cookie: str = "", timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _cookies(response: http.client.HTTPResponse) -> SimpleCookie:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return jar


def _named(jar, name: str) -> str | None:
    """The cookie `name` under either of its names: production settings call it
    `__Host-<name>` when cookies are Secure, as the bench's are (over plain HTTP)."""
    for candidate in (f"__Host-{name}", name):
        if candidate in jar:
            return candidate
    return None


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the form, as a browser does (CSRF token included); return the
    Cookie header value that carries the session."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", "/accounts/login/")
        response = connection.getresponse()
        page = response.read().decode()
        jar = _cookies(response)
        csrf_name = _named(jar, "csrftoken")
        csrf_cookie = jar[csrf_name].value
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    finally:
        connection.close()
    from urllib.parse import urlencode

    body = urlencode({"username": email, "password": password, "csrfmiddlewaretoken": token})
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{csrf_name}={csrf_cookie}",
                "Referer": f"http://{HOST}:{port}/accounts/login/",
            },
        )
        response = connection.getresponse()
        response.read()
        jar = _cookies(response)
    finally:
        connection.close()
    session_name = _named(jar, "sessionid")
    if response.status != 302 or session_name is None:
        raise RuntimeError(f"Signing in as {email} failed ({response.status}).")
    # Signing in rotates the CSRF secret.
    csrf_cookie = jar[csrf_name].value if csrf_name in jar else csrf_cookie
    return f"{session_name}={jar[session_name].value}; {csrf_name}={csrf_cookie}"


def post(port: int, path: str, cookie: str, data: dict[str, str] | None = None) -> int:
    """POST as a signed-in browser would, with the CSRF secret of the cookie."""
    from urllib.parse import urlencode

    jar = SimpleCookie(cookie)
    csrf = jar[_named(jar, "csrftoken")].value
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=urlencode(data or {}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "X-CSRFToken": csrf,
                "Referer": f"http://{HOST}:{port}{path}",
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: float(v))
    return versions[-1]
