"""Every private Streamlit API the monitor uses, in one place (Streamlit is pinned in
requirements.txt). ``tests/unit/test_streamlit_private.py`` fails when an upgrade removes or
changes one of them; nothing else in the code imports ``streamlit.runtime``, ``streamlit.elements``
or sets ``PagesManager`` attributes.

* ``PagesManager.uses_pages_directory``: Streamlit treats an app with a ``pages/`` folder as a
  "v1" multipage app until the main script has called ``st.navigation`` once; switching the flag
  off makes a deep link on a fresh server run through ``dashboard.py``.
* ``_convert_altair_to_vega_lite_spec``: the Vega-Lite spec ``st.altair_chart`` makes of a chart,
  so a cached spec draws exactly what ``st.altair_chart`` would.
* ``_ensure_image_size_and_format`` with ``LayoutConfig``: the image ``st.image(width="stretch")``
  serves, prepared once instead of on every run.
* ``streamlit.file_util.get_static_dir``: the folder the server's static routes serve
  (``index.html`` among them); pointed at the copy with ``<html lang="nl">``
  (``monitor/serving/static_nl.py``) before the server starts.
* ``starlette_static_routes.create_streamlit_static_handler``: the handler of those files, wrapped
  so each file is answered from memory after its first request (``monitor/serving/memory_static.py``).
* ``streamlit.runtime.secrets.secrets_singleton``: the secrets the server reads from
  ``secrets.files``. AppTest's ``at.secrets`` replaces ``st.secrets`` by another ``Secrets``
  object for a run; :func:`injected_secrets` tells the two apart (``ui/secrets_source.py``
  reads the files itself, to tell a broken file from a missing one).
* ``starlette_app.create_auth_routes``: the routes of ``st.login`` (``/auth/login``,
  ``/oauth2callback``), wrapped so a provider that is down or refuses sends the visitor back
  with a Dutch message instead of an English error page or silence
  (``monitor/serving/sso_routes.py``).
* ``WebsocketSessionManager.disconnect_session`` and its ``_script_cache``: Streamlit empties the
  cache of compiled scripts whenever the last session disconnects, so every visitor arriving at
  an idle server had ``dashboard.py`` and the page compiled again; without file watching that is
  never needed (:func:`keep_compiled_scripts`).
* ``MediaFileManager.execute_deferred`` and its session references: the file a deferred download
  button built is kept for the session that clicked, so other sessions' runs cannot delete it
  before the browser fetches it (:func:`keep_built_downloads`).
* ``streamlit.web.cli.main``: the ``streamlit`` command (its console-script entry point), run in
  the launcher's own process so the hooks above apply to the server it starts
  (:func:`run_command_line`).
* ``streamlit.config`` beyond ``st.get_option``/``st.set_option`` (which sets ``client.*`` options
  only): the server options as parsed from command-line flags, with the file watcher they choose
  (:func:`options_from_flags`, for tests/unit/test_serve.py), and ``secrets.files`` pointed at
  another file (:func:`secrets_files`, for the page tests).
* ``starlette_static_routes.create_streamlit_static_handler`` on its own: Streamlit's handler of a
  folder of frontend files (:func:`static_handler`, for tests/unit/test_memory_static.py).
* ``streamlit.proto.ForwardMsg_pb2``: the protocol of the session's WebSocket, read by the
  browser tests and the benchmark to see a script run finish (:func:`run_event`); with
  ``BackMsg_pb2`` and the forward-message cache's references, spoken by the benchmark's
  protocol-level client (:func:`protocol`, ``bench/streamclient.py``).
* AppTest's page hash (``AppTest._page_hash``, ``streamlit.util.calc_hash``): a page registered
  under a url path whose file serves several pages (the four themalijn pages share
  ``pages/themalijn.py``); the public ``AppTest.switch_page`` takes a file, so it can only pick
  the first of them (:func:`open_url_path`, for the page tests and the benchmark).
* AppTest's ``MediaFileManager`` and its storage: the file a click on a deferred download button
  delivers, which AppTest has no public call for (:func:`recording_media`,
  :func:`downloaded_file`, for the page tests).
"""

from __future__ import annotations

import contextlib


def uses_pages_directory() -> bool:
    """Whether Streamlit still runs the app as a "v1" (``pages/`` folder) multipage app."""
    from streamlit.runtime.pages_manager import PagesManager

    return bool(PagesManager.uses_pages_directory)


def leave_pages_directory_mode() -> bool:
    """Switch the "v1" mode off for this process; True when it was on."""
    from streamlit.runtime.pages_manager import PagesManager

    was_on = bool(PagesManager.uses_pages_directory)
    PagesManager.uses_pages_directory = False
    return was_on


