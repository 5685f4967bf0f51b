"""Accessibility: axe-core's WCAG 2.1 A and AA rules on every page and state, tasks
done by keyboard alone, reflow at 320 CSS px and at 200% zoom, and the verklaring's results.

axe-core is the script bundled with ``axe-playwright-python`` (pinned in requirements-dev.txt),
run by Playwright in Debian's Chromium. Every page is found from the sidebar's own links, so a
new page is checked without a change here. The results of a run are compared with
``sources/toegankelijkheid/resultaten.json``, from which the *Toegankelijkheid* page writes its
verklaring: a state that fails, or a page the file does not list, fails this test.
``make toegankelijkheid`` runs this file with ``MONITOR_WRITE_A11Y=1`` and rewrites that file.
"""

from __future__ import annotations

import json
import re

import pytest

from monitor import settings
from monitor.data import store
from dashboard import PAGES, page_modules
from monitor.views import toegankelijkheid
from tests.browser.conftest import EDITOR
from tests.browser.test_projecten_browser import _select as select

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESULTS: dict[str, dict] = {}  # state id → {"titel", "pad", "overtredingen": [...]}


def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def wait_ready(page) -> None:
    """The page has run to its end (the shared footer is drawn last), nothing is stale or
    still loading, and it has stopped changing for a moment."""
    page.get_by_text("peildatum van de data", exact=False).first.wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        """() => {
          const app = document.querySelector('[data-test-script-state]');
          return app && app.getAttribute('data-test-script-state') === 'notRunning'
            && !document.querySelector('[data-stale=true], [data-testid=stSkeleton], [data-testid=stAppSkeleton]');
        }""", timeout=TIMEOUT)
    page.wait_for_timeout(400)


def check(page, state: str, title: str) -> list[dict]:
    """Run axe on what the page shows now; remember the result for the verklaring."""
    wait_ready(page)
    response = _axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                         "resultTypes": ["violations"]}).response
    found = [{"regel": v["id"], "impact": v["impact"], "elementen": len(v["nodes"]),
              "voorbeeld": v["nodes"][0]["target"], "uitleg": v["help"]} for v in response["violations"]]
    RESULTS[state] = {"titel": title, "pad": page.url.split("/", 3)[-1], "overtredingen": found,
                      "axe": response["testEngine"]["version"]}
    return found


def _first_project_id() -> str:
    return str(store.read_frame("projects").sort_values("name")["project_id"].iloc[0])


def _sidebar_pages(page, app_url) -> list[tuple[str, str]]:
    page.goto(app_url)
    wait_ready(page)
    links = page.locator("[data-testid=stSidebar] a[data-testid=stPageLink-NavLink]")
    found = [(links.nth(i).inner_text().strip().split("\n")[-1].strip(), links.nth(i).get_attribute("href"))
             for i in range(links.count())]
    assert len(found) >= 12, found
    return [(title, href.rstrip("/").rsplit("/", 1)[-1] or "overzicht") for title, href in found]


def test_every_page_has_no_wcag_violations(app_url, page):
    failures = {}
    for title, path in _sidebar_pages(page, app_url):
        page.goto(f"{app_url}/{path}")
        found = check(page, f"pagina:{path}", title)
        if found:
            failures[path] = found
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)


