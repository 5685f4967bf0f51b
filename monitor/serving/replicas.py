"""N Streamlit replicas behind nginx: ``python -m monitor serve --replicas N`` (``make run``,
``make serve-replicas N=2``).

* nginx (Debian's package) is started by this launcher in a private prefix, a temporary
  folder with its own configuration, pid file, logs and temp paths; the system's nginx
  service is never touched. The configuration is ``deploy/nginx/monitor.conf.template``
  rendered for the replicas' ports (``render_nginx_conf``): sticky sessions by a cookie,
  the WebSocket upgrade for ``/_stcore/stream``; the frontend straight from disk: the Dutch
  ``index.html`` for ``/`` and every page path, uncached, and Streamlit's content-hashed files
  with long cache headers, from the folder the launcher rendered (``static_dir``:
  ``ui.serve.frontend_folder``, a copy of Streamlit's static folder with the Dutch index).
* Each replica is ``python -m monitor serve`` (the same profile, production unless
  ``--dev``) on 127.0.0.1 and a port of its own. All replicas share one
  ``server.cookieSecret`` (``cookie_secret``), passed in the environment, never on the
  command line: a cookie signed by one replica (Streamlit's XSRF cookie, an OIDC login)
  is valid on every other, so a user moved to another replica stays logged in.
* A replica that dies is started again on its port; meanwhile nginx sends its users to
  the others. Stopping the launcher (Ctrl-C, SIGTERM) stops nginx and every replica.

Writes from several replicas at once are safe because every write takes the dataset
folder's lock (``fcntl.flock`` on a file in the folder, see ``monitor.data.store``) and recorded
changes are new, append-only event files. That needs a file system with working ``flock``
between processes: a local disk (ext4, xfs, btrfs, tmpfs) or a network file system whose
locks work across machines (NFSv4 with its lock manager, CephFS, GPFS); not an NFS mount
without lock support (``nolock``), nor SMB/CIFS without it, nor an object-store mount.
"""

from __future__ import annotations

import json
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from monitor import settings
from monitor.data.store import REPO_ROOT
from monitor.serving.netutil import free_ports, healthy, stop_process

TEMPLATE = REPO_ROOT / "deploy" / "nginx" / "monitor.conf.template"
COOKIE_SECRET_FILE = REPO_ROOT / ".streamlit" / "cookie-secret"
COOKIE_SECRET_ENV = "MONITOR_COOKIE_SECRET"
MIME_TYPES = Path("/etc/nginx/mime.types")
# Types of Streamlit's frontend files, for a machine without /etc/nginx/mime.types.
FALLBACK_TYPES = {"text/html": "html", "text/css": "css", "application/javascript": "js mjs",
                  "application/json": "json", "application/manifest+json": "webmanifest",
                  "image/svg+xml": "svg", "image/png": "png", "image/x-icon": "ico",
                  "font/woff2": "woff2", "font/woff": "woff", "font/ttf": "ttf", "application/wasm": "wasm"}
RESTART_AFTER_S = 2.0  # a replica that keeps failing is started at most this often
# nginx's connections: as many as the open-file limit allows, up to this; never fewer
# than the floor (where the hard limit is lower, nginx logs that it could not raise it).
MAX_WORKER_CONNECTIONS = 16384
MIN_WORKER_CONNECTIONS = 4096
_PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")


class ReplicaError(Exception):
    """The replicas or nginx could not be started (Dutch message)."""