def keep_pages_directory_mode_off() -> None:
    """Make every new ``PagesManager`` start with the "v1" mode off (AppTest and the benchmark:
    AppTest resets the flag for each run, a running server leaves it after its first request)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__
    if getattr(original, "_monitor_mode_off", False):
        return

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init._monitor_mode_off = True
    init._monitor_original = original
    PagesManager.__init__ = init


def restore_pages_manager() -> None:
    """Undo ``keep_pages_directory_mode_off``."""
    from streamlit.runtime.pages_manager import PagesManager

    original = getattr(PagesManager.__init__, "_monitor_original", None)
    if original is not None:
        PagesManager.__init__ = original


def altair_to_vega_lite_spec(chart) -> dict:
    """Streamlit's own conversion of an Altair chart for ``st.altair_chart`` (data as Arrow bytes
    under content-hashed dataset names)."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return _convert_altair_to_vega_lite_spec(chart)


def image_as_served(image: bytes, width: str = "stretch") -> bytes:
    """The bytes ``st.image(image, width=width)`` serves: scaled down to the content width and
    re-encoded by Streamlit's own functions."""
    from streamlit.elements.lib.image_utils import _ensure_image_size_and_format, _validate_image_format_string
    from streamlit.elements.lib.layout_utils import LayoutConfig

    return _ensure_image_size_and_format(image, LayoutConfig(width=width),
                                         _validate_image_format_string(image, "auto"))


def static_folder():
    """The folder of Streamlit's built frontend that the server serves."""
    from pathlib import Path

    from streamlit import file_util

    return Path(file_util.get_static_dir())


def injected_secrets() -> dict | None:
    """The secrets AppTest put in place of ``st.secrets`` (``at.secrets``), or None when
    ``st.secrets`` is the server's own (read from ``secrets.files``)."""
    import streamlit as st
    from streamlit.runtime.secrets import secrets_singleton

    if st.secrets is secrets_singleton:
        return None
    return st.secrets.to_dict()


def answer_login_failures_in_dutch() -> bool:
    """Wrap the auth routes Streamlit's server makes when it starts (``create_auth_routes``,
    called by name in ``create_streamlit_routes``) with ``monitor.serving.sso_routes``. True when
    it was put in place now, False when it already was."""
    from streamlit.auth_util import get_secrets_auth_section
    from streamlit.web.server.starlette import starlette_app

    from monitor.data.sso import metadata_url
    from monitor.serving.sso_routes import wrap_auth_routes

    original = starlette_app.create_auth_routes
    if getattr(original, "_monitor_sso", False):
        return False

    def discovery_url():
        try:
            return metadata_url(get_secrets_auth_section().to_dict())
        except Exception:  # noqa: BLE001 - unreadable secrets: the probe says there is no URL
            return None

    def create(base_url):
        return wrap_auth_routes(original(base_url), discovery_url)

    create._monitor_sso = True
    create._monitor_original = original
    starlette_app.create_auth_routes = create
    return True


def open_url_path(at, url_path: str):
    """Switch the AppTest ``at`` (after its first run) to the page registered under ``url_path``,
    as a browser opening ``/<url_path>`` would; returns ``at``. A page's script hash is the hash
    of its url path (``st.Page``)."""
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(url_path)
    return at