def test_every_page_at_320_px_has_no_wcag_violations(app_url, browser):
    """Reflow (WCAG 1.4.10) without loss: at 320 CSS px every page also passes axe-core, so what
    scrolls inside its own box there can take the keyboard focus (not part of the verklaring's
    list of states; the reflow test below checks the page itself does not scroll sideways)."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 800})
    page = context.new_page()
    failures = {}
    try:
        for _title, path in _sidebar_pages(page, app_url):
            page.goto(f"{app_url}/{path}")
            wait_ready(page)
            response = _axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                                 "resultTypes": ["violations"]}).response
            found = [(v["id"], len(v["nodes"]), v["nodes"][0]["target"]) for v in response["violations"]]
            if found:
                failures[path] = found
    finally:
        context.close()
    assert not failures, failures


STATES = [
    ("projectdetail", "Projectdetail", lambda: f"projecten?project={_first_project_id()}"),
    ("projecten-leeg", "Projecten zonder resultaat (lege lijst)", lambda: "projecten?zoek=zzzzzz"),
    ("sql-resultaat", "SQL met een resultaat",
     lambda: "sql?sql=select+region_code%2C+count(*)+as+n+from+observations+group+by+1"),
    ("sql-fout", "SQL met een foutmelding", lambda: "sql?sql=selec+1"),
    ("presentatie-dia", "Presentatie, dia met grafiek", lambda: "presentatie?themalijn=Bestaanszekerheid&dia=3"),
    ("presentatie-afdrukken", "Presentatie, afdrukweergave",
     lambda: "presentatie?themalijn=Bestaanszekerheid&weergave=Afdrukken"),
    ("indicatoren-keuze", "Indicatoren met een gekozen indicator en gemeenten",
     lambda: "indicatoren?indicator=Overgewicht&regio=Enschede&regio=Hengelo"),
    ("projecten-tijdlijn", "Projecten, tabblad Tijdlijn", lambda: "projecten?tabblad=Tijdlijn"),
    ("projecten-lokaal", "Projecten, tabblad Lokale opdrachten", lambda: "projecten?tabblad=Lokale+opdrachten"),
]


@pytest.mark.parametrize("state,title,path", STATES, ids=[s[0] for s in STATES])
def test_states_have_no_wcag_violations(app_url, page, state, title, path):
    page.goto(f"{app_url}/{path()}")
    assert check(page, state, title) == []


def test_an_opened_map_and_a_charts_figures_have_no_wcag_violations(app_url, page):
    """What only a click draws: the map of the gemeenten on a themalijn page (in its closed
    expander) and the table under a chart ("Cijfers bij deze grafiek")."""
    from ui.indicator_sections import MAP_LABEL

    page.goto(f"{app_url}/preventie-en-gezondheid")
    wait_ready(page)
    page.locator("summary", has_text=MAP_LABEL).first.click()
    page.get_by_text(re.compile(r"^Bron: .*gemeentegrenzen")).first.wait_for(timeout=TIMEOUT)
    summary = page.locator("summary", has_text="Cijfers bij deze grafiek").first
    summary.click()
    page.locator("[data-testid=stExpander]").filter(has=summary).first \
        .locator("[data-testid=stTable] table").first.wait_for(timeout=TIMEOUT)
    assert check(page, "themalijn-kaart-cijfers", "Themalijnpagina met de kaart en de cijfers bij een grafiek") == []
    # A table wider than its column scrolls in its own box, which takes the keyboard focus and
    # scrolls with the arrow keys (monitor/serving/scroll_regions_nl.js); one that fits takes none.
    boxes = page.locator("[data-testid=stTable] > div")
    scrolling = [boxes.nth(i) for i in range(boxes.count())
                 if boxes.nth(i).evaluate("b => b.scrollWidth > b.clientWidth + 1")]
    fitting = [boxes.nth(i) for i in range(boxes.count())
               if boxes.nth(i).evaluate("b => b.scrollWidth <= b.clientWidth + 1")]
    assert scrolling and fitting
    for box in scrolling:
        assert (box.get_attribute("tabindex"), box.get_attribute("role"), box.get_attribute("aria-label")) == \
            ("0", "region", "Tabel, scrolt zijwaarts")
    assert all(box.get_attribute("tabindex") is None for box in fitting)
    scrolling[0].focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0", arg=scrolling[0].element_handle(), timeout=TIMEOUT)
    page.set_viewport_size({"width": 320, "height": 800})
    page.wait_for_timeout(800)
    assert check(page, "themalijn-kaart-cijfers-320", "Dezelfde pagina op 320 CSS-pixels breed") == []


def _log_in(page, app_url, path: str, password: str = EDITOR[1]) -> None:
    page.goto(f"{app_url}/{path}")
    wait_ready(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Inloggen voor redacteuren").click()
    sidebar.get_by_label("Gebruikersnaam").fill(EDITOR[0])
    sidebar.get_by_label("Wachtwoord").fill(password)
    sidebar.get_by_role("button", name="Inloggen").click()


def test_a_redacteurs_forms_and_a_failed_login_have_no_wcag_violations(app_url, browser):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        _log_in(page, app_url, "projecten", password="fout-wachtwoord")
        page.get_by_text("Onjuiste gebruikersnaam of wachtwoord").first.wait_for(timeout=TIMEOUT)
        assert check(page, "inloggen-mislukt", "Inloggen mislukt (foutmelding)") == []
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.get_by_label("Wachtwoord").fill(EDITOR[1])
        sidebar.get_by_role("button", name="Inloggen").click()
        sidebar.get_by_text(f"Ingelogd als {EDITOR[0]}").wait_for(timeout=TIMEOUT)
        page.get_by_text("Wijziging vastleggen").first.wait_for(timeout=TIMEOUT)
        assert check(page, "redacteur-projecten", "Projecten met de formulieren van een redacteur") == []
        # Open a project within the session (a new page load would start a new, logged-out session).
        name = store.read_frame("projects").sort_values("name")["name"].iloc[0]
        select(page, "Project openen", name)
        page.get_by_role("heading", name=name, exact=True).wait_for(timeout=TIMEOUT)
        page.get_by_role("button", name=re.compile("vastleggen")).first.wait_for(timeout=TIMEOUT)
        assert check(page, "redacteur-projectdetail", "Projectdetail met de formulieren van een redacteur") == []
    finally:
        context.close()


# --- Keyboard only ------------------------------------------------------------------------

FOCUS_VISIBLE = """() => {
  const e = document.activeElement; if (!e || e === document.body) return false;
  const s = getComputedStyle(e), p = e.parentElement ? getComputedStyle(e.parentElement) : null;
  const ring = st => st && ((st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0)
                            || (st.boxShadow && st.boxShadow !== 'none'));
  return ring(s) || ring(p) || (e.closest('[data-baseweb]') && ring(getComputedStyle(e.closest('[data-baseweb]'))));
}"""


def tab_to(page, matches: str, limit: int = 120) -> None:
    """Press Tab until the focused element satisfies the JS predicate ``matches`` (gets the
    element); fails when it is not reached in ``limit`` presses. Every stop is checked for a
    visible focus indicator."""
    unseen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if not page.evaluate(FOCUS_VISIBLE):
            unseen.append(page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)"))
        if page.evaluate(f"() => ({matches})(document.activeElement)"):
            assert not unseen, f"focus niet zichtbaar op: {unseen[:3]}"
            return
    pytest.fail(f"niet met Tab bereikt: {matches}")


def _label_is(text: str) -> str:
    return f"e => (e.getAttribute('aria-label') || e.innerText || '').trim() === {json.dumps(text)}"


def test_analyst_picks_an_indicator_and_downloads_by_keyboard(app_url, page):
    page.goto(f"{app_url}/indicatoren")
    wait_ready(page)
    tab_to(page, _label_is("Indicator"))
    page.keyboard.type("Overgewicht")
    page.keyboard.press("Enter")
    wait_ready(page)
    assert page.get_by_role("combobox", name="Indicator", exact=True).input_value().startswith("Overgewicht")
    tab_to(page, "e => e.tagName === 'BUTTON' && /CSV/.test(e.innerText)", limit=200)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")


def test_themaleider_steps_through_the_slides_by_keyboard(app_url, page):
    page.goto(f"{app_url}/presentatie?themalijn=Bestaanszekerheid")
    wait_ready(page)
    first = page.locator("h1").first.inner_text()
    page.keyboard.press("PageDown")
    page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText !== t",
                           arg=first, timeout=TIMEOUT)
    wait_ready(page)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText === t",
                           arg=first, timeout=TIMEOUT)


def test_programme_manager_logs_in_and_records_a_phase_change_by_keyboard(app_url, browser, app_datasets):
    from monitor.data import events

    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        project = store.read_frame("projects").sort_values("name").iloc[-1]
        page.goto(f"{app_url}/projecten?project={project['project_id']}")
        wait_ready(page)
        tab_to(page, "e => e.tagName === 'SUMMARY' && /Inloggen voor redacteuren/.test(e.innerText)")
        page.keyboard.press("Enter")  # opens it: the form is drawn then (a rerun)
        page.locator("[data-testid='stSidebar']").get_by_label("Gebruikersnaam").wait_for(timeout=TIMEOUT)
        tab_to(page, _label_is("Gebruikersnaam"))
        page.keyboard.type(EDITOR[0])
        page.keyboard.press("Tab")
        page.keyboard.type(EDITOR[1])
        page.keyboard.press("Enter")
        page.get_by_text(f"Ingelogd als {EDITOR[0]}").wait_for(timeout=TIMEOUT)
        wait_ready(page)
        before = len(events.load_events("phase_events", app_datasets))
        tab_to(page, "e => e.tagName === 'TEXTAREA' || (e.tagName === 'INPUT' && "
                     "(e.getAttribute('aria-label') || '') === 'Toelichting')", limit=200)
        page.keyboard.type("Via het toetsenbord vastgelegd")
        tab_to(page, "e => e.tagName === 'BUTTON' && /Faseovergang vastleggen/.test(e.innerText)", limit=40)
        page.keyboard.press("Enter")
        page.get_by_text("Faseovergang vastgelegd", exact=False).first.wait_for(timeout=TIMEOUT)
        assert len(events.load_events("phase_events", app_datasets)) == before + 1
    finally:
        context.close()


# --- Reflow -------------------------------------------------------------------------------

REFLOW = [("320px", {"width": 320, "height": 640}), ("200procent", {"width": 640, "height": 400})]


@pytest.mark.parametrize("name,viewport", REFLOW, ids=[r[0] for r in REFLOW])
def test_pages_reflow_without_horizontal_scrolling(app_url, browser, name, viewport):
    """WCAG 1.4.10: at 320 CSS px (and at 200% of 1280 px, 640 CSS px) no page scrolls
    sideways and nothing is cut off; data tables and charts may scroll inside their own box."""
    context = browser.new_context(locale="nl-NL", viewport=viewport)
    page = context.new_page()
    wide = {}
    try:
        for path in [page.url_path for page in page_modules()]:  # every page module of the registry
            page.goto(f"{app_url}/{path}")
            wait_ready(page)
            sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if sizes[0] > sizes[1] + 1:
                wide[path] = sizes
    finally:
        context.close()
    assert not wide, f"horizontaal scrollen bij {name}: {wide}"


# --- Charts: a text alternative and the figures as a table --------------------------------

ENGLISH = re.compile(r"\b(axis|mark|title text|scale|values from|container)\b", re.IGNORECASE)
CHARTS_JS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].map(chart => {
  const box = chart.closest('[data-testid=stElementContainer]');
  const next = box && box.nextElementSibling;
  const svg = chart.querySelector('svg');
  return {label: chart.getAttribute('aria-label'), role: chart.getAttribute('role'),
          drawn: !!svg,
          table: next ? (next.querySelector('[data-testid=stExpander] summary') || {}).innerText || '' : '',
          spoken: svg ? [...svg.querySelectorAll('[aria-label], [aria-roledescription]')]
            .filter(e => !e.closest('[aria-hidden=true]'))
            .map(e => (e.getAttribute('aria-roledescription') || '') + ' ' + (e.getAttribute('aria-label') || ''))
            : []};
})"""