def render(template: str, values: dict[str, str]) -> str:
    """Fill ``{{ name }}`` placeholders; every placeholder must have a value and every
    value a placeholder (a typo in either is an error, not a silently broken config)."""
    used = set(_PLACEHOLDER.findall(template))
    missing, unused = used - set(values), set(values) - used
    if missing or unused:
        raise ValueError(f"sjabloon en waarden passen niet: ontbreekt {sorted(missing)}, over {sorted(unused)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def nginx_limits(raise_soft: bool = False) -> tuple[int, int]:
    """(worker_connections, worker_rlimit_nofile) for this machine: two open files per
    connection (visitor and replica) plus some, within the hard RLIMIT_NOFILE. With
    ``raise_soft``, this process's soft limit is raised to that many (nginx inherits it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    files = 2 * MAX_WORKER_CONNECTIONS + 1024
    files = files if hard == resource.RLIM_INFINITY else min(hard, files)
    if raise_soft and soft != resource.RLIM_INFINITY and soft < files:
        resource.setrlimit(resource.RLIMIT_NOFILE, (files, hard))
    connections = max(MIN_WORKER_CONNECTIONS, min(MAX_WORKER_CONNECTIONS, (files - 1024) // 2))
    return connections, max(files, 2 * connections + 1024)


def render_nginx_conf(ports: list[int], listen: str, prefix: Path, *, static_dir: Path,
                      mime_types: Path | None = MIME_TYPES, access_log: bool = False,
                      max_upload_mb: int = 200, template: str | None = None,
                      limits: tuple[int, int] | None = None) -> str:
    """The nginx configuration for replicas on 127.0.0.1 at ``ports``, listening on
    ``listen`` (``8501`` or ``127.0.0.1:8501``); ``limits``: (worker_connections,
    worker_rlimit_nofile), by default :func:`nginx_limits`."""
    connections, files = limits or nginx_limits()
    if not ports:
        raise ValueError("minstens één replica")
    if mime_types is not None and mime_types.exists():
        types = f"include {mime_types};"
    else:
        types = "types {\n" + "\n".join(f"        {t} {ext};" for t, ext in FALLBACK_TYPES.items()) + "\n    }"
    values = {
        "prefix": str(prefix),
        "listen": listen,
        "static_dir": str(static_dir),
        "mime_types": types,
        "access_log": f"{prefix}/access.log" if access_log else "off",
        "max_upload_mb": str(max_upload_mb),
        "worker_connections": str(connections),
        "worker_rlimit_nofile": str(files),
        # A replica is taken out for 5 s after 2 failed attempts within 5 s (connection refused:
        # killed or restarting); each failed attempt is passed on to another replica at once.
        "upstream_servers": "\n".join(f"        server 127.0.0.1:{p} max_fails=2 fail_timeout=5s;" for p in ports),
        # The last address nginx tried is the one that answered (after a failover it lists all).
        "replica_names": "\n".join(f'        "~(^|\\s)127\\.0\\.0\\.1:{p}$" r{i};' for i, p in enumerate(ports, 1)),
        "replica_routes": "\n".join(f"        r{i} monitor_r{i};" for i in range(1, len(ports) + 1)),
        "replica_upstreams": "\n".join(_replica_upstream(i, ports) for i in range(1, len(ports) + 1)),
    }
    return render(template if template is not None else TEMPLATE.read_text(encoding="utf-8"), values)


def _replica_upstream(number: int, ports: list[int]) -> str:
    """The group of the browsers whose cookie names replica ``number`` (1-based): that replica,
    and the others as backups for when it is down."""
    own = ports[number - 1]
    lines = [f"    upstream monitor_r{number} {{", f"        server 127.0.0.1:{own} max_fails=2 fail_timeout=5s;"]
    lines += [f"        server 127.0.0.1:{p} backup;" for p in ports if p != own]
    return "\n".join([*lines, "    }"])


def cookie_secret(path: Path = COOKIE_SECRET_FILE, environ: dict | None = None) -> str:
    """The secret all replicas sign cookies with: ``MONITOR_COOKIE_SECRET`` when set, else
    the file (outside git), created once with 32 random bytes, readable by the owner only."""
    secret = settings.raw(COOKIE_SECRET_ENV, environ)
    if secret:
        return secret
    try:
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    try:
        os.link(tmp, path)  # never replaces a secret another launcher just wrote
    except FileExistsError:
        value = path.read_text(encoding="utf-8").strip()
    finally:
        tmp.unlink()
    return value


def split_listen(args: list[str]) -> tuple[list[str], str, int]:
    """Take ``--server.port`` and ``--server.address`` out of ``streamlit run`` options: in
    replica mode they are nginx's. Returns (other options, address, port)."""
    rest, address, port = [], "", 8501
    items = iter(args)
    for item in items:
        key, eq, value = item.partition("=")
        if key in ("--server.port", "--server.address"):
            value = value if eq else next(items, "")
            if key == "--server.port":
                port = int(value)
            else:
                address = value
        else:
            rest.append(item)
    return rest, address, port


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                          if os.access(p, os.X_OK)), None)


@dataclass
class Replica:
    name: str
    port: int
    proc: subprocess.Popen | None = None
    restarts: int = 0
    started: float = 0.0


