"""The launcher's arguments (ui/serve.py): the production profile by default, the
development one with --dev, the caller's options last, and what Streamlit makes of them."""

from __future__ import annotations

import pytest

from ui import serve


def _pairs(options: list[str]) -> dict[str, str]:
    return dict(zip(options[::2], options[1::2]))


def test_the_production_profile_turns_file_watching_and_run_on_save_off():
    options = _pairs(serve.profile_options("production"))
    assert options["--server.fileWatcherType"] == "none"
    assert options["--server.runOnSave"] == "false"
    assert options["--global.developmentMode"] == "false"


def test_the_development_profile_watches_and_reruns_on_save():
    options = _pairs(serve.profile_options("development"))
    assert options["--server.fileWatcherType"] == "auto"
    assert options["--server.runOnSave"] == "true"


def test_serve_is_production_unless_dev_and_the_callers_options_come_last():
    argv, script = serve.streamlit_argv(["--server.port", "9000", "--server.fileWatcherType", "poll"])
    assert argv[:3] == ["streamlit", "run", str(serve.REPO_ROOT / "dashboard.py")]
    assert script == serve.REPO_ROOT / "dashboard.py"
    assert argv[3:-4] == serve.profile_options("production")
    assert argv[-4:] == ["--server.port", "9000", "--server.fileWatcherType", "poll"]

    argv, _script = serve.streamlit_argv(["--dev"])
    assert "--dev" not in argv
    assert argv[3:] == serve.profile_options("development")


def test_script_serves_another_file_with_the_same_profile(tmp_path):
    other = tmp_path / "app.py"
    argv, script = serve.streamlit_argv(["--script", str(other), "--server.port", "9000"])
    assert script == other and argv[2] == str(other)
    assert "--script" not in argv and argv[-2:] == ["--server.port", "9000"]


def test_a_profile_becomes_options_lists_repeat(tmp_path, monkeypatch):
    profile = tmp_path / "p.toml"
    profile.write_text('[server]\nheadless = true\nfolderWatchBlacklist = ["a", "b"]\n[runner]\nfastReruns = false\n')
    monkeypatch.setitem(serve.PROFILES, "test", profile)
    assert serve.profile_options("test") == ["--server.headless", "true", "--server.folderWatchBlacklist", "a",
                                             "--server.folderWatchBlacklist", "b", "--runner.fastReruns", "false"]
    profile.write_text("headless = true\n")
    with pytest.raises(ValueError, match="sectie"):
        serve.profile_options("test")


@pytest.mark.parametrize("profile, watcher", [("production", "NoOpPathWatcher"), ("development", None)])
def test_streamlit_reads_the_profile_as_it_is_meant(profile, watcher):
    """Through Streamlit's own option parsing: production leaves no file watcher; development
    a real one (watchdog, or polling without it)."""
    from ui import streamlit_private

    flags = {key[2:]: value for key, value in _pairs(serve.profile_options(profile)).items()}
    types = {"true": True, "false": False}
    flags = {key: types.get(value, value) for key, value in flags.items()}
    options, found = streamlit_private.options_from_flags(flags, ["server.runOnSave"])
    assert options["server.runOnSave"] is (profile == "development")
    if watcher:
        assert found == watcher
    else:
        assert found in {"EventBasedPathWatcher", "PollingPathWatcher"}


def test_replicas_takes_its_count(monkeypatch):
    assert serve._take_replicas(["--server.port", "1"]) == (None, ["--server.port", "1"], False)
    assert serve._take_replicas(["--replicas", "3", "--dev"]) == (3, ["--dev"], False)
    monkeypatch.setattr(serve.os, "sched_getaffinity", lambda _pid: {0, 1, 5})  # three usable cores
    assert serve._take_replicas(["--replicas", "auto"]) == (3, [], True)
    for bad in (["--replicas"], ["--replicas", "twee"], ["--replicas", "0"]):
        with pytest.raises(SystemExit):
            serve._take_replicas(bad)


def test_the_warm_up_waits_until_the_server_answers_its_health_check():
    """The warm-up starts once the server answers (Streamlit listens about a second before it
    has loaded the app; the imports and queries then run while the browser loads the frontend)."""
    import http.server
    import threading
    import time

    assert serve.server_address(["streamlit", "run", "x.py"]) == ("127.0.0.1", 8501)
    assert serve.server_address(["--server.port", "8600", "--server.address", "10.0.0.2", "--server.port", "9"]) \
        == ("10.0.0.2", 9)
    assert serve.server_address(["--server.address", "0.0.0.0", "--server.port", "8502"]) == ("127.0.0.1", 8502)

    ready = threading.Event()

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            ok = ready.is_set() and self.path == "/_stcore/health"
            self.send_response(200 if ok else 503)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = server.server_address[:2]
    try:
        assert serve.wait_until_ready(address, limit_s=0.3) is False  # listening, not ready: 503
        threading.Timer(0.3, ready.set).start()
        started = time.monotonic()
        assert serve.wait_until_ready(address, limit_s=5) is True
        assert 0.25 <= time.monotonic() - started < 3
    finally:
        server.shutdown()
        server.server_close()


