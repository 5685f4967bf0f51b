"""``python -m monitor serve``: start the dashboard the way ``make run`` does.

It is ``streamlit run dashboard.py`` with these differences:

* **A serving profile.** By default the production configuration,
  ``deploy/streamlit-production.toml`` (no file watching, no run-on-save, no garbage
  collection after every run, quiet logging; measured in bench/RESULTS.md); with ``--dev``
  the development one, ``deploy/streamlit-development.toml`` (files watched, rerun on save).
  A profile's options are passed to Streamlit as command-line options before the caller's,
  so an option given on the command line wins; ``.streamlit/config.toml`` holds the
  settings both share (theme, toolbar, error details).
* **Deep links work from the first request.** Streamlit treats an app that has a ``pages/``
  folder as an old-style ("v1") multipage app until its main script has called
  ``st.navigation`` once; on a fresh server, a first request for a deep link such as
  ``/ouderen`` would then show "Page not found". This launcher switches that mode off in the
  server process before the first session starts (``ui/streamlit_private.py``; Streamlit has no
  public setting for it). A bare ``streamlit run dashboard.py`` lacks this: its first deep link
  runs the page file alone, so serve the dashboard with ``python -m monitor serve``.
* **A Dutch ``index.html``** (``<html lang="nl">`` and two scripts, ``frontend_folder``). Behind
  nginx (``--replicas``, ``make run``) nginx serves it and the frontend files from the folder
  rendered at launch, and the replicas (started with ``--behind-nginx``) change nothing in
  Streamlit's routes. Only without nginx (``make dev``, a machine without nginx) does the
  dashboard's ``st.App`` (Streamlit's public ASGI entry, in ``dashboard.py``) put middleware in
  front of Streamlit's routes (``frontend_middleware``): the Dutch ``index.html`` and, in
  production, every other frontend file read once, kept in memory and gzip-compressed once
  (``monitor/serving/memory_static.py``; a new visitor's 66–110 file requests,
  bench/RESULTS.md); ``MONITOR_STATIC=disk`` leaves them to Streamlit, read from disk.
* **Single-sign-on failures in Dutch.** Streamlit's ``/auth/login`` and ``/oauth2callback``
  are wrapped (``monitor/serving/sso_routes.py``): a provider that is down or refuses sends the
  visitor back with a Dutch message and leaves one clear line in the log.
* **A warm start.** The server is listening within about half a second (this module imports
  neither pandas nor the monitor's data layer); once it answers its health check (its app and
  runtime loaded), and while a first browser loads Streamlit's frontend, the page modules and
  the Overzicht's queries are loaded (``warm_up``).

``--replicas N`` serves N such processes behind nginx (``monitor.serving.replicas``; ``make run`` with
``--replicas auto``: one per core the process may use, ``make serve-replicas N=2``); with one
replica or ``auto`` on a machine without nginx a single process is served directly instead, with
a warning. ``--script PATH`` serves another script with the same profile and options (the benchmark's
empty page, bench/empty_page.py, is served that way beside the dashboard).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import tomllib
from pathlib import Path

from monitor import settings

# Not ``monitor.data.store.REPO_ROOT``: importing the store imports pandas and pyarrow (about
# half a second) before the server could listen.
REPO_ROOT = Path(__file__).resolve().parents[1]
DEPLOY = REPO_ROOT / "deploy"
PROFILES = {"production": DEPLOY / "streamlit-production.toml",
            "development": DEPLOY / "streamlit-development.toml"}


def _flag_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def profile_options(profile: str) -> list[str]:
    """The profile's TOML as ``streamlit run`` options: ``[server] fileWatcherType = "none"``
    becomes ``--server.fileWatcherType none``; a list repeats the option once per item."""
    with PROFILES[profile].open("rb") as handle:
        settings = tomllib.load(handle)
    options: list[str] = []
    for section, values in settings.items():
        if not isinstance(values, dict):
            raise ValueError(f"{PROFILES[profile].name}: '{section}' hoort een sectie te zijn")
        for key, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                options += [f"--{section}.{key}", _flag_value(item)]
    return options


def streamlit_argv(args: list[str]) -> tuple[list[str], Path]:
    """``sys.argv`` for Streamlit's command line from ``serve``'s own arguments: the profile
    (``--dev`` for development), an optional ``--script``, then the caller's options."""
    args = list(args)
    profile = "production"
    if "--dev" in args:
        args.remove("--dev")
        profile = "development"
    script = REPO_ROOT / "dashboard.py"
    if "--script" in args:
        at = args.index("--script")
        script = Path(args[at + 1]).resolve()
        del args[at:at + 2]
    return ["streamlit", "run", str(script), *profile_options(profile), *args], script


