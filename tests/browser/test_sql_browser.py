"""The SQL page in Chromium: type a query, run it, see the rows and download them as CSV;
a forbidden statement is refused in Dutch and the page keeps working."""

from __future__ import annotations

import csv
import io
import re
import urllib.parse

import pytest

pytestmark = pytest.mark.browser
TIMEOUT = 45_000
QUERY = ("select o.region_code, r.name, o.value, o.source_id from observations o join regions r using (region_code) "
         "where o.indicator_id = 'overgewicht' and o.period = '2020' and o.subgroup = 'totaal' "
         "and r.level = 'gemeente' and r.parent_code = 'GG_TWENTE' order by r.name")  # the store is national


def _ready(page):
    page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=TIMEOUT)


def _run(page, sql: str):
    editor = page.get_by_label("SQL-query")
    editor.fill(sql)
    editor.press("Control+Enter")  # commits the text area's value
    page.get_by_role("button", name="Uitvoeren").click()


def test_type_a_query_run_it_and_download_the_rows(app_url, page):
    page.goto(f"{app_url}/sql")
    _ready(page)
    page.get_by_role("heading", name="SQL", exact=True).first.wait_for(timeout=TIMEOUT)

    _run(page, QUERY)
    # st.dataframe is drawn on a canvas: the caption the page writes gives the row count.
    page.get_by_text(re.compile(r"^14 rijen · ")).wait_for(timeout=TIMEOUT)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=TIMEOUT)
    # The query lives in the URL.
    page.wait_for_url(re.compile(r"[?&]sql="), timeout=TIMEOUT)
    assert "overgewicht" in urllib.parse.unquote_plus(page.url)

    with page.expect_download() as info:
        page.get_by_role("button", name="CSV (Excel)").click()
    download = info.value
    assert download.suggested_filename == "sql-resultaat.csv"
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "region_code;name;value;source_id"
    rows = [r for r in csv.DictReader(io.StringIO(text), delimiter=";") if r.get("name")]
    assert len(rows) == 14
    enschede = next(r for r in rows if r["name"] == "Enschede")
    assert enschede["region_code"] == "GM0153" and "," in enschede["value"]  # decimal comma
    footer = [row[0] for row in csv.reader(io.StringIO(text), delimiter=";") if len(row) == 1]
    assert any(line.startswith("Bron: CBS") for line in footer), footer  # the result's source_id
    assert footer[-1] == "Query: " + QUERY
    assert "\r\n" in text


def test_forbidden_statement_is_refused_and_the_page_keeps_working(app_url, page):
    page.goto(f"{app_url}/sql")
    _ready(page)
    _run(page, "DROP TABLE regions")
    page.get_by_text("Niet toegestaan.", exact=False).wait_for(timeout=TIMEOUT)
    _run(page, "select * from regions where level = 'gemeente' and parent_code = 'GG_TWENTE'")
    page.get_by_text(re.compile(r"^14 rijen · ")).wait_for(timeout=TIMEOUT)
    # The error of the previous run goes once this run is complete.
    page.get_by_text("Niet toegestaan.", exact=False).wait_for(state="detached", timeout=TIMEOUT)


@pytest.mark.parametrize("width", [1280, 400])
def test_the_result_uses_the_full_width_in_dutch_and_the_buttons_read_in_full(app_url, browser, width):
    """The result sat in the editor's narrow column (two columns visible for the KPI example), with
    "59.5" and "None"; the "CSV (Excel)" button read "CSV …"."""
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sql = "select 59.5::double as waarde, null::double as leeg, 1234567 as aantal, 2020 as jaar, 'x' as tekst"
        page.goto(f"{app_url}/sql?sql={urllib.parse.quote(sql)}")
        _ready(page)
        page.get_by_text(re.compile(r"^1 rij · ")).wait_for(timeout=TIMEOUT)
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.wait_for(timeout=TIMEOUT)
        content = page.locator("[data-testid='stHeading']").first.bounding_box()  # the page's content width
        box = grid.bounding_box()
        assert box["width"] >= 0.98 * content["width"], (box, content)  # the page's width, not a column
        assert box["x"] + box["width"] <= width  # no horizontal scrolling
        # the cells as the page sends them (the grid draws on a canvas)
        cells = page.evaluate("""() => { const out = []; document.querySelectorAll('[data-testid=stDataFrame] table td,'
            + '[data-testid=stDataFrame] [role=gridcell]').forEach(c => out.push(c.innerText)); return out; }""")
        if cells:
            assert "59.5" not in cells and "None" not in cells
        for label in ("CSV (Excel)", "XLSX"):
            button = page.get_by_role("button", name=label)
            assert button.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), f"{label} is cut off"
            assert button.inner_text().split("\n")[-1] == label
        with page.expect_download(timeout=TIMEOUT) as info:
            page.get_by_role("button", name="CSV (Excel)").click()
        text = info.value.path().read_bytes().decode("utf-8-sig")
        assert text.splitlines()[1].startswith("59,5;;1234567;2020;x")
    finally:
        context.close()
