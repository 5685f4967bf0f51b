"""nginx in front of the replicas (monitor/serving/replicas.py): the rendered configuration, the shared
cookie secret, the listen options. nginx itself checks the configuration (nginx -t) when it is
installed; the browser tests (tests/browser/test_replicas_browser.py) run it."""

from __future__ import annotations

import stat
import subprocess
import urllib.error
import urllib.request

import pytest

from monitor.serving import replicas, static_nl
from monitor.serving.netutil import free_ports, wait_until_answers
from ui.serve import frontend_folder


def _conf(tmp_path, ports=(9101, 9102), listen="127.0.0.1:9100", **kwargs) -> str:
    return replicas.render_nginx_conf(list(ports), listen, tmp_path, static_dir=frontend_folder(),
                                      **kwargs)


def test_every_replica_is_an_upstream_with_a_name(tmp_path):
    text = _conf(tmp_path, ports=(9101, 9102, 9103))
    ports = (9101, 9102, 9103)
    for i, port in enumerate(ports, 1):
        assert f"server 127.0.0.1:{port} max_fails=2" in text
        assert f'"~(^|\\s)127\\.0\\.0\\.1:{port}$" r{i};' in text  # the last address tried answered
        assert f"r{i} monitor_r{i};" in text  # the cookie names the replica's own group
        group = text.split(f"upstream monitor_r{i} {{", 1)[1].split("}", 1)[0]
        assert f"server 127.0.0.1:{port} max_fails=2" in group
        assert all(f"server 127.0.0.1:{other} backup;" in group for other in ports if other != port)
    assert "listen 127.0.0.1:9100;" in text
    assert "{{" not in text and "}}" not in text


