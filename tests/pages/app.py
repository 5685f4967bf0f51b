"""Opening the dashboard on one page in AppTest, the same way for every page test."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from ui import streamlit_private

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")


def open_page(page: str | None, query: dict | None = None, *, timeout: int = 90, session: dict | None = None,
              secrets: dict | None = None, url_path: str | None = None) -> AppTest:
    """The dashboard switched to ``pages/<page>.py`` (or to the page registered under
    ``url_path``: the four themalijn pages share one file) with ``query`` as URL parameters, run
    once; fails the test on any exception the page raised. ``session``: session state set before
    the first run (a logged-in user); ``secrets``: the secrets the app sees."""
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    at.secrets.update(secrets or {})
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py")
    if url_path:
        streamlit_private.open_url_path(at, url_path)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def headings(at: AppTest) -> list[str]:
    """The text of every heading below the title: ``st.header``/``st.subheader`` elements and the
    Markdown heading an element opens with ("### …": ``ui.indicator_sections.text_block`` puts a
    heading, its sentence and its source lines in one element)."""
    found = [h.value for h in [*at.header, *at.subheader]]
    for element in at.markdown:
        first = element.value.split("\n", 1)[0]
        if first.startswith("#"):
            found.append(first.lstrip("#").strip())
    return found


def open_figures(at: AppTest) -> int:
    """Open every closed "Cijfers bij deze grafiek" expander (``ui.figures``: their tables are
    drawn only when open) as a user's click would, and run again; returns how many were opened."""
    from ui.figures import DATA_LABEL, FIGURES_KEY

    return _open_lazy(at, FIGURES_KEY, lambda e: e.label == DATA_LABEL)


def open_regions(at: AppTest) -> int:
    """Open every "Alle … in een grafiek" expander of a "Twente tussen de regio's" block (its chart
    is drawn only when open), as a user's click would, and run again; returns how many."""
    from ui.indicator_sections import REGIONS_KEY

    return _open_lazy(at, REGIONS_KEY)


def _open_lazy(at: AppTest, prefix: str, label_test=lambda e: True) -> int:
    # A keyed widget's element id ends in its key: ``$$ID-<hash>-<key>``.
    keys = [e.proto.id.split("-", 2)[2] for e in at.expander
            if label_test(e) and f"-{prefix}-" in e.proto.id]
    for key in keys:
        at.session_state[key] = True
    if keys:
        at.run()
        assert not at.exception, at.exception
    return len(keys)


def copy_datasets(tmp_path, monkeypatch):
    """A copy of the committed datasets (no recorded events) that the app reads
    (``MONITOR_DATASETS``), for a page test that records changes."""
    import shutil

    from monitor.data import db

    target = tmp_path / "datasets"
    shutil.copytree(Path(DASHBOARD).parent / "datasets", target, ignore=shutil.ignore_patterns("events"))
    monkeypatch.setenv("MONITOR_DATASETS", str(target))
    db.clear_cache()
    return target


def chart_rows(at: AppTest) -> list[dict]:
    """Every data row the page's charts were sent with: Streamlit's Arrow datasets and the inline
    values of the spec and its layers."""
    rows: list[dict] = []
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            rows += pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
        spec = json.loads(chart.proto.spec)
        for part in [spec, *spec.get("layer", [])]:
            data = part.get("data")
            rows += data.get("values", []) if isinstance(data, dict) else []
    return rows