def test_starting_the_launcher_imports_no_pandas():
    """``python -m monitor serve`` reaches Streamlit without importing pandas or the data layer
    (half a second before the server could listen)."""
    import subprocess
    import sys

    code = "import sys, ui.serve, monitor.__main__; print(sorted(m for m in ('pandas', 'pyarrow', 'monitor.data.store') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=serve.REPO_ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_auto_replicas_without_nginx_serve_one_process_and_say_so(monkeypatch, capsys):
    """``make run`` (``--replicas auto``) on a machine without nginx still serves: one process,
    with a message; an explicit count above one still goes to the replicas (which need nginx)."""
    from monitor.serving import replicas
    from ui import streamlit_private

    started, clustered = [], []
    monkeypatch.setattr(replicas, "find_nginx", lambda: None)
    monkeypatch.setattr(replicas, "run", lambda count, args, **kw: clustered.append(count) or 0)
    monkeypatch.setattr(serve, "warm_up", lambda *a, **k: None)
    monkeypatch.setattr(serve, "FRONTEND", dict(serve.FRONTEND))  # main sets it for the server it starts
    monkeypatch.setattr(serve.os, "sched_getaffinity", lambda _pid: {0, 1})
    # Each of these changes a Streamlit class for the whole process (test_streamlit_private tests
    # them): here only that main puts them in place.
    hooks = ("leave_pages_directory_mode", "answer_login_failures_in_dutch", "keep_compiled_scripts",
             "keep_built_downloads")
    kept = []
    for name in hooks:
        monkeypatch.setattr(streamlit_private, name, lambda name=name: kept.append(name))
    monkeypatch.setattr(streamlit_private, "run_command_line", lambda argv: started.append(argv) or 0)
    import gc

    monkeypatch.setattr(gc, "set_threshold", lambda *values: started.append(values))
    assert serve.main(["--replicas", "auto", "--server.port", "8599"]) == 0
    # The server's garbage collector set before it starts (the thresholds: bench/RESULTS.md).
    assert started.pop(0) == serve.GC_THRESHOLDS and serve.GC_THRESHOLDS[0] > gc.get_threshold()[0]
    assert len(started) == 1 and started[0][:2] == ["streamlit", "run"] and "8599" in started[0]
    assert "--replicas" not in started[0] and clustered == []
    assert "nginx ontbreekt" in capsys.readouterr().err and sorted(kept) == sorted(hooks)
    assert serve.main(["--replicas", "2"]) == 0
    assert clustered == [2] and len(started) == 1


def _magic_expressions(path) -> list[int]:
    """The lines of ``path`` where Streamlit's "magic" would write a bare expression to the page
    (an expression statement that is not a call, an await/yield or a docstring)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        body = [getattr(node, name, None) for name in ("body", "orelse", "finalbody")]
        for statements in (b for b in body if isinstance(b, list)):
            for at, statement in enumerate(statements):
                if not isinstance(statement, ast.Expr) or isinstance(
                        statement.value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)):
                    continue
                docstring = (at == 0 and isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef))
                             and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str))
                if not docstring:
                    found.append(statement.lineno)
    return found


def test_magic_is_off_and_no_page_needs_it(tmp_path):
    """Streamlit's "magic" is off (``.streamlit/config.toml``): compiling a script with it parses
    and rewrites its AST, for every visitor who arrives at an idle server. No page may then rely
    on a bare expression being written to the page."""
    import tomllib

    config = tomllib.loads((serve.REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False
    scripts = [serve.REPO_ROOT / "dashboard.py", *sorted((serve.REPO_ROOT / "pages").glob("*.py"))]
    assert {str(path.relative_to(serve.REPO_ROOT)): lines for path in scripts
            if (lines := _magic_expressions(path))} == {}
    bare = tmp_path / "bare.py"
    bare.write_text('"""doc"""\nimport streamlit as st\nx = 1\nx\nst.write(x)\nif x:\n    "shown"\n')
    assert _magic_expressions(bare) == [4, 7]
