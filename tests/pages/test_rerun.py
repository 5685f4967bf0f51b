"""AppTest: a rerun (what a user's click causes) only draws.

The goal: a page rerun takes at most 100 ms. The levers (``ui.shell``): charts are built and
converted to Vega-Lite once per input (``shell.chart``), a page's view model once per data version
and widget values (``shell.view_cache``), and every download file (CSV, XLSX, PNG, SVG, PowerPoint, PDF) is
built when it is clicked, not on every run; an image is scaled for the page once. These tests rerun each page with nothing changed and
count the calls that must not happen; the last ones click the downloads (run the deferred
callables, as the server does on a click) and check the files still carry their sources.
"""

from __future__ import annotations

import io
import sys
from collections import Counter
from pathlib import Path

import altair as alt
import pytest
from openpyxl import load_workbook
from PIL import Image
from streamlit.testing.v1 import AppTest

from monitor.charts import comparisons, indicators, maps, veilig_thuis as vt_charts
from monitor.views.explorer import NO_SAMPLE_NOTE, SAMPLE_NOTE
from monitor.export import charts as export_charts
from monitor.export import slides_pdf, slides_pptx, tables
from dashboard import page_modules
from ui import streamlit_private

DASHBOARD = str(Path(__file__).resolve().parents[2] / "dashboard.py")

# Page file or themalijn url path, and the URL query: every page module of the registry
# (``dashboard.page_modules``; the themalijn module by its first themalijn) as it opens, then the
# views of a page that cost more.
VARIANTS = [
    ("ouderen", {"gemeente": "Enschede", "groep": "65+"}),
    ("pages/projecten.py", {"tabblad": "Fasen per themalijn"}),
    ("pages/projecten.py", {"tabblad": "Tijdlijn"}),
    ("pages/projecten.py", {"project": "kinderarmoede"}),
    ("pages/indicatoren.py", {"regio": ["Enschede", "Hengelo", "Borne", "Almelo"]}),
    ("pages/veilig_thuis.py", {"gemeente": "Tubbergen"}),
    ("pages/presentatie.py", {"themalijn": "Ouderen", "dia": "5"}),  # a live chart
    ("pages/presentatie.py", {"themalijn": "Ouderen", "dia": "6"}),  # a chart of fixed size, as image
    ("pages/presentatie.py", {"themalijn": "Ouderen", "weergave": "Afdrukken"}),
]
PAGES = [(page.url_path if page.name == "themalijn" else page.script, {}) for page in page_modules()] + VARIANTS

# What builds a file for a download, or a chart.
EXPORTERS = [tables.to_dutch_csv, tables.to_xlsx, export_charts.chart_png, export_charts.chart_svg,
             export_charts.with_source_footer, slides_pptx.deck_pptx, slides_pdf.deck_pdf]
BUILDERS = [getattr(module, name) for module in (indicators, comparisons, maps, vt_charts)
            for name in dir(module) if (name.endswith("_chart") or name == "choropleth")
            and getattr(getattr(module, name), "__module__", None) == module.__name__]


def _count(monkeypatch, function, counts: Counter) -> None:
    """Count the calls of ``function`` through every loaded module that holds it by name."""
    def counting(*args, **kwargs):
        counts[function.__qualname__] += 1
        return function(*args, **kwargs)

    counting.__module__, counting.__qualname__ = function.__module__, function.__qualname__
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith(("monitor", "ui", "pages", "tests")) \
                and getattr(module, function.__name__, None) is function:
            monkeypatch.setattr(module, function.__name__, counting)


def _count_method(monkeypatch, cls, name: str, counts: Counter) -> None:
    original = getattr(cls, name)

    def counting(self, *args, **kwargs):
        counts[f"{cls.__name__}.{name}"] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counting)


def _open(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.run()
    if page.endswith(".py"):
        at.switch_page(page)
    else:  # a themalijn page: four pages share one file, so it is opened by its url path
        streamlit_private.open_url_path(at, page)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("page", "query"), PAGES,
                         ids=[f"{page.removeprefix('pages/').removesuffix('.py')}{query or ''}" for page, query in PAGES])
def test_a_rerun_builds_no_chart_and_no_download(monkeypatch, page, query):
    at = _open(page, query)
    at.run()  # anything a first run left to do
    drawn = bool(at.get("vega_lite_chart") or at.get("image"))
    counts: Counter = Counter()
    for function in [*EXPORTERS, *BUILDERS]:
        _count(monkeypatch, function, counts)
    _count_method(monkeypatch, alt.TopLevelMixin, "to_dict", counts)  # a chart converted to Vega-Lite
    for method in ("resize", "save"):  # an image scaled and encoded again for the page
        _count_method(monkeypatch, Image.Image, method, counts)
    at.run()
    assert not at.exception, at.exception
    assert bool(at.get("vega_lite_chart") or at.get("image")) == drawn  # the rerun draws what the run drew
    assert counts == Counter(), f"a rerun built: {dict(counts)}"


