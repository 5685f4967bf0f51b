"""The private Streamlit APIs of ``ui.streamlit_private`` still exist and still behave as the
monitor relies on: this fails on a Streamlit upgrade that removes or changes one of them."""

from __future__ import annotations

import inspect
import io
import re
from pathlib import Path

import altair as alt
import pandas as pd
from PIL import Image

from tests.unit.test_memory_static import folder  # noqa: F401 - a fixture: a small frontend folder
from ui import streamlit_private

REPO = Path(__file__).resolve().parents[2]


def test_pages_manager_still_has_the_v1_flag_and_it_can_be_switched_off():
    from streamlit.runtime.pages_manager import PagesManager

    assert "uses_pages_directory" in vars(PagesManager)
    before = PagesManager.uses_pages_directory
    try:
        PagesManager.uses_pages_directory = True
        assert streamlit_private.uses_pages_directory()
        assert streamlit_private.leave_pages_directory_mode() is True
        assert PagesManager.uses_pages_directory is False
        assert streamlit_private.leave_pages_directory_mode() is False
    finally:
        PagesManager.uses_pages_directory = before


def test_a_new_pages_manager_reads_the_flag_and_the_patch_keeps_it_off(tmp_path):
    from streamlit.runtime.pages_manager import PagesManager

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.py").write_text("")
    (tmp_path / "main.py").write_text("")
    was_patched = getattr(PagesManager.__init__, "_monitor_mode_off", False)  # the page tests' conftest
    streamlit_private.restore_pages_manager()
    before, original = PagesManager.uses_pages_directory, PagesManager.__init__
    try:
        PagesManager.uses_pages_directory = None
        PagesManager(str(tmp_path / "main.py"))
        assert PagesManager.uses_pages_directory is True  # a pages/ folder: the v1 mode, as the docstring says
        streamlit_private.keep_pages_directory_mode_off()
        PagesManager.uses_pages_directory = None
        PagesManager(str(tmp_path / "main.py"))
        assert PagesManager.uses_pages_directory is False
    finally:
        streamlit_private.restore_pages_manager()
        PagesManager.uses_pages_directory = before
    assert PagesManager.__init__ is original
    if was_patched:
        streamlit_private.keep_pages_directory_mode_off()


def test_the_altair_conversion_exists_with_its_signature_and_gives_a_vega_lite_spec():
    from streamlit.elements import vega_charts

    assert list(inspect.signature(vega_charts._convert_altair_to_vega_lite_spec).parameters) == ["altair_chart"]
    frame = pd.DataFrame({"x": [1, 2], "y": [3.0, 4.0]})
    spec = streamlit_private.altair_to_vega_lite_spec(alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q"))
    assert spec["mark"]["type"] == "line" if isinstance(spec["mark"], dict) else spec["mark"] == "line"
    assert spec["datasets"] and isinstance(next(iter(spec["datasets"].values())), bytes)  # Arrow bytes


def test_the_image_functions_exist_with_their_signatures_and_scale_a_wide_image():
    from streamlit.elements.lib import image_utils, layout_utils

    assert list(inspect.signature(image_utils._ensure_image_size_and_format).parameters) == [
        "image_data", "layout_config", "image_format"]
    assert list(inspect.signature(image_utils._validate_image_format_string).parameters)[:2] == [
        "image_data", "format"]
    assert "width" in inspect.signature(layout_utils.LayoutConfig).parameters
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 100), "white").save(buffer, format="PNG")
    served = streamlit_private.image_as_served(buffer.getvalue())
    assert Image.open(io.BytesIO(served)).width < 4000
    small = io.BytesIO()
    Image.new("RGBA", (10, 10), (255, 255, 255, 128)).save(small, format="PNG")  # alpha: stays PNG
    assert streamlit_private.image_as_served(small.getvalue()) == small.getvalue()


def test_streamlit_still_reads_its_static_folder_through_file_util():
    """The launcher copies the frontend from ``file_util.get_static_dir`` (``static_folder``) and
    the memory cache keeps only that folder's files: this fails when a Streamlit upgrade serves
    its frontend from another folder."""
    from streamlit.web.server.starlette import starlette_static_routes

    source = inspect.getsource(starlette_static_routes.create_streamlit_static_assets_routes)
    assert "file_util.get_static_dir()" in source


def test_the_auth_routes_are_made_by_name_when_the_server_starts_and_can_be_wrapped():
    from streamlit.web.server.starlette import starlette_app

    assert "create_auth_routes(base_url)" in inspect.getsource(starlette_app.create_streamlit_routes)
    original = starlette_app.create_auth_routes
    try:
        assert streamlit_private.answer_login_failures_in_dutch() is True
        assert streamlit_private.answer_login_failures_in_dutch() is False
        routes = {route.path: route.endpoint for route in starlette_app.create_auth_routes("")}
        assert set(routes) == {"/auth/login", "/auth/logout", "/oauth2callback"}
        assert routes["/auth/login"].__module__ == "monitor.serving.sso_routes"
        assert routes["/oauth2callback"].__module__ == "monitor.serving.sso_routes"
        assert routes["/auth/logout"].__module__ != "monitor.serving.sso_routes"  # Streamlit's own
    finally:
        starlette_app.create_auth_routes = original