@pytest.mark.parametrize("path", ["bestaanszekerheid", "indicatoren?indicator=Overgewicht&regio=Enschede",
                                  "vergelijken?indicator=Wanbetalers+zorgpremie"])
def test_every_chart_has_a_dutch_text_alternative_and_its_figures_as_a_table(app_url, page, path):
    """WCAG 1.1.1 and 3.1.1: each chart is a ``graphics-document`` labelled with its Dutch
    duiding sentence, Vega's generated English labels of axes, marks and titles are off, and a
    closed expander "Cijfers bij deze grafiek" right under the chart holds its figures. No English
    role description is left in a chart, not even Vega's "group mark container" on its groups."""
    page.goto(f"{app_url}/{path}")
    wait_ready(page)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
                           ".filter(c => c.checkVisibility()).every(c => c.querySelector('svg'))",
                           timeout=TIMEOUT)
    charts = page.evaluate(CHARTS_JS)
    assert len(charts) >= 2, charts
    for chart in charts:
        assert chart["table"].strip().endswith("Cijfers bij deze grafiek"), chart  # after its icon
        if not chart["drawn"]:  # in a tab that is not open: Vega draws it when shown
            continue
        assert chart["role"] == "graphics-document" and chart["label"], chart
        assert not ENGLISH.search(chart["label"]), chart["label"]
        # Vega's "group mark container" included: monitor/serving/vega_aria_nl.js takes it off
        assert not [s for s in chart["spoken"] if ENGLISH.search(s)], chart
    texts = []  # the first charts' figure tables: Dutch numbers (a figure as the plan wrote it, "onder 17%", has none)
    expanders = page.locator("[data-testid=stExpander]").filter(
        has=page.get_by_text("Cijfers bij deze grafiek", exact=True))
    visible = [expanders.nth(at) for at in range(expanders.count()) if expanders.nth(at).is_visible()]
    for expander in visible[:3]:
        expander.get_by_text("Cijfers bij deze grafiek", exact=True).click()
        table = expander.locator("[data-testid=stTable] table").first
        table.wait_for(timeout=TIMEOUT)
        assert table.locator("th").count() >= 2 and table.locator("td").count() >= 2
        texts.append(table.inner_text())
    assert any(re.search(r"\d,\d", text) for text in texts), "getallen met een decimale komma"
    assert not [t for t in texts if re.search(r"\d\.\d{1,2}(?!\d)", t)], "een Engelse decimale punt"