def server_address(argv: list[str]) -> tuple[str, int]:
    """Where the server will listen: ``--server.address`` and ``--server.port`` of its command
    line (the last one given wins, as in Streamlit), else Streamlit's defaults."""
    address, port = "127.0.0.1", 8501
    for at, arg in enumerate(argv[:-1]):
        if arg == "--server.port":
            port = int(argv[at + 1])
        elif arg == "--server.address" and argv[at + 1] not in ("", "0.0.0.0", "::"):
            address = argv[at + 1]
    return address, port


def wait_until_ready(address: tuple[str, int], limit_s: float = 15.0) -> bool:
    """Wait (at most ``limit_s``) until the server at ``address`` answers its health check:
    Streamlit listens about a second before its app and runtime are loaded and it can answer."""
    import time

    from monitor.serving.netutil import HEALTH_PATH, answers

    host, port = address
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if answers(f"http://{host}:{port}{HEALTH_PATH}", timeout=0.5):
            return True
        time.sleep(0.02)
    return False


def warm_up(address: tuple[str, int] | None = None) -> None:
    """Do what the first page view would otherwise wait for, while the browser loads
    Streamlit's scripts: import the page modules (Altair, pandas, the monitor) and attach the
    dataset folder, its in-memory tables and the pages' shared queries
    (``monitor.views.inputs.load_themalijnen``). Pages run in this process, so the first session
    finds all of it ready. With ``address`` it first waits until the server there answers its
    health check: started earlier (at once, or once the port listens, a second before Streamlit
    has loaded the app), it would hold the interpreter while the server starts, and a browser
    could only begin loading the frontend (a second of its own work) later. A failure here is
    only logged: the page that needs it reports it as always."""
    if address is not None:
        wait_until_ready(address)
    try:
        import altair  # noqa: F401
        from datetime import date, timedelta

        from monitor.charts import comparisons, indicators, maps  # noqa: F401
        from monitor.views.bronnen import load_data_peildatum
        from monitor.views.inputs import load_themalijnen
        from monitor.views.overzicht import SINCE_DAYS, overzicht_view
        from ui import indicator_sections, shell  # noqa: F401

        # The Overzicht's view at its default dates, as its page asks for it (the shared view
        # cache), then the themalijn pages' shared queries.
        today = date.today()
        shell.view_cache(overzicht_view)(today, today - timedelta(days=SINCE_DAYS))
        load_themalijnen(today)
        load_data_peildatum()
    except Exception:  # noqa: BLE001 - best effort; never stops the server
        logging.getLogger(__name__).exception("opwarmen bij de start mislukt")


def frontend_folder() -> Path:
    """The frontend to serve: a copy of Streamlit's static folder with the Dutch ``index.html``
    (``<html lang="nl">`` and its two scripts, monitor/serving/static_nl.py), made once per
    Streamlit version. When a Streamlit upgrade changed the markup it replaces, Streamlit's own
    folder (English markup), with a warning."""
    from monitor.serving.static_nl import IndexChanged, dutch_static_dir
    from ui import streamlit_private

    source = streamlit_private.static_folder()
    try:
        return dutch_static_dir(source)
    except (IndexChanged, OSError) as exc:
        logging.getLogger(__name__).warning("index.html blijft Engels (lang=en): %s", exc)
        return source


# What the server puts in front of Streamlit's routes (``frontend_middleware``), set by ``main``
# before the server starts: the Dutch index.html (not behind nginx), the frontend files from memory.
FRONTEND = {"dutch_index": True, "memory": False}


def frontend_middleware() -> list:
    """The middleware of the dashboard's ``st.App`` (``dashboard.py``), Streamlit's public way to
    put ASGI code in front of its routes: without nginx the Dutch ``index.html``
    (``monitor.serving.static_nl.DutchIndex``) and, in production, every other frontend file read
    once and replayed from memory, gzip-compressed once (``monitor.serving.memory_static``).
    Behind nginx nothing: nginx serves the frontend."""
    from starlette.middleware import Middleware

    from monitor.serving.memory_static import MemoryStatic
    from monitor.serving.static_nl import DutchIndex
    from ui import streamlit_private

    middleware = []
    if FRONTEND["dutch_index"]:
        middleware.append(Middleware(DutchIndex, directory=frontend_folder()))
    if FRONTEND["memory"]:
        middleware.append(Middleware(MemoryStatic, directory=streamlit_private.static_folder()))
    return middleware