def _two_pages_one_file(tmp_path) -> str:
    (tmp_path / "page.py").write_text("import streamlit as st\nst.title(st.session_state['page'])\n")
    (tmp_path / "main.py").write_text(
        "import streamlit as st\n"
        "pages = [st.Page('page.py', title=name, url_path=name, default=name == 'een') for name in ('een', 'twee')]\n"
        "page = st.navigation(pages)\n"
        "st.session_state['page'] = page.title\n"
        "page.run()\n")
    return str(tmp_path / "main.py")


def test_open_url_path_opens_the_second_page_of_a_shared_file_which_switch_page_cannot(tmp_path):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(_two_pages_one_file(tmp_path)).run()
    assert at.title[0].value == "een"
    at.switch_page("page.py").run()
    assert at.title[0].value == "een"  # the public call picks the first page of the file
    streamlit_private.open_url_path(at, "twee").run()
    assert not at.exception and at.title[0].value == "twee"


def test_a_deferred_download_is_built_on_a_click_from_the_recorded_media_manager():
    from streamlit.testing.v1 import AppTest

    def app():
        import streamlit as st

        st.download_button("Bestand", data=lambda: b"inhoud", file_name="a.txt")
        st.download_button("Direct", data=b"nu", file_name="b.txt")

    with streamlit_private.recording_media() as managers:
        at = AppTest.from_function(app).run()
    assert not at.exception
    deferred, direct = at.get("download_button")
    assert streamlit_private.downloaded_file(managers[-1], deferred) == b"inhoud"
    assert streamlit_private.downloaded_file(managers[-1], direct) is None


def test_the_streamlit_command_is_the_cli_main_run_command_line_calls():
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="streamlit")
    assert script.value == "streamlit.web.cli:main"
    assert "cli.main()" in inspect.getsource(streamlit_private.run_command_line)


def test_options_from_flags_are_read_as_the_command_line_gives_them():
    options, watcher = streamlit_private.options_from_flags({"server.fileWatcherType": "none",
                                                             "server.runOnSave": True}, ["server.runOnSave"])
    assert options == {"server.runOnSave": True} and watcher == "NoOpPathWatcher"
    options, _ = streamlit_private.options_from_flags({}, ["server.runOnSave"])
    assert options == {"server.runOnSave": False}


def test_secrets_files_points_streamlit_at_another_file_for_the_block(tmp_path):
    import streamlit as st

    before = st.get_option("secrets.files")
    with streamlit_private.secrets_files([str(tmp_path / "s.toml")]):
        assert st.get_option("secrets.files") == [str(tmp_path / "s.toml")]
    assert st.get_option("secrets.files") == before


def test_static_handler_answers_a_file_of_the_folder(folder):  # noqa: F811 - the fixture
    from tests.unit.test_memory_static import JS, call

    assert call(streamlit_private.static_handler(folder), "/static/js/index.abc123.js")[2] == JS


# Streamlit's public API, and what may be imported from it outside this module: ``import
# streamlit as st``, AppTest (``streamlit.testing.v1``) and the exceptions public calls raise
# (``streamlit.errors``: ``st.expander`` with a duplicate key).
PRIVATE_USE = re.compile(r"^[ \t]*(from streamlit\.(?!testing\.v1 |errors )[\w.]+ import|import streamlit\.(?!testing\.v1\b))"
                         r"|\._page_hash\b|\bcalc_hash\b|find_spec\(\"streamlit\"\)|\bPagesManager\b", re.M)
CODE = ("dashboard.py", "pages", "ui", "monitor", "tests", "bench")
THE_ONE_MODULE = {Path("ui/streamlit_private.py"), Path("tests/unit/test_streamlit_private.py")}


def private_streamlit_uses(root: Path) -> list[str]:
    """``file:line: code`` of every use of a private Streamlit API under ``root`` outside
    ``ui/streamlit_private.py`` and its test (comments and docstrings that name one count too)."""
    found = []
    for top in CODE:
        files = [root / top] if top.endswith(".py") else sorted((root / top).rglob("*.py"))
        for path in files:
            if not path.is_file() or path.relative_to(root) in THE_ONE_MODULE:
                continue
            text = path.read_text(encoding="utf-8")
            for match in PRIVATE_USE.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(root)}:{line}: {text.splitlines()[line - 1].strip()}")
    return found


def test_no_private_streamlit_api_outside_this_module():
    assert private_streamlit_uses(REPO) == []


def test_the_private_use_check_finds_each_kind(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "t.py").write_text(
        "from streamlit.runtime.media_file_manager import MediaFileManager\n"
        "at._page_hash = calc_hash('ouderen')\n"
        "from streamlit.testing.v1 import AppTest\n"
        "from streamlit.errors import StreamlitDuplicateElementKey\n")
    (tmp_path / "monitor").mkdir()
    (tmp_path / "monitor" / "m.py").write_text('spec = importlib.util.find_spec("streamlit")\n')
    assert [use.split(": ", 1)[0] for use in private_streamlit_uses(tmp_path)] == \
        ["monitor/m.py:1", "tests/t.py:1", "tests/t.py:2", "tests/t.py:2"]