CHART_PAGES = ["overzicht", "projecten", "preventie-en-gezondheid", "ouderen", "veilig-thuis",
               "indicatoren?indicator=Overgewicht&regio=Enschede", "vergelijken"]


def test_no_chart_on_any_page_speaks_english(app_url, page):
    """Every drawn chart on the chart pages (phase grid, timeline, themalijn, Veilig Thuis, a
    map): no English label or role description left in its SVG for a screen reader to read."""
    english, drawn = {}, 0
    for path in CHART_PAGES:
        page.goto(f"{app_url}/{path}")
        wait_ready(page)
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
                               ".filter(c => c.checkVisibility()).every(c => c.querySelector('svg, canvas'))",
                               timeout=TIMEOUT)
        charts = [c for c in page.evaluate(CHARTS_JS) if c["drawn"]]
        drawn += len(charts)
        spoken = [s for c in charts for s in c["spoken"] if ENGLISH.search(s)]
        if spoken:
            english[path] = sorted(set(spoken))[:5]
    assert drawn >= len(CHART_PAGES), f"te weinig getekende grafieken: {drawn}"
    assert not english, english


GRIDS_JS = """() => [...document.querySelectorAll('[data-testid=stDataFrame]')].filter(d => d.checkVisibility()).map(d => {
  const grid = d.querySelector('table[role=grid]');
  const themed = [d, ...d.querySelectorAll('*')].find(e => getComputedStyle(e).getPropertyValue('--gdg-text-dark'));
  const style = themed ? getComputedStyle(themed) : null;
  const vars = {};
  for (const name of ['text-dark', 'text-medium', 'text-header', 'text-group-header', 'link-color', 'bg-cell',
                      'bg-header', 'bg-group-header']) {
    vars[name] = style ? style.getPropertyValue('--gdg-' + name).trim() : '';
  }
  return {grid: !!grid, rows: grid ? Number(grid.getAttribute('aria-rowcount')) : 0,
          headers: grid ? [...grid.querySelectorAll('th')].map(h => h.textContent.trim()) : [],
          cells: grid ? [...grid.querySelectorAll('td')].map(c => c.textContent.trim()).filter(Boolean).length : 0,
          vars};
})"""