STATIC_ENV = "MONITOR_STATIC"
BEHIND_NGINX = "--behind-nginx"


def static_from_memory(args: list[str], environ=None) -> bool:
    """Whether the frontend files are served from memory: in production, unless
    ``MONITOR_STATIC=disk``."""
    value = settings.text(STATIC_ENV, "memory", environ).strip().lower()
    if value not in ("memory", "disk"):
        raise SystemExit(f"{STATIC_ENV} verwacht 'memory' of 'disk', niet {value!r}")
    return "--dev" not in args and value == "memory"


AUTO = "auto"


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity; at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _take_replicas(args: list[str]) -> tuple[int | None, list[str], bool]:
    """``--replicas N`` (or ``auto``: one replica per usable core) taken out of ``args``:
    (count or None, the other arguments, whether the count was ``auto``)."""
    args = list(args)
    if "--replicas" not in args:
        return None, args, False
    at = args.index("--replicas")
    value = args[at + 1] if at + 1 < len(args) else ""
    auto = value == AUTO
    try:
        count = usable_cores() if auto else int(value)
    except ValueError:
        raise SystemExit("--replicas verwacht een aantal of 'auto', bijvoorbeeld --replicas 2") from None
    if count < 1:
        raise SystemExit("--replicas verwacht minstens 1")
    del args[at:at + 2]
    return count, args, auto


# The cyclic garbage collector's thresholds for a serving process. With Python's default
# (700, 10, 10) a full collection, which walks the whole heap (Streamlit, pandas, Altair, the
# shared caches: about 150 ms a time), came every ~70.000 allocations: 14-18 times per replica in
# a 30-second crowd run of 100 sessions, 2,3-2,9 s of its CPU, and the young collections another
# 1,1-1,4 s; about 3,5 ms of a 25-ms page view. With 20.000 young collections are rarer and a full
# one rarer still (none in such a run; 1,2-1,4 s in all). Memory held by cyclic garbage waits a
# little longer; reference counting frees everything else at once (bench/RESULTS.md, "The
# garbage collector").
GC_THRESHOLDS = (20_000, 10, 10)


def tune_garbage_collector() -> None:
    """Set ``GC_THRESHOLDS`` for this process (the server a launcher starts)."""
    gc.set_threshold(*GC_THRESHOLDS)


def main(args: list[str]) -> int:
    count, args, auto = _take_replicas(args)
    if count is not None:
        from monitor.serving import replicas

        # One replica, or ``auto``, on a machine without nginx: one process serving everything
        # (an explicit count above one needs nginx, and ``replicas.run`` says so).
        if replicas.find_nginx() is not None or (count > 1 and not auto):
            dev = "--dev" in args
            return replicas.run(count, [a for a in args if a != "--dev"], dev=dev, static_dir=frontend_folder())
        wanted = f" in plaats van {count} replica's achter nginx" if count > 1 else ""
        print(f"nginx ontbreekt: de monitor draait als één proces zonder nginx ervoor{wanted} (Streamlit "
              "levert zelf zijn bestanden). Installeer Debian's pakket nginx voor de productie-opzet.",
              file=sys.stderr)
    behind_nginx = BEHIND_NGINX in args  # a replica of ``--replicas``: nginx serves the frontend
    args = [a for a in args if a != BEHIND_NGINX]
    memory = static_from_memory(args) and not behind_nginx
    argv, script = streamlit_argv(args)
    if script == REPO_ROOT / "dashboard.py":
        threading.Thread(target=warm_up, args=(server_address(argv),), name="monitor-warm-up", daemon=True).start()
    from ui import streamlit_private

    streamlit_private.leave_pages_directory_mode()
    FRONTEND.update(dutch_index=not behind_nginx, memory=memory)
    streamlit_private.answer_login_failures_in_dutch()
    streamlit_private.keep_compiled_scripts()
    streamlit_private.keep_built_downloads()
    tune_garbage_collector()
    return streamlit_private.run_command_line(argv)
