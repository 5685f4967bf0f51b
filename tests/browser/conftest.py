"""Browser tests: the real app in headless Debian Chromium, driven by Playwright.

Chromium is Debian's (``/usr/bin/chromium``); no browser is ever downloaded. Outside CI a
missing Chromium skips these tests with a clear message; with ``CI=true`` it fails the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor import settings
from monitor.serving.netutil import HEALTH_PATH, free_port, stop_process, wait_until_answers

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = settings.text("MONITOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _chromium_or_skip() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if path:
        return path
    message = (f"Chromium ontbreekt ({CHROMIUM}); installeer Debian's pakket 'chromium' "
               "(sudo apt-get install chromium) om de browsertests te draaien.")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return _chromium_or_skip()


EDITOR = ("redacteur-test", "correct-horse-battery")


@pytest.fixture(scope="session")
def app_datasets(tmp_path_factory) -> Path:
    """A copy of the committed datasets: what the browser tests record never touches datasets/."""
    target = tmp_path_factory.mktemp("app") / "datasets"
    shutil.copytree(REPO / "datasets", target, ignore=shutil.ignore_patterns("events"))
    return target


@pytest.fixture(scope="session")
def app_secrets(tmp_path_factory) -> Path:
    """A secrets file with one local redacteur account."""
    from monitor.data.auth import add_user

    path = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    add_user(EDITOR[0], "redacteur", EDITOR[1], secrets_path=path)
    return path


def start_server(datasets: Path, secrets: Path, log: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``python -m monitor serve`` on ``datasets`` (a free port unless given) and wait
    until it answers; returns the process and its base URL. Output is appended to ``log``."""
    port = port or free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO), MONITOR_DATASETS=str(datasets))
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "serve",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
             "--secrets.files", str(secrets)],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if not wait_until_answers(url + HEALTH_PATH, proc, 60, 0.3):
        stop_server(proc)
        pytest.fail(f"Streamlit startte niet:\n{log.read_text(errors='replace')}", pytrace=False)
    return proc, url


def start_replicas(datasets: Path | str, secrets: Path, log: Path, count: int = 2,
                   port: int | None = None) -> tuple[subprocess.Popen, str, Path]:
    """``python -m monitor serve --replicas count`` (nginx in front, as ``make serve-replicas``)
    on ``port`` (a free one unless given); returns the launcher, the proxy's URL and nginx's prefix folder, whose
    ``replicas.json`` names each replica's port and pid. Stop it with ``stop_server``.
    ``datasets`` is a folder, or an ``s3://`` URL (``MONITOR_DATA_URL``; the endpoint and
    credentials come from this process's environment: ``tests/s3server.py``)."""
    import re

    from monitor.serving.replicas import find_nginx

    if find_nginx() is None:
        message = "nginx ontbreekt; installeer Debian's pakket nginx (sudo apt-get install nginx)."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    port = port or free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO), MONITOR_COOKIE_SECRET="browsertest-" + os.urandom(16).hex())
    if str(datasets).startswith("s3://"):
        # No local folder at all: a read that still looked on disk would find nothing.
        env.update(MONITOR_DATA_URL=str(datasets), MONITOR_DATASETS=str(log.parent / "geen-lokale-map"))
    else:
        env.pop("MONITOR_DATA_URL", None)
        env["MONITOR_DATASETS"] = str(datasets)
    start = log.stat().st_size if log.exists() else 0
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "serve", "--replicas", str(count),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--secrets.files", str(secrets)],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240  # the cluster itself gives up after 180 s
    while True:
        text = log.read_bytes()[start:].decode(errors="replace")
        found = re.search(r"nginx-map (\S+)\)", text)
        if found:
            return proc, f"http://127.0.0.1:{port}", Path(found.group(1))
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_server(proc)
            pytest.fail(f"de replica's startten niet:\n{text[-4000:]}", pytrace=False)
        time.sleep(0.3)


def stop_server(proc: subprocess.Popen, kill: bool = False) -> None:
    """Stop a server from ``start_server`` (or ``start_replicas``): politely, or with ``kill``
    as ``kill -9`` does."""
    stop_process(proc, kill=kill, timeout_s=30)


@pytest.fixture(scope="session")
def app_url(chromium_path, tmp_path_factory, app_datasets, app_secrets):
    """Start ``streamlit run dashboard.py`` on a free port; yields its base URL."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    proc, url = start_server(app_datasets, app_secrets, log)
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


SCREENSHOTS = REPO / "tests" / "browser" / "screenshots"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing browser test, save a screenshot under tests/browser/screenshots/ (not committed)."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{item.name}.png"), full_page=True)
        except Exception:  # noqa: BLE001 - a screenshot must never hide the real failure
            pass