def test_run_event_reads_the_websocket_frames_of_a_run():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    def frame(**fields) -> bytes:
        message = ForwardMsg()
        for name, value in fields.items():
            if name == "page_not_found":
                message.page_not_found.page_name = value
            else:
                setattr(message, name, value)
        return message.SerializeToString()

    assert streamlit_private.run_event(frame(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY)) == ("finished", "")
    assert streamlit_private.run_event(frame(script_finished=ForwardMsg.FINISHED_WITH_COMPILE_ERROR)) == \
        ("compile_error", "")
    assert streamlit_private.run_event(frame(page_not_found="ouderen")) == ("page_not_found", "ouderen")
    assert streamlit_private.run_event(frame(script_finished=ForwardMsg.FINISHED_EARLY_FOR_RERUN)) is None


def test_without_file_watching_the_compiled_scripts_stay_when_the_last_session_leaves():
    """Streamlit empties its script cache when the last session disconnects; with
    ``keep_compiled_scripts`` in place it keeps it when no file is watched, and still empties
    it when files are watched (a script may have changed meanwhile)."""
    from streamlit import config
    from streamlit.runtime.memory_session_storage import MemorySessionStorage
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

    def cleared_on_last_disconnect() -> bool:
        cache = ScriptCache()
        cache._cache["/app/dashboard.py"] = compile("x = 1", "dashboard.py", "exec")
        manager = WebsocketSessionManager(MemorySessionStorage(), MemoryUploadedFileManager("/upload"), cache, None)
        manager.disconnect_session("een-sessie-die-wegging")  # no session is left
        return "/app/dashboard.py" not in cache._cache

    original = WebsocketSessionManager.disconnect_session
    before = config.get_option("server.fileWatcherType")
    try:
        config.set_option("server.fileWatcherType", "none")
        assert cleared_on_last_disconnect()  # Streamlit's own behaviour
        assert streamlit_private.keep_compiled_scripts() is True
        assert streamlit_private.keep_compiled_scripts() is False  # once
        assert not cleared_on_last_disconnect()
        config.set_option("server.fileWatcherType", "auto")
        assert cleared_on_last_disconnect()
    finally:
        WebsocketSessionManager.disconnect_session = original
        config.set_option("server.fileWatcherType", before)


def test_a_built_download_stays_until_its_own_session_runs_again():
    """Streamlit stores the file a deferred download built without a session reference, so two
    other sessions' runs delete it before a busy browser fetches it; with ``keep_built_downloads``
    it stays while the session that clicked does not run again, then goes as any other file."""
    from unittest import mock

    from streamlit.runtime import media_file_manager as mfm
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    def click(manager, session: str, coordinates: str) -> str:
        with mock.patch.object(mfm, "_get_session_id", return_value=session):
            deferred = manager.add_deferred(lambda: b"Regio;Waarde\nEnschede;1\n", "text/csv", coordinates,
                                            file_name="tabel.csv")
        return manager.execute_deferred(deferred).rsplit("/", 1)[-1].split(".")[0]

    def other_sessions_run(manager, times: int = 2) -> None:
        for _ in range(times):
            manager.remove_orphaned_files()

    def stored(manager, file_id: str) -> bool:
        return manager.read_file(file_id) is not None

    original = mfm.MediaFileManager.execute_deferred
    try:
        manager = mfm.MediaFileManager(MemoryMediaFileStorage("/media"))
        built = click(manager, "sessie-a", "1.(2.3).4")
        other_sessions_run(manager)
        assert not stored(manager, built)  # Streamlit's own behaviour: gone before the browser asks

        assert streamlit_private.keep_built_downloads() is True
        assert streamlit_private.keep_built_downloads() is False  # once
        manager = mfm.MediaFileManager(MemoryMediaFileStorage("/media"))
        built = click(manager, "sessie-a", "1.(2.3).4")
        other_sessions_run(manager, 5)
        assert stored(manager, built)
        manager.clear_session_refs("sessie-a")  # its next run, or the session ends
        other_sessions_run(manager)
        assert not stored(manager, built)  # nothing kept for ever

        # A click that arrives after its session ended (its references gone) leaves no reference.
        with mock.patch.object(mfm, "_get_session_id", return_value="sessie-b"):
            deferred = manager.add_deferred(lambda: b"Regio;Waarde\nHengelo;2\n", "text/csv", "1.(2.5).4")
        manager.clear_session_refs("sessie-b")
        built = manager.execute_deferred(deferred).rsplit("/", 1)[-1].split(".")[0]
        assert "sessie-b" not in manager._files_by_session_and_coord
        other_sessions_run(manager)
        assert not stored(manager, built)
    finally:
        mfm.MediaFileManager.execute_deferred = original