@contextlib.contextmanager
def recording_media():
    """Within the block, every AppTest run's media file manager is appended to the list this
    yields (the last one holds the files of the last run)."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import app_test

    managers: list = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    original = app_test.MediaFileManager
    app_test.MediaFileManager = Recording
    try:
        yield managers
    finally:
        app_test.MediaFileManager = original


def downloaded_file(manager, button) -> bytes | None:
    """The file a click on the deferred download ``button`` (an AppTest element) delivers,
    built as the server builds it on a click; None when the button is not deferred (its file
    was built on the run)."""
    file_id = button.proto.deferred_file_id
    if not file_id:
        return None
    url = manager.execute_deferred(file_id)
    return manager._storage.get_file(url.rsplit("/", 1)[1].split(".")[0]).content


class _KeptScripts:
    """The script cache as ``disconnect_session`` sees it: emptying it does nothing."""

    def __init__(self, cache):
        self._cache = cache

    def clear(self) -> None:
        pass

    def __getattr__(self, name):
        return getattr(self._cache, name)


def keep_compiled_scripts() -> bool:
    """Keep the compiled scripts when the last session leaves, when no file is watched
    (``server.fileWatcherType = "none"``: a new version is a restart). Streamlit empties its
    ``ScriptCache`` in ``WebsocketSessionManager.disconnect_session`` once no session is left, to
    drop scripts that changed while nobody watched them; a changed config or secrets file still
    empties it. True when it was put in place now, False when it already was."""
    from streamlit import config
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

    original = WebsocketSessionManager.disconnect_session
    if getattr(original, "_monitor_keep", False):
        return False

    def disconnect_session(self, *args, **kwargs):
        if config.get_option("server.fileWatcherType") != "none":
            return original(self, *args, **kwargs)
        # Connecting and disconnecting run on the event loop, one at a time: nothing else reads
        # the manager's cache meanwhile (each session holds the cache itself, not through it).
        cache = self._script_cache
        self._script_cache = _KeptScripts(cache)
        try:
            return original(self, *args, **kwargs)
        finally:
            self._script_cache = cache

    disconnect_session._monitor_keep = True
    disconnect_session._monitor_original = original
    WebsocketSessionManager.disconnect_session = disconnect_session
    return True


def keep_built_downloads() -> bool:
    """Keep a file a deferred download button built for as long as the session that asked for it
    does not run again. Streamlit's ``MediaFileManager.execute_deferred`` stores the built file
    without a reference to any session, so the end of any two script runs on the server, of any
    session, deletes it: on a busy server that happens before the browser fetches it, and the
    download fails (in a crowd of 40 sessions on one process, 19 of 20 clicks). The file is
    referenced under the button's place with ``:built`` appended; the session's next full run
    drops the reference (``clear_session_refs``) and the file goes as any other. A session that
    is gone gets no reference. True when it was put in place now, False when it already was."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    original = MediaFileManager.execute_deferred
    if getattr(original, "_monitor_keep", False):
        return False

    def execute_deferred(self, file_id: str) -> str:
        with self._lock:
            entry = self._deferred_callables.get(file_id)
        url = original(self, file_id)
        built = url.rsplit("/", 1)[-1].split(".", 1)[0]
        with self._lock:
            session_files = self._files_by_session_and_coord.get(entry["session_id"]) if entry else None
            if session_files is not None and built in self._file_metadata:
                session_files[f"{entry['coordinates']}:built"] = built
        return url

    execute_deferred._monitor_keep = True
    execute_deferred._monitor_original = original
    MediaFileManager.execute_deferred = execute_deferred
    return True


def run_command_line(argv: list[str]) -> int:
    """Run the ``streamlit`` command with ``argv`` (``["streamlit", "run", ...]``) in this process;
    its exit code."""
    import sys

    from streamlit.web import cli

    sys.argv = argv
    try:
        cli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def options_from_flags(flags: dict, names: list[str]) -> tuple[dict, str]:
    """The options ``names`` as Streamlit parses them from the command-line ``flags``
    (``{"server.runOnSave": True}``), and the name of the file watcher class they choose; the
    configuration is parsed again without the flags afterwards."""
    from streamlit import config
    from streamlit.watcher import path_watcher

    try:
        config.get_config_options(force_reparse=True, options_from_flags=flags)
        return ({name: config.get_option(name) for name in names},
                path_watcher.get_default_path_watcher_class().__name__)
    finally:
        config.get_config_options(force_reparse=True)


@contextlib.contextmanager
def secrets_files(paths: list[str]):
    """Within the block, Streamlit's ``secrets.files`` option is ``paths``."""
    from streamlit import config

    before = config.get_option("secrets.files")
    config.set_option("secrets.files", list(paths))
    try:
        yield
    finally:
        config.set_option("secrets.files", before)


def static_handler(folder):
    """Streamlit's own ASGI handler of the frontend files in ``folder`` (what its server mounts)."""
    from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_handler

    return create_streamlit_static_handler(directory=str(folder), base_url=None)


def run_event(frame: bytes) -> tuple[str, str] | None:
    """What a binary frame the server sends on the session's WebSocket says about a script run:
    ``("finished", "")``, ``("compile_error", "")``, ``("page_not_found", page name)``, or None."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg()
    message.ParseFromString(frame)
    kind = message.WhichOneof("type")
    if kind == "script_finished":
        if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            return "finished", ""
        if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            return "compile_error", ""
    elif kind == "page_not_found":
        return "page_not_found", message.page_not_found.page_name
    return None


def protocol():
    """The session WebSocket's message classes and the forward-message cache's reference helpers,
    as the frontend speaks them: ``(BackMsg, ForwardMsg, create_reference_msg,
    populate_hash_if_needed)`` (for ``bench/streamclient.py`` and its tests)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.forward_msg_cache import create_reference_msg, populate_hash_if_needed

    return BackMsg, ForwardMsg, create_reference_msg, populate_hash_if_needed


def delta_generator_class():
    """Streamlit's ``DeltaGenerator`` (behind every ``st.*`` element call), for a test that counts
    how often an element is made."""
    from streamlit.delta_generator import DeltaGenerator

    return DeltaGenerator


def cache_hasher_module():
    """Streamlit's cache-key module (its ``update_hash``), for the test that records what
    Streamlit's hasher is given."""
    from streamlit.runtime.caching import cache_utils

    return cache_utils