def _rgba(text: str) -> tuple[float, float, float, float]:
    if text.startswith("#"):
        return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16), 1.0
    parts = [float(p) for p in re.findall(r"[\d.]+", text)]
    return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0


def _over(colour: tuple, under: tuple) -> tuple[float, float, float]:
    alpha = colour[3]
    return tuple(alpha * c + (1 - alpha) * u for c, u in zip(colour[:3], under[:3]))


def _luminance(rgb: tuple) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(text: str, background: str) -> float:
    """WCAG contrast ratio of CSS colour ``text`` on ``background`` (both composited on white)."""
    white = (255, 255, 255, 1.0)
    under = _over(_rgba(background), white)
    over = _over(_rgba(text), (*under, 1.0))
    high, low = sorted((_luminance(over), _luminance(under)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_follows_wcag_on_known_pairs():
    assert round(contrast("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast("#828180", "#FFFFFF"), 2) == 3.89  # 3,88:1 when rounded down: Streamlit's old caption grey
    assert contrast("rgba(17, 21, 32, 0.4)", "#FFFFFF") < 4.5  # Glide's light text: not for content


@pytest.mark.parametrize("path", ["bronnen", "bestaanszekerheid", "indicatoren", "veilig-thuis"])
def test_interactive_tables_have_a_readable_table_behind_the_canvas_and_enough_contrast(app_url, page, path):
    """WCAG 1.3.1, 1.4.3 and 4.1.2 for st.dataframe, which draws its cells on a canvas axe-core
    cannot read: behind it is the same table as an HTML ``table role=grid`` with headers and
    cells (what a screen reader and the keyboard use), and the colours the canvas draws text in
    (Glide Data Grid's theme, from ``.streamlit/config.toml``) have a contrast of at least 4,5:1."""
    page.goto(f"{app_url}/{path}")
    wait_ready(page)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame]')]"
                           ".some(d => d.checkVisibility() && d.querySelector('table[role=grid] td'))", timeout=TIMEOUT)
    grids = page.evaluate(GRIDS_JS)
    assert grids, path
    for grid in grids:
        assert grid["grid"] and grid["rows"] >= 2 and grid["cells"] > 0, grid
        assert len(grid["headers"]) >= 2 and all(grid["headers"]), grid["headers"]
        colours = grid["vars"]
        for text, background in (("text-dark", "bg-cell"), ("text-medium", "bg-cell"), ("link-color", "bg-cell"),
                                 ("text-header", "bg-header"), ("text-group-header", "bg-group-header")):
            ratio = contrast(colours[text], colours[background])
            assert ratio >= 4.5, (path, text, colours[text], background, colours[background], round(ratio, 2))


# --- The verklaring's results -------------------------------------------------------------

def test_the_verklaring_matches_this_run():
    """Runs last in this file: what the Toegankelijkheid page states is what was found now."""
    if len(RESULTS) < len(STATES) + len(PAGES):  # every state and every page of the registry
        pytest.skip("niet alle toestanden zijn in deze run gecontroleerd (gedeeltelijke run)")
    fresh = toegankelijkheid.results_document(RESULTS)
    if settings.flag("MONITOR_WRITE_A11Y"):
        toegankelijkheid.RESULTS_PATH.write_text(json.dumps(fresh, indent=1, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    committed = toegankelijkheid.load_results()
    assert toegankelijkheid.comparable(committed) == toegankelijkheid.comparable(fresh), (
        "sources/toegankelijkheid/resultaten.json wijkt af van deze run: draai make toegankelijkheid")