class Cluster:
    """The replicas and nginx of one ``serve --replicas`` run."""

    def __init__(self, count: int, streamlit_args: list[str], *, static_dir: Path, dev: bool = False, log=None,
                 ports: list[int] | None = None, env: dict | None = None):
        rest, address, self.port = split_listen(streamlit_args)
        self.listen = f"{address}:{self.port}" if address else str(self.port)
        self.args = rest
        self.static_dir = Path(static_dir)
        self.dev = dev
        self.log = log if log is not None else sys.stderr
        ports = ports or free_ports(count, {self.port})
        self.replicas = [Replica(f"r{i}", p) for i, p in enumerate(ports, 1)]
        self.prefix = Path(tempfile.mkdtemp(prefix="monitor-nginx-"))
        self.prefix.chmod(0o755)  # nginx's workers (a user without rights when started as root) use it
        self.nginx: subprocess.Popen | None = None
        base = dict(os.environ if env is None else env)
        self.env = dict(base, STREAMLIT_SERVER_COOKIE_SECRET=cookie_secret(environ=base))
        self.env.pop(COOKIE_SECRET_ENV, None)

    def replica_command(self, replica: Replica) -> list[str]:
        return [sys.executable, "-m", "monitor", "serve", "--behind-nginx", *(["--dev"] if self.dev else []), *self.args,
                "--server.port", str(replica.port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--logger.hideWelcomeMessage", "true"]

    def start_replica(self, replica: Replica) -> None:
        replica.started = time.monotonic()
        replica.proc = subprocess.Popen(self.replica_command(replica), cwd=REPO_ROOT, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.write_state()

    def write_state(self) -> None:
        """``replicas.json`` in the prefix: name, port, pid and restarts of every replica (for
        an operator, and the tests that kill one)."""
        state = {"listen": self.listen, "nginx_pid": self.nginx.pid if self.nginx else None,
                 "replicas": [{"name": r.name, "port": r.port, "pid": r.proc.pid if r.proc else None,
                               "restarts": r.restarts} for r in self.replicas]}
        tmp = self.prefix / "replicas.json.tmp"
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        os.replace(tmp, self.prefix / "replicas.json")

    def start(self, timeout: float = 180.0, attempt_s: float = 60.0, attempts: int = 3) -> None:
        """Start every replica, then nginx in front of them. A replica that stops while starting
        (its port taken after ``free_ports`` chose it, a crash) or does not answer within
        ``attempt_s`` seconds is started again on a new free port, at most ``attempts`` times
        and within ``timeout`` seconds in all; nginx learns the ports only after that."""
        nginx = find_nginx()
        if nginx is None:
            raise ReplicaError("nginx ontbreekt: installeer Debian's pakket nginx (apt-get install nginx).")
        for replica in self.replicas:
            self.start_replica(replica)
        deadline = time.monotonic() + timeout
        for replica in self.replicas:
            tries = 1
            while not healthy(replica.port):
                code = replica.proc.poll()
                waited = time.monotonic() - replica.started
                if code is None and waited <= attempt_s and time.monotonic() <= deadline:
                    time.sleep(0.2)
                    continue
                why = (f"stopte met code {code}" if code is not None
                       else f"antwoordde na {waited:.0f} s nog niet")
                if tries >= attempts or time.monotonic() > deadline:
                    self.stop()
                    raise ReplicaError(f"replica {replica.name} (poort {replica.port}) startte niet: {why} "
                                       f"(poging {tries} van {attempts}; de uitvoer staat hierboven)")
                if code is None:
                    stop_process(replica.proc)
                taken = {self.port, *(r.port for r in self.replicas)}
                replica.port = free_ports(1, taken)[0]
                tries += 1
                print(f"replica {replica.name} {why}; opnieuw gestart op poort {replica.port}",
                      file=self.log, flush=True)
                self.start_replica(replica)
        conf = self.prefix / "nginx.conf"
        conf.write_text(render_nginx_conf([r.port for r in self.replicas], self.listen, self.prefix,
                                          static_dir=self.static_dir,
                                          limits=nginx_limits(raise_soft=True)), encoding="utf-8")
        command = [nginx, "-p", str(self.prefix), "-c", str(conf), "-e", str(self.prefix / "error.log")]
        check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            self.stop()
            raise ReplicaError(f"nginx-configuratie afgekeurd:\n{check.stderr.strip()}")
        self.nginx = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.write_state()
        while not healthy(self.port):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                errors = (self.prefix / "error.log").read_text(errors="replace")[-2000:]
                self.stop()
                raise ReplicaError(f"nginx startte niet op {self.listen}:\n{errors}")
            time.sleep(0.1)

    def watch_once(self) -> bool:
        """Start a replica that died again on its port; False when nginx itself stopped."""
        for replica in self.replicas:
            if replica.proc is not None and replica.proc.poll() is not None \
                    and time.monotonic() - replica.started > RESTART_AFTER_S:
                code = replica.proc.returncode
                replica.restarts += 1
                print(f"replica {replica.name} (poort {replica.port}) stopte (code {code}); opnieuw gestart",
                      file=self.log, flush=True)
                self.start_replica(replica)
        return self.nginx is not None and self.nginx.poll() is None

    def stop(self) -> None:
        procs = ([self.nginx] if self.nginx else []) + [r.proc for r in self.replicas if r.proc]
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        shutil.rmtree(self.prefix, ignore_errors=True)


def run(count: int, streamlit_args: list[str], *, static_dir: Path, dev: bool = False) -> int:
    """Serve with ``count`` replicas behind nginx until stopped; nginx serves the frontend in
    ``static_dir``."""
    cluster = Cluster(count, streamlit_args, static_dir=static_dir, dev=dev)
    stopping = False

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        cluster.start()
    except ReplicaError as exc:
        print(f"Starten mislukt: {exc}", file=sys.stderr)
        return 1
    host = cluster.listen.rsplit(":", 1)[0] if ":" in cluster.listen else "localhost"
    print(f"Twentse Koers Monitor: http://{host}:{cluster.port} (nginx, {count} replica's op poort "
          f"{', '.join(str(r.port) for r in cluster.replicas)}; nginx-map {cluster.prefix})", flush=True)
    try:
        while not stopping:
            if not cluster.watch_once():
                print("nginx stopte; de replica's worden gestopt", file=sys.stderr)
                return 1
            time.sleep(0.5)
    finally:
        cluster.stop()
    return 0