def test_sticky_by_cookie_websocket_upgrade_and_long_cached_static_files(tmp_path):
    text = _conf(tmp_path)
    assert "least_conn;" in text.split("upstream monitor_replicas {", 1)[1].split("}", 1)[0]
    assert "tkm_replica=$monitor_replica;" in text
    assert "$request_id" not in text
    assert "proxy_pass http://monitor_replicas" not in text  # always through the cookie's group
    stream = text.split("location /_stcore/stream {", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://$monitor_upstream;" in stream
    assert "add_header Set-Cookie $monitor_set_cookie always;" in stream  # on the 101 as well
    health = text.split("location ~ ^/_stcore/(health|host-config)$ {", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://$monitor_upstream;" in health and "Set-Cookie" not in health
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert "proxy_http_version 1.1;" in stream
    static = text.split("location /static/ {", 1)[1].split("}", 1)[0]
    assert f"alias {frontend_folder()}/static/;" in static
    assert "max-age=31536000, immutable" in static
    assert (frontend_folder() / "static" / "js").is_dir()


def test_everything_nginx_writes_stays_in_its_prefix(tmp_path):
    text = _conf(tmp_path, access_log=True)
    for directive in ("pid", "error_log", "access_log", "client_body_temp_path", "proxy_temp_path"):
        line = next(x for x in text.splitlines() if x.strip().startswith(directive + " "))
        assert str(tmp_path) in line, line


def test_without_mime_types_file_the_frontends_types_are_inline(tmp_path):
    text = _conf(tmp_path, mime_types=tmp_path / "missing.types")
    assert "application/javascript js mjs;" in text and "include " not in text


def test_a_template_placeholder_without_value_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="ontbreekt"):
        replicas.render("listen {{ listen }}; {{ typo }}", {"listen": "1"})
    with pytest.raises(ValueError, match="over"):
        replicas.render("listen {{ listen }};", {"listen": "1", "extra": "2"})
    with pytest.raises(ValueError):
        replicas.render_nginx_conf([], "9000", tmp_path, static_dir=tmp_path)


@pytest.mark.skipif(replicas.find_nginx() is None, reason="nginx ontbreekt")
def test_nginx_accepts_the_configuration(tmp_path):
    tmp_path.chmod(0o755)
    conf = tmp_path / "nginx.conf"
    conf.write_text(_conf(tmp_path), encoding="utf-8")
    result = subprocess.run([replicas.find_nginx(), "-p", str(tmp_path), "-c", str(conf), "-e",
                             str(tmp_path / "error.log"), "-t"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_cookie_secret_is_made_once_private_and_shared(tmp_path):
    path = tmp_path / ".streamlit" / "cookie-secret"
    first = replicas.cookie_secret(path, environ={})
    assert len(first) == 64 and int(first, 16) >= 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert replicas.cookie_secret(path, environ={}) == first  # every replica, every start
    assert replicas.cookie_secret(path, environ={"MONITOR_COOKIE_SECRET": "uit-de-omgeving"}) == "uit-de-omgeving"
    assert [p.name for p in path.parent.iterdir()] == ["cookie-secret"]  # no temporary file left


def test_the_cookie_secret_file_is_outside_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", str(replicas.COOKIE_SECRET_FILE)],
                             cwd=replicas.REPO_ROOT)
    assert ignored.returncode == 0


def test_the_cluster_passes_the_secret_in_the_environment_not_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_COOKIE_SECRET", "geheim-123")
    cluster = replicas.Cluster(2, ["--server.port", "9200", "--server.address=127.0.0.1", "--x", "y"],
                               static_dir=tmp_path, ports=[9201, 9202])
    try:
        assert cluster.listen == "127.0.0.1:9200"
        assert cluster.env["STREAMLIT_SERVER_COOKIE_SECRET"] == "geheim-123"
        assert "MONITOR_COOKIE_SECRET" not in cluster.env
        command = cluster.replica_command(cluster.replicas[1])
        assert "geheim-123" not in " ".join(command)
        assert command[-8:] == ["--server.port", "9202", "--server.address", "127.0.0.1", "--server.headless",
                                "true", "--logger.hideWelcomeMessage", "true"]
        assert "--x" in command and "9200" not in command
    finally:
        cluster.stop()
    assert not cluster.prefix.exists()


def test_listen_options_are_taken_out_for_nginx():
    assert replicas.split_listen(["--server.port", "8600", "--a", "b"]) == (["--a", "b"], "", 8600)
    assert replicas.split_listen(["--server.address=0.0.0.0"]) == ([], "0.0.0.0", 8501)


def test_slow_visitors_are_timed_out_and_one_address_is_limited(tmp_path):
    """Against slow and abusive clients: short header and body timeouts with a reset, a connection limit per address,
    rate limits on login and upload, enough connections; the WebSocket keeps its long timeout."""
    text = _conf(tmp_path, limits=(9000, 20000))
    for line in ("client_header_timeout 10s;", "client_body_timeout 10s;", "reset_timedout_connection on;",
                 "limit_conn_zone $binary_remote_addr zone=monitor_per_address:10m;",
                 "limit_conn monitor_per_address 400;", "worker_connections 9000;", "worker_rlimit_nofile 20000;",
                 "limit_req zone=monitor_login burst=60 nodelay;", "limit_req zone=monitor_upload burst=40 nodelay;"):
        assert line in text, line
    stream = text.split("location /_stcore/stream {", 1)[1].split("}", 1)[0]
    assert "proxy_read_timeout 1d;" in stream and "limit_req" not in stream


def test_nginx_gets_connections_from_the_open_file_limit():
    import resource

    connections, files = replicas.nginx_limits()
    assert replicas.MIN_WORKER_CONNECTIONS <= connections <= replicas.MAX_WORKER_CONNECTIONS
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY or hard >= 2 * replicas.MIN_WORKER_CONNECTIONS + 1024:
        assert files >= 2 * connections + 1024 - 1 and (hard == resource.RLIM_INFINITY or files <= hard)


def test_a_replica_behind_nginx_leaves_the_frontend_to_nginx(tmp_path):
    cluster = replicas.Cluster(1, ["--server.port", "9300"], static_dir=tmp_path, ports=[9301])
    try:
        assert "--behind-nginx" in cluster.replica_command(cluster.replicas[0])
    finally:
        cluster.stop()


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), ""


@pytest.mark.skipif(replicas.find_nginx() is None, reason="nginx ontbreekt")
def test_nginx_serves_the_dutch_index_and_the_frontend_files_itself(tmp_path):
    """The launcher's frontend folder served by a real nginx whose one replica is not running:
    what nginx answers itself works, what it passes on fails (502)."""
    tmp_path.chmod(0o755)
    folder = frontend_folder()
    port, dead = free_ports(2)
    conf = tmp_path / "nginx.conf"
    conf.write_text(replicas.render_nginx_conf([dead], f"127.0.0.1:{port}", tmp_path, static_dir=folder),
                    encoding="utf-8")
    nginx = subprocess.Popen([replicas.find_nginx(), "-p", str(tmp_path), "-c", str(conf), "-e",
                              str(tmp_path / "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_answers(url + "/index.html", nginx, 20, 0.05)
        for path in ("/", "/index.html", "/ouderen", "/veilig-thuis"):
            status, headers, body = _get(url + path)
            assert status == 200, path
            assert '<html lang="nl">' in body and static_nl.APP_TITLE in body, path
            assert "scrollable-region-focusable" in body, path  # the head scripts
            assert headers["Cache-Control"] == "no-cache"
            assert "Set-Cookie" not in headers  # the replica is chosen with the WebSocket
        bundle = next((folder / "static" / "js").glob("*.js")).name
        status, headers, _ = _get(f"{url}/static/js/{bundle}")
        assert status == 200 and "immutable" in headers["Cache-Control"]
        assert _get(url + "/favicon.png")[0] == 200
        for path in ("/_stcore/health", "/oauth2callback", "/auth/login", "/media/x.png"):
            assert _get(url + path)[0] == 502, path  # passed on to the replica
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


@pytest.mark.skipif(replicas.find_nginx() is None, reason="nginx ontbreekt")
def test_a_replica_whose_port_was_taken_while_starting_starts_again_on_another(tmp_path):
    """Between ``free_ports`` choosing a port and the replica binding it, another program may take
    it (a second test worker, an outgoing connection): that replica stops at once. The cluster
    starts it again on a new free port, says so, and nginx points at the port that answers."""
    import socket

    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        listen = free_ports(1, {taken})[0]
        log = open(tmp_path / "cluster.log", "a", encoding="utf-8")  # noqa: SIM115 - the replicas write to it too
        cluster = replicas.Cluster(1, ["--server.port", str(listen), "--server.address", "127.0.0.1"],
                                   static_dir=frontend_folder(), ports=[taken], log=log)
        try:
            cluster.start(timeout=120)
            replica = cluster.replicas[0]
            assert replica.port != taken
            log.flush()
            said = (tmp_path / "cluster.log").read_text(encoding="utf-8")
            assert f"replica r1 stopte met code 1; opnieuw gestart op poort {replica.port}" in said, said
            assert f"127.0.0.1:{replica.port}" in (cluster.prefix / "nginx.conf").read_text()
            assert _get(f"http://127.0.0.1:{listen}/_stcore/health")[0] == 200
        finally:
            cluster.stop()
            log.close()


class _Replica:
    """A stand-in replica for nginx's routing: a real HTTP server on a port that answers every
    GET with 200; ``/media/slow`` is held open until ``release`` is set."""

    def __init__(self, port: int, held: list, release):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                if self.path == "/media/slow":
                    held.append(port)
                    release.wait(20)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _get_with(url: str, cookie: str | None = None) -> tuple[str | None, str | None]:
    """(the replica that answered, the Set-Cookie nginx sent)."""
    request = urllib.request.Request(url, headers={"Cookie": f"tkm_replica={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.headers.get("X-Monitor-Replica"), answer.headers.get("Set-Cookie")


@pytest.mark.skipif(replicas.find_nginx() is None, reason="nginx ontbreekt")
def test_a_new_visitor_goes_to_the_least_busy_replica_and_stays_there(tmp_path):
    """The routing of the rendered configuration in a real nginx, in front of two stand-in
    replicas: a request without the cookie goes to the replica with fewer open connections
    and the answer names it in ``tkm_replica``; with the cookie every request goes to that
    replica; when it is down another answers and the cookie moves along. The health check
    sets no cookie (the WebSocket that follows it is placed by the open connections)."""
    import threading

    tmp_path.chmod(0o755)
    listen, one, two = free_ports(3)
    held, release = [], threading.Event()
    stand_ins = {"r1": _Replica(one, held, release), "r2": _Replica(two, held, release)}
    conf = tmp_path / "nginx.conf"
    conf.write_text(replicas.render_nginx_conf([one, two], f"127.0.0.1:{listen}", tmp_path,
                                               static_dir=frontend_folder()), encoding="utf-8")
    nginx = subprocess.Popen([replicas.find_nginx(), "-p", str(tmp_path), "-c", str(conf), "-e",
                              str(tmp_path / "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{listen}"
    slow = None
    try:
        assert wait_until_answers(url + "/index.html", nginx, 20, 0.05)
        replica, cookie = _get_with(url + "/media/a.png")
        assert replica in stand_ins and cookie == f"tkm_replica={replica}; Path=/; HttpOnly; SameSite=Lax"
        for name in ("r1", "r2"):
            for _ in range(4):
                assert _get_with(url + "/media/a.png", name) == (name, None)
                assert _get_with(url + "/_stcore/health", name) == (name, None)

        # One visitor's connection held open on a replica: new visitors go to the other one.
        slow = threading.Thread(target=_get_with, args=(url + "/media/slow",), daemon=True)
        slow.start()
        for _ in range(200):
            if held:
                break
            threading.Event().wait(0.02)
        busy = "r1" if held == [one] else "r2"
        idle = "r2" if busy == "r1" else "r1"
        for path in ("/_stcore/health", "/_stcore/host-config", "/media/b.png", "/media/c.png"):
            replica, cookie = _get_with(url + path)
            assert replica == idle, path
            assert (cookie is None) == path.startswith("/_stcore/"), path
        assert _get_with(url + "/media/a.png", "een-oude-sleutel")[0] == idle  # not a replica's name
        release.set()
        slow.join(10)

        # Replica r1 down: its visitors are answered by r2 and their cookie moves to r2.
        stand_ins.pop("r1").stop()
        assert _get_with(url + "/media/a.png", "r1") == ("r2", "tkm_replica=r2; Path=/; HttpOnly; SameSite=Lax")
        assert _get_with(url + "/media/a.png", "r2") == ("r2", None)
    finally:
        release.set()
        nginx.terminate()
        nginx.wait(timeout=10)
        for stand_in in stand_ins.values():
            stand_in.stop()