@pytest.fixture
def media() -> list:
    """The media file manager of every AppTest run (the last one serves the clicked files)."""
    with streamlit_private.recording_media() as managers:
        yield managers


def _click(manager, button) -> bytes:
    """The file a click on a download button delivers."""
    data = streamlit_private.downloaded_file(manager, button)
    assert data is not None, f"{button.proto.label}: the file is built on every run, not on a click"
    return data


def _csv_lines(data: bytes) -> list[str]:
    return data.decode("utf-8-sig").splitlines()


def test_clicked_downloads_of_the_indicatoren_page_carry_their_sources(media):
    at = _open("pages/indicatoren.py", {"indicator": "Overgewicht", "regio": ["Enschede", "Hengelo"]})
    files = {button.proto.label + "·" + button.proto.id.rsplit("-", 1)[-1]: _click(media[-1], button)
             for button in at.get("download_button")}
    csv = _csv_lines(files["CSV (Excel)·csv"])
    assert csv[0].startswith("Indicator;") and any("Enschede" in line for line in csv)
    assert any(line.startswith("Twentse Koers Monitor · Overgewicht (%)") for line in csv)
    assert SAMPLE_NOTE in csv or NO_SAMPLE_NOTE in csv
    sheet = load_workbook(io.BytesIO(files["XLSX·xlsx"])).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(SAMPLE_NOTE in c or NO_SAMPLE_NOTE in c for c in cells)
    pngs = [data for label, data in files.items() if label.startswith("PNG")]
    svgs = [data.decode("utf-8") for label, data in files.items() if label.startswith("SVG")]
    assert len(pngs) == len(svgs) == 4
    assert all(png.startswith(b"\x89PNG") for png in pngs)
    assert all("Twentse Koers Monitor" in svg and ("voorbeelddata" in svg) for svg in svgs)


def test_clicked_downloads_of_the_veilig_thuis_page_carry_the_privacy_rule(media):
    at = _open("pages/veilig_thuis.py", {"gemeente": "Tubbergen"})
    buttons = {button.proto.label: button for button in at.get("download_button")}
    csv = _csv_lines(_click(media[-1], buttons["CSV (Excel)"]))
    assert any("Tubbergen" in line for line in csv)
    assert any("afscherming door cbs" in line.lower() for line in csv[-6:])
    assert any(line.startswith("Tubbergen;2024H1;Meldingen;Totaal;Totaal;45;") for line in csv)
    assert SAMPLE_NOTE not in csv  # CBS's real figures
    assert _click(media[-1], buttons["XLSX"]).startswith(b"PK")


def test_clicked_downloads_of_raw_veilig_thuis_counts_carry_the_monitor_protection(media, tmp_path, monkeypatch):
    from monitor.data import db
    from tests.helpers import sample_vt_datasets

    monkeypatch.setenv("MONITOR_DATASETS", str(sample_vt_datasets(tmp_path / "datasets")))
    db.clear_cache()
    try:
        at = _open("pages/veilig_thuis.py", {"gemeente": "Tubbergen"})
        buttons = {button.proto.label: button for button in at.get("download_button")}
        csv = _csv_lines(_click(media[-1], buttons["CSV (Excel)"]))
    finally:
        db.clear_cache()
    rows = [line.split(";") for line in csv if line.startswith("Tubbergen;")]
    assert rows and any(row[5] == "<10" for row in rows)
    assert all(row[5] in ("<10", "x") or (int(row[5]) >= 10 and int(row[5]) % 5 == 0) for row in rows)
    assert any("afgerond op veelvouden van 5" in line for line in csv[-6:])
    assert SAMPLE_NOTE in csv


def test_clicked_downloads_of_the_projecten_page(media):
    at = _open("pages/projecten.py", {})
    buttons = {button.proto.label: button for button in at.get("download_button")}
    csv = _csv_lines(_click(media[-1], buttons["CSV (Excel)"]))
    assert len([line for line in csv if line.count(";") > 3]) >= 30  # header and the 29 projects
    assert any(line.startswith("Bron: Twentse Koers Jaarplan 2025") for line in csv)
    assert _click(media[-1], buttons["XLSX"]).startswith(b"PK")
