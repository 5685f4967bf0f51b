# Reads the committed datasets/: the load generator's smoke run opens the real pages on the data the app ships.
"""The protocol-level load generator (``bench.loadgen``, ``bench.streamclient``) without a
browser: its smoke run against a real server (a few sessions for a few seconds, 0 errors, sane
numbers; nothing timed), an exception on a page counted as an error, cached messages resolved
as the frontend does, and the report. The comparison with what Chromium receives is in
tests/browser/test_loadgen_browser.py."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from bench import loadgen, loadreport, streamclient
from monitor.data.auth import add_user
from ui.streamlit_private import protocol

BackMsg, ForwardMsg, create_reference_msg, populate_hash_if_needed = protocol()

HERE = Path(__file__).resolve().parent


def _markdown_element(body: str) -> ForwardMsg:
    message = ForwardMsg()
    message.delta.new_element.markdown.body = body
    message.metadata.delta_path.extend([0, 1])
    populate_hash_if_needed(message)
    return message


def test_a_reference_is_replaced_by_the_cached_message_as_the_frontend_does():
    big = _markdown_element("x" * 20_000)  # above global.minCachedMessageSize: cacheable
    assert big.metadata.cacheable
    reference = create_reference_msg(big)
    assert reference.WhichOneof("type") == "ref_hash"
    finished = ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY)
    summary = streamclient.summarize([big.SerializeToString(), reference.SerializeToString(),
                                      finished.SerializeToString()])
    assert summary.elements["markdown"] == 2 and summary.deltas == 2 and summary.finished
    assert summary.errors == []


def test_a_reference_to_a_message_never_received_is_an_error():
    reference = create_reference_msg(_markdown_element("y" * 20_000))
    with pytest.raises(streamclient.ViewError, match="niet in de cache"):
        streamclient.summarize([reference.SerializeToString()])


def test_the_rerun_message_names_the_page_and_query_as_a_new_tab_does():
    back = BackMsg()
    back.ParseFromString(streamclient.rerun_message("http://127.0.0.1:9/projecten?tabblad=fasen"))
    state = back.rerun_script
    assert (state.page_name, state.query_string, state.page_script_hash) == ("projecten", "tabblad=fasen", "")
    assert list(state.cached_message_hashes) == []
    assert state.context_info.locale == "nl-NL" and state.context_info.url.endswith("/projecten?tabblad=fasen")
    back.ParseFromString(streamclient.rerun_message("http://127.0.0.1:9/"))
    assert back.rerun_script.page_name == ""


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    work = tmp_path_factory.mktemp("loadgen")
    datasets = work / "datasets"
    shutil.copytree(loadgen.REPO / "datasets", datasets, ignore=shutil.ignore_patterns("events", ".*"))
    secrets = work / "secrets.toml"
    add_user("redacteur-test", "redacteur", "correct-horse-battery", secrets_path=secrets)
    return work, datasets, secrets


def test_smoke_a_few_sessions_against_one_server_see_every_page_without_errors(setup, tmp_path):
    """``python -m bench.loadgen`` with 2 sessions for 3 s on one process: every view ready
    without errors, and numbers in a sane range (not timed)."""
    work, _datasets, _secrets = setup
    assert _in_own_thread(loadgen.main, ["--serving", "direct", "--steps", "2", "--seconds", "3", "--no-empty",
                                         "--label", "smoke", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "loadgen.json").read_text())
    (run,) = results["runs"]
    (step,) = run["steps"]
    assert step["errors"] == 0, step["error_texts"]
    assert step["views"] >= 2 and step["views_per_s"] > 0
    assert 0 < step["p50_s"] <= step["p95_s"] <= step["max_s"]
    assert step["server_cpu_ms"] > 0 and step["client_cpu_ms"] > 0
    assert step["deltas"] > 20 and step["kb"] > 5  # a monitor page, not an empty one
    assert step["rss_mb"] > 50
    assert {p for p, got in step["pages"].items() if got["views"]} <= {label for label, _ in loadgen.PAGES}
    text = (tmp_path / "loadgen.json").read_text()
    markdown = loadreport.render_markdown(json.loads(text))
    assert "| 2 |" in markdown and "smoke" in markdown


def test_an_exception_on_the_page_is_an_error(setup, tmp_path):
    work, datasets, secrets = setup
    served = loadgen.Served(0, datasets, secrets, tmp_path / "server.log", script=HERE / "raising_page.py")
    try:
        view = _in_own_thread(asyncio.run, _one_view(served.url))
        steps = _in_own_thread(loadgen.measure, served, [("faalt", "/")], [1], 1.0)
    finally:
        served.stop()
    assert not view.ok
    assert "uitzondering op de pagina" in view.error and "RuntimeError" in view.error
    assert view.summary.elements["exception"] == 1 and view.summary.finished
    assert steps[0]["views"] >= 1 and steps[0]["errors"] == steps[0]["views"]


# Messages a new visitor's view of a page may take (deltas, of which blocks). Each costs the
# server its serialisation, queueing and a WebSocket frame; a themalijn page sent 168 (53 blocks)
# and Indicatoren 91 (20) with a caption per source line, tabs for the map and columns for one row.
DELTA_BOUNDS = {"ouderen": (120, 32), "indicatoren": (82, 17)}


def test_a_themalijn_page_and_indicatoren_send_few_messages(setup, tmp_path):
    """A new view of Ouderen (the themalijn page with the most indicators) and of Indicatoren
    stays within its number of messages: source lines share one caption, a heading its sentence,
    the map waits in its expander (counted, not timed)."""
    work, datasets, secrets = setup
    served = loadgen.Served(0, datasets, secrets, tmp_path / "server.log")
    try:
        views = {page: _in_own_thread(asyncio.run, _view(served.url, page)) for page in DELTA_BOUNDS}
    finally:
        served.stop()
    for page, view in views.items():
        assert view.ok, view.error
        deltas, blocks = DELTA_BOUNDS[page]
        got = view.summary
        assert got.deltas <= deltas and got.elements["block"] <= blocks, (page, got.deltas, dict(got.elements))
        assert got.elements["vega_lite_chart"] >= 4  # the page itself, not an error in its place


async def _view(url: str, page: str) -> streamclient.View:
    conn = streamclient.connector()
    try:
        return await streamclient.view_once(conn, url, page, "/" + page)
    finally:
        await conn.close()


def _in_own_thread(function, *args):
    """``function(*args)`` in a thread of its own: the generator runs its own event loop
    (``asyncio.run``), which cannot start in a thread that already runs one, as a test worker does
    after a browser test (Playwright's sync API keeps a loop in the main thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


async def _one_view(url: str) -> streamclient.View:
    conn = streamclient.connector()
    try:
        return await streamclient.view_once(conn, url, "faalt", "/")
    finally:
        await conn.close()


def test_results_replace_the_marked_section_only(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(f"# R\n\nvoor\n\n{loadreport.BEGIN}\noud\n{loadreport.END}\n\nna\n", encoding="utf-8")
    loadreport.write_results_md("nieuw", path)
    assert path.read_text(encoding="utf-8") == f"# R\n\nvoor\n\n{loadreport.BEGIN}\nnieuw\n{loadreport.END}\n\nna\n"


def test_merge_joins_steps_of_the_same_label_and_configuration():
    def steps(*pairs):
        return [{"concurrency": c, "views": v} for c, v in pairs]

    run = {"label": "a", "serving": "nginx:1", "script": "app", "steps": steps((1, 10), (40, 11))}
    old = {"machine": "2 cores", "runs": [run, dict(run, script="leeg")], "idle": [{"label": "a", "x": 1}]}
    new = {"machine": "2 cores", "runs": [dict(run, steps=steps((100, 12), (1, 13))), dict(run, label="b")],
           "idle": []}
    merged = loadgen.merge(old, new)
    assert [(r["label"], r["script"], r["steps"]) for r in merged["runs"]] == [
        ("a", "app", steps((1, 13), (40, 11), (100, 12))), ("a", "leeg", steps((1, 10), (40, 11))),
        ("b", "app", steps((1, 10), (40, 11)))]
    assert merged["idle"] == [{"label": "a", "x": 1}]
