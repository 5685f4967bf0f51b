"""Load as a correctness check: MONITOR_LOAD_SESSIONS (default 6) browser sessions at once, one
Chromium with a context each, each going through the pages for MONITOR_LOAD_SECONDS (default 60)
with its own choices. A few browsers on the server's own cores check that sessions under load keep
apart and nothing fails; how many people a server serves is measured without browsers, since real
users' browsers run on their own machines (``python -m bench.loadgen``, bench/RESULTS.md).

Every session ``i`` has its own selection (``Selection``): gemeente ``i % 14``, themalijn
``i % 4``, an indicator, a Vorige peildatum, a Veilig Thuis soort and a Bronnen search term,
chosen so that no two sessions have the same selection on any page. It visits Overzicht,
Projecten, a themalijn page, Indicatoren, Veilig Thuis and Bronnen in turn (session ``i``
starts at page ``i % 6``), alternately like a user (sidebar link, then the widgets) and through
a link with the selection in the URL. Each step waits until the page is ready (definition in
``tests/browser/ready.py``) and records the time from the start of the navigation or
interaction to the page's last change. The clock starts once all have opened the app (that
first, cold load is measured on its own). After each visit it checks that the URL, the widgets and the text the server
wrote from the session's state (captions, headings, sentences) show exactly this session's
selection; a value that is another session's is counted as a leak.

Errors: an exception box, ``st.error``, error text, an HTTP status >= 400, a failed request,
a WebSocket error or reconnection, an uncaught page error and console errors (except the ones
``ready.py`` explains as benign). At the end: zero errors and zero leaks; the median, 95th
percentile and maximum page-ready time and the number of page views go to
``bench/out/load.json`` and one summary line.

The second test does the same through nginx in front of two replicas
(``python -m monitor serve --replicas 2``); its numbers go to ``bench/out/load-replicas.json``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import re
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from bench.pageviews import cpu_seconds
from monitor import settings
from monitor.data import db
from monitor.views import explorer
from monitor.domain import vt_labels
from monitor.views import veilig_thuis as vt
from monitor.data.contract import THEMALIJNEN
from monitor.domain.projects import filter_projects, with_status
from monitor.data import store
from monitor.domain.regions import GEMEENTE_CODES, TWENTE, region_name, twente_focus_name, twente_name
from monitor.views.tables import filter_indicators
from monitor.domain.text import format_short_date
from tests.browser import ready
from tests.browser.conftest import CHROMIUM_ARGS, REPO, SCREENSHOTS, start_replicas, stop_server

pytestmark = [pytest.mark.browser, pytest.mark.load]

SESSIONS = settings.integer("MONITOR_LOAD_SESSIONS", 6)
SECONDS = settings.number("MONITOR_LOAD_SECONDS", 60.0)
# Generous (measured with 20 sessions, the test's earlier size): they share 2 cores with the server and Chromium. A step
# p95 64 s, max 68 s (84 s with other work on the machine); opening the app (20 cold renderers
# loading Streamlit's code at once) max 95 s (109 s). A timeout is a hang, not slowness.
STEP_TIMEOUT_MS = 180_000
OPEN_TIMEOUT_MS = 300_000
OUT = REPO / "bench" / "out" / "load.json"
OUT_REPLICAS = REPO / "bench" / "out" / "load-replicas.json"
REPLICAS = settings.integer("MONITOR_LOAD_REPLICAS", 2)

GEMEENTEN = [region_name(code) for code in GEMEENTE_CODES]
THEMALIJN_SLUGS = list(THEMALIJNEN)
KINDS = [k for k in vt.KIND_OPTIONS if k != vt.DEFAULT_KIND]  # a default value stays out of the URL
SEARCH_TERMS = ["gewicht", "mantelzorg", "beperking", "drink", "voldoet"]
DEFAULT_REGIONS = [region_name(code) for code in explorer.DEFAULT_REGIONS]  # Twente (GGD-regio), Nederland
PAGES = ["overzicht", "projecten", "themalijn", "indicatoren", "veilig-thuis", "bronnen"]
NAV_TITLES = {"overzicht": "Overzicht", "projecten": "Projecten", "indicatoren": "Indicatoren",
              "veilig-thuis": "Veilig Thuis", "bronnen": "Bronnen", **THEMALIJNEN}
TITLES = {**NAV_TITLES, "bronnen": "Bronnen en definities"}
MAIN = '[data-testid="stMain"]'
CAPTION = '[data-testid="stCaptionContainer"]'
# The element each page writes once its run is done (structure only, never a selection, so
# that a wrong selection is reported as a leak by the checks, not as a timeout).
NEEDLES = {
    "overzicht": [(f"{MAIN} p", r"^Sinds \d\d-\d\d-\d{4}:")],
    "projecten": [(CAPTION, r"^\d+ van \d+ projecten")],
    "themalijn": [(f"{MAIN} h3", r" en Nederland door de tijd$")],
    "indicatoren": [(CAPTION, r"^\d+ cijfers · ")],
    "veilig-thuis": [(f"{MAIN} h2", r"^Uitsplitsing: ")],
    "bronnen": [(CAPTION, r"^\d+ van \d+ indicatoren$")],
}


@dataclass(frozen=True)
class Selection:
    """Session ``i``'s own choices; unique per session on every page."""

    index: int
    gemeente: str
    themalijn: str  # slug, also the themalijn page's url path
    indicator: str  # the option label on the Indicatoren page
    indicator_unit: str
    vorige: date
    soort: str  # kind label on the Veilig Thuis page
    zoek: str
    projecten: int  # projects of the themalijn in the gemeente (what the caption must say)
    indicatoren: int  # indicators of the themalijn matching zoek
    twente: str = DEFAULT_REGIONS[0]  # Twente as the region that produced the indicator's figures

    @property
    def themalijn_name(self) -> str:
        return THEMALIJNEN[self.themalijn]

    def url_params(self, kind: str) -> dict[str, list[str]]:
        return {
            "overzicht": {"vorige": [self.vorige.isoformat()]},
            "projecten": {"themalijn": [self.themalijn_name], "gemeente": [self.gemeente]},
            "themalijn": {"gemeente": [self.gemeente]},
            "indicatoren": {"indicator": [self.indicator], "regio": [*DEFAULT_REGIONS, self.gemeente]},
            "veilig-thuis": {"gemeente": [self.gemeente], "soort": [self.soort]},
            "bronnen": {"zoek": [self.zoek], "themalijn": [self.themalijn_name]},
        }[kind]

    def expected(self, kind: str) -> dict[str, object]:
        """What the page must show for this selection: key → value (see ``observed``)."""
        values: dict[str, object] = {"url": self.url_params(kind)}
        if kind == "overzicht":
            values |= {"Vorige peildatum": self.vorige, "sinds": [format_short_date(self.vorige)] * len(THEMALIJNEN)}
        elif kind == "projecten":
            values |= {"Themalijn": [self.themalijn_name], "Gemeente": self.gemeente, "aantal": self.projecten}
        elif kind == "themalijn":
            values |= {"Gemeente": self.gemeente, "trend": [self.gemeente]}
        elif kind == "indicatoren":
            regions = [*DEFAULT_REGIONS, self.gemeente]
            values |= {"Indicator": self.indicator, "Regio's": regions,
                       "tabel": (f"{self.indicator} ({self.indicator_unit})",
                                 ", ".join([self.twente, *regions[1:]]))}
        elif kind == "veilig-thuis":
            values |= {"Gemeente": self.gemeente, "Soort": self.soort, "uitsplitsing": self.gemeente,
                       "trend": (self.soort, [self.gemeente])}
        elif kind == "bronnen":
            values |= {"Zoek een indicator": self.zoek, "Themalijn": self.themalijn_name,
                       "aantal": self.indicatoren}
        return values


def _date(text: str | None) -> date | str | None:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text or "", fmt).date()
        except ValueError:
            pass
    return text


def _gemeenten_in(text: str) -> list[str]:
    return [g for g in GEMEENTEN if re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", text)]


def observed(kind: str, snap: dict) -> dict[str, object]:
    """The same keys as ``Selection.expected``, read from what the page shows."""
    widgets = snap["widgets"]
    values: dict[str, object] = {"url": parse_qs(urlparse(snap["url"]).query)}

    def caption_number(pattern: str):
        found = [int(m.group(1)) for c in snap["captions"] if (m := re.match(pattern, c))]
        return found[0] if len(found) == 1 else found

    if kind == "overzicht":
        values |= {"Vorige peildatum": _date(widgets.get("Vorige peildatum")),
                   "sinds": [m.group(1) for p in snap["paragraphs"] if (m := re.match(r"^Sinds ([^:]+):", p))]}
    elif kind == "projecten":
        values |= {"Themalijn": widgets.get("Themalijn"), "Gemeente": widgets.get("Gemeente"),
                   "aantal": caption_number(r"^(\d+) van \d+ projecten")}
    elif kind == "themalijn":
        values |= {"Gemeente": widgets.get("Gemeente"),
                   "trend": sorted({m.group(1) for tag, h in snap["headings"]
                                    if tag == "h3" and (m := re.match(r"^(.+) en Nederland door de tijd$", h))})}
    elif kind == "indicatoren":
        tables = [c.split(" · ") for c in snap["captions"] if re.match(r"^\d+ cijfers · ", c)]
        values |= {"Indicator": widgets.get("Indicator"), "Regio's": widgets.get("Regio's"),
                   "tabel": (tables[0][1], tables[0][-1]) if len(tables) == 1 else tables}
    elif kind == "veilig-thuis":
        trend = [p for p in snap["paragraphs"] if " per halfjaar. Laatste halfjaar: " in p]
        values |= {"Gemeente": widgets.get("Gemeente"), "Soort": widgets.get("Soort"),
                   "uitsplitsing": [m.group(1) for tag, h in snap["headings"]
                                    if (m := re.match(r"^Uitsplitsing: (.+) \(", h))],
                   "trend": (trend[0].split(" per halfjaar.")[0], _gemeenten_in(trend[0])) if len(trend) == 1 else trend}
        if len(values["uitsplitsing"]) == 1:
            values["uitsplitsing"] = values["uitsplitsing"][0]
    elif kind == "bronnen":
        values |= {"Zoek een indicator": widgets.get("Zoek een indicator"), "Themalijn": widgets.get("Themalijn"),
                   "aantal": caption_number(r"^(\d+) van \d+ indicatoren$")}
    return values


def compare(kind: str, own: Selection, everyone: list[Selection], seen: dict) -> tuple[list[str], list[str]]:
    """(leaks, other mismatches): every value on the page that is not the session's own; a
    leak when it is what another session chose."""
    want = own.expected(kind)
    leaks, wrong = [], []
    for key, value in want.items():
        if seen.get(key) == value:
            continue
        line = (f"sessie {own.index} op {kind}: {key} = {ready.describe(seen.get(key))}, "
                f"verwacht {ready.describe(value)}")
        others = [s.index for s in everyone if s.index != own.index and s.expected(kind)[key] == seen.get(key)]
        if others:
            leaks.append(f"{line}: de keuze van sessie {others}")
        else:
            wrong.append(line)
    return leaks, wrong


def selections(dataset_dir: Path | str, sessions: int = SESSIONS) -> list[Selection]:
    """The sessions' selections (SESSIONS unless told), with the counts the app must show computed from the data."""
    today = date.today()
    projects = with_status(db.query("project_overview", dataset_dir=dataset_dir, peildatum=today), today)
    catalogue = db.query("indicator_catalogue", dataset_dir=dataset_dir)
    indicators = db.query("indicator_list", dataset_dir=dataset_dir)
    indicators = indicators[indicators["has_figures"]]
    labels = explorer.indicator_labels(indicators)
    observations = store.read_frame("observations", dataset_dir)
    twente_rows = observations[observations["region_code"] == TWENTE]
    step = max(1, len(indicators) // sessions)
    result = []
    for i in range(sessions):
        row = indicators.iloc[(i * step) % len(indicators)]
        slug = THEMALIJN_SLUGS[i % len(THEMALIJN_SLUGS)]
        code = GEMEENTE_CODES[i % len(GEMEENTE_CODES)]
        zoek = SEARCH_TERMS[i % len(SEARCH_TERMS)]
        result.append(Selection(
            index=i, gemeente=region_name(code), themalijn=slug, indicator=labels[row["indicator_id"]],
            indicator_unit=row["unit"], vorige=date(2025, 1, 6) + timedelta(days=3 * i),
            soort=vt_labels.kind_label(KINDS[i % len(KINDS)]), zoek=zoek,
            projecten=len(filter_projects(projects, themalijnen=[slug], gemeente=code)),
            indicatoren=len(filter_indicators(catalogue, zoek, slug)),
            twente=twente_focus_name(twente_rows[twente_rows["indicator_id"] == row["indicator_id"]].assign(
                region_name=lambda f: [twente_name(k) for k in f["region_kind"]]))))
    return result


@dataclass
class Outcome:
    steps: list[dict] = field(default_factory=list)  # session, page, action, seconds
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    checks: int = 0


class StepError(Exception):
    pass


class Session:
    """One browser context: one user with their own selection."""

    def __init__(self, browser, base_url: str, own: Selection, everyone: list[Selection], outcome: Outcome):
        self.browser, self.base, self.own, self.everyone, self.outcome = browser, base_url, own, everyone, outcome
        self.page = None
        self.loaded = False  # a document of the app is open (sidebar navigation possible)
        self.navigating = False
        self.channel: ready.Channel | None = None
        self.phase = "openen"

    def error(self, text: str) -> None:
        self.outcome.errors.append(f"sessie {self.own.index}: {text}")

    async def start(self) -> None:
        context = await self.browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(STEP_TIMEOUT_MS)
        await context.add_init_script(ready.INIT_SCRIPT)
        page = await context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.error(f"fout in de pagina: {exc}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        self.channel = ready.Channel(page)
        self.page = page

    def _console(self, message) -> None:
        if message.type != "error":
            return  # warnings (Vega-Lite's "WARN …" about its own spec defaults) are not errors
        if ready.benign_console_error(message.text, message.location.get("url", "")):
            return
        self.error(f"console: {message.text[:300]}")

    def _response(self, response) -> None:
        if response.status >= 400 and not ready.benign_response(response.url, response.status):
            self.error(f"HTTP {response.status} {response.url}")

    def _request_failed(self, request) -> None:
        if not ready.benign_request_failure(request.failure, self.navigating):
            self.error(f"verzoek mislukt: {request.url} ({request.failure})")

    # --- steps --------------------------------------------------------------------------------

    async def _step(self, kind: str, action: str, act, new_document: bool) -> None:
        """Do ``act`` and wait until the page is ready; record the time from the start of the
        action to the page's last change."""
        title = TITLES[self.own.themalijn if kind == "themalijn" else kind]
        mark = self.channel.mark()
        started = time.perf_counter()
        self.navigating = new_document
        try:
            await act()
            self.navigating = False
            finished_at, ready_at = await ready.wait_ready(
                self.page, self.channel, mark, new_document=new_document, title=title, needles=NEEDLES[kind],
                timeout_ms=OPEN_TIMEOUT_MS if self.phase == "openen" else STEP_TIMEOUT_MS)
        except Exception as exc:
            raise StepError(f"{action} na {time.perf_counter() - started:.1f} s: {type(exc).__name__}: "
                            f"{str(exc).splitlines()[0][:300]}") from exc
        finally:
            self.navigating = False
        opened = self.channel.sockets - mark[0]
        if opened != (1 if new_document else 0):
            self.error(f"{kind}/{action}: {opened} nieuwe WebSocket-verbindingen, verwacht "
                       f"{1 if new_document else 0}")
        self.outcome.steps.append({"session": self.own.index, "phase": self.phase, "page": kind, "action": action,
                                   "seconds": ready_at - started, "server_s": finished_at - started})

    async def _goto(self, kind: str, params: dict | None) -> None:
        path = {"overzicht": "", "themalijn": self.own.themalijn}.get(kind, kind)
        url = f"{self.base}/{path}" + (f"?{urlencode(params, doseq=True)}" if params else "")
        await self._step(kind, "laden", lambda: self.page.goto(url, wait_until="commit"), new_document=True)
        self.loaded = True

    async def _navigate(self, kind: str) -> None:
        if not self.loaded:
            await self._goto(kind, None)
            return
        title = NAV_TITLES[self.own.themalijn if kind == "themalijn" else kind]
        link = self.page.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]').filter(
            has=self.page.get_by_text(title, exact=True))  # the app's own links (ui.sidebar_navigation)
        await self._step(kind, "navigatie", link.click, new_document=False)

    async def _shows(self, label: str, value: str) -> bool:
        """The widget already shows the value. A widget bound to the URL keeps its value when
        the session moves to another page with a widget of the same key, so a user finds it
        chosen already; choosing it again would change nothing and start no run."""
        current = (await ready.snapshot(self.page))["widgets"].get(label)
        return current == value or (isinstance(current, list) and value in current)

    async def _pick(self, kind: str, label: str, option: str) -> None:
        if await self._shows(label, option):
            return

        async def act():
            await self.page.get_by_role("combobox", name=label, exact=True).click()
            await self.page.keyboard.type(option)  # long lists are virtualised: filter first
            await self.page.get_by_role("option", name=option, exact=True).click()
            # Close a multiselect's list by clicking elsewhere; Escape could clear the choice.
            await self.page.locator(f"{MAIN} h1").click()
        await self._step(kind, f"keuze {label}", act, new_document=False)

    async def _type(self, kind: str, label: str, text: str) -> None:
        if await self._shows(label, text):
            return

        async def act():
            await self.page.get_by_role("textbox", name=label, exact=True).fill(text)
            await self.page.keyboard.press("Enter")
        await self._step(kind, f"typen {label}", act, new_document=False)

    async def visit(self, kind: str, by_url: bool, deadline: float) -> bool:
        """One visit to a page with this session's selection; False when the time ran out."""
        own = self.own
        if by_url or kind == "overzicht":  # the date input is set through the URL only
            await self._goto(kind, own.url_params(kind))
        else:
            widgets = {
                "projecten": [("Themalijn", own.themalijn_name), ("Gemeente", own.gemeente)],
                "themalijn": [("Gemeente", own.gemeente)],
                "indicatoren": [("Indicator", own.indicator), ("Regio's", own.gemeente)],
                "veilig-thuis": [("Gemeente", own.gemeente), ("Soort", own.soort)],
                "bronnen": [("Themalijn", own.themalijn_name)],
            }[kind]
            await self._navigate(kind)
            for label, option in widgets:
                if time.monotonic() > deadline:
                    return False
                await self._pick(kind, label, option)
            if kind == "bronnen":
                await self._type(kind, "Zoek een indicator", own.zoek)
        await self.check(kind)
        return True

    async def check(self, kind: str) -> None:
        """The page shows exactly this session's selection; another session's is a leak.

        A value may lag the run by a moment (the URL follows the widgets), so a mismatch is
        looked at again for up to 5 seconds before it counts.
        """
        for _attempt in range(6):
            snap = await ready.snapshot(self.page)
            leaks, wrong = compare(kind, self.own, self.everyone, observed(kind, snap))
            if not leaks and not wrong:
                break
            await asyncio.sleep(1)
        self.outcome.checks += 1
        self.outcome.leaks.extend(leaks)
        self.outcome.errors.extend(wrong)
        for text in snap["errors"] + snap["markers"]:
            self.error(f"{kind}: fout op de pagina: {text}")

    async def open(self) -> None:
        """Open the app on this session's first page, with its selection in the URL."""
        await self.start()
        kind = PAGES[self.own.index % len(PAGES)]
        try:
            await self.visit(kind, True, float("inf"))
        except Exception as exc:  # noqa: BLE001 - recorded; the session goes on with a fresh document
            await self.failed(kind, exc)

    async def failed(self, kind: str, exc: Exception) -> None:
        """Record a failed visit with a screenshot; the next visit starts on a new document."""
        text = str(exc) if isinstance(exc, StepError) else f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
        self.error(f"{kind}: {text}")
        self.loaded = False
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            await self.page.screenshot(path=str(SCREENSHOTS / f"load-sessie-{self.own.index}-{kind}.png"),
                                       full_page=True, timeout=30_000)
        except Exception:  # noqa: BLE001 - a screenshot must never hide the real failure
            pass

    async def run(self, deadline: float) -> None:
        self.phase = "belasting"
        turn = 1
        while time.monotonic() < deadline:
            kind = PAGES[(self.own.index + turn) % len(PAGES)]
            by_url = (self.own.index + turn // len(PAGES)) % 2 == 1
            turn += 1
            try:
                if not await self.visit(kind, by_url, deadline):
                    break
            except Exception as exc:  # noqa: BLE001 - record it, start the next visit on a fresh document
                await self.failed(kind, exc)
        await self.page.context.close()


async def _drive(chromium_path: str, base_url: str, everyone: list[Selection], seconds: float) -> Outcome:
    from playwright.async_api import async_playwright

    outcome = Outcome()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        # The server's first run (switch to st.navigation, opening the datasets) is start-up,
        # not load: one page view before the clock starts.
        warm = await browser.new_page()
        await warm.goto(base_url)
        await warm.get_by_text("peildatum van de data", exact=False).wait_for(timeout=STEP_TIMEOUT_MS)
        await warm.close()
        # All open the app at once (measured on its own), then the clock starts: every session
        # at once going through the pages for ``seconds``.
        sessions = [Session(browser, base_url, own, everyone, outcome) for own in everyone]
        await asyncio.gather(*(s.open() for s in sessions))
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(s.run(deadline) for s in sessions))
        await browser.close()
    return outcome


def _stats(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    p95 = statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else values[0]
    return {"n": len(values), "median_s": round(statistics.median(values), 2), "p95_s": round(p95, 2),
            "max_s": round(max(values), 2)}


def _summary(outcome: Outcome, seconds: float, sessions: int) -> dict:
    """Page-ready times of the load phase (all, by kind of step, by page) and of the opening."""
    load = [s for s in outcome.steps if s["phase"] == "belasting"]
    views = [s for s in outcome.steps if s["action"] in ("laden", "navigatie")]
    return {
        "sessions": sessions, "seconds": seconds, "cpus": os.cpu_count(),
        "page_views": len(views), "steps": len(outcome.steps), "checks": outcome.checks,
        "errors": len(outcome.errors), "leaks": len(outcome.leaks),
        "page_ready": _stats([s["seconds"] for s in load]),
        "opening": _stats([s["seconds"] for s in outcome.steps if s["phase"] == "openen"]),
        # from the action to the arrival of the server's run-finished frame: the server's share
        "server_run": _stats([s["server_s"] for s in load]),
        "server_run_opening": _stats([s["server_s"] for s in outcome.steps if s["phase"] == "openen"]),
        "by_action": {a: _stats([s["seconds"] for s in load if s["action"].split()[0] == a])
                      for a in ("laden", "navigatie", "keuze", "typen")},
        "by_page": {p: _stats([s["seconds"] for s in load if s["page"] == p]) for p in PAGES},
        "when": datetime.now().isoformat(timespec="seconds"),
    }


def _busy_seconds() -> float:
    """CPU time the whole machine spent busy (all cores, /proc/stat), in seconds."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _process_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except OSError:  # a process that ended (a replica restarted): its time is not known
            pass
    return total


def _children(parent: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2:].split()[1] == str(parent):
            found.append(int(proc.name))
    return found


def _server_pids(url: str, prefix: Path | None) -> list[int]:
    """The serving processes: the replicas and nginx (from ``replicas.json``), or the one
    Streamlit process listening on the URL's port."""
    if prefix is not None:
        state = json.loads((prefix / "replicas.json").read_text())
        return [r["pid"] for r in state["replicas"]] + [state["nginx_pid"], *_children(state["nginx_pid"])]
    port = str(urlparse(url).port)
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--server.port" in args and args[args.index(b"--server.port") + 1:][:1] == [port.encode()]:
            return [int(proc.name)]
    return []


def _load(chromium_path: str, url: str, datasets: Path | str, out: Path, label: str, capsys,
          prefix: Path | None = None, sessions: int = SESSIONS, seconds: float = SECONDS) -> None:
    everyone = selections(datasets, sessions)
    for kind in PAGES:  # the selections themselves differ between sessions on every page
        values = [json.dumps([s.themalijn if kind == "themalijn" else "", s.expected(kind)], default=str,
                             sort_keys=True) for s in everyone]
        assert len(set(values)) == sessions, kind

    servers = _server_pids(url, prefix)
    busy, serving, started = _busy_seconds(), _process_seconds(servers), time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # the async API on its own thread and loop
        outcome = pool.submit(asyncio.run, _drive(chromium_path, url, everyone, seconds)).result()
    # Where the machine's CPU went during the whole run (opening and load): the serving
    # processes (Streamlit, and nginx and its worker) against everything (mostly Chromium).
    cpu = {"wall_s": round(time.monotonic() - started, 1), "machine_busy_s": round(_busy_seconds() - busy, 1),
           "serving_s": round(_process_seconds(servers) - serving, 1), "serving_pids": len(servers)}

    summary = _summary(outcome, seconds, sessions) | {"served": label, "cpu": cpu}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    ready_s = summary["page_ready"]
    opening = summary["opening"]
    line = (f"load ({label}): {sessions} sessions x {seconds:g} s: {summary['page_views']} page views, "
            f"{summary['steps']} steps, {summary['checks']} selection checks; page-ready median "
            f"{ready_s.get('median_s')} s, p95 {ready_s.get('p95_s')} s, max {ready_s.get('max_s')} s "
            f"(of which the server's run: median {summary['server_run'].get('median_s')} s, p95 "
            f"{summary['server_run'].get('p95_s')} s; opening all {sessions} at once: median "
            f"{opening.get('median_s')} s, max {opening.get('max_s')} s); "
            f"{summary['errors']} errors, {summary['leaks']} leaks; CPU over {cpu['wall_s']} s: machine "
            f"{cpu['machine_busy_s']} s, serving processes {cpu['serving_s']} s")
    with capsys.disabled():
        print(f"\n{line}")

    assert not outcome.leaks, "sessies zien elkaars keuzes:\n" + "\n".join(outcome.leaks[:20])
    assert not outcome.errors, "fouten onder belasting:\n" + "\n".join(outcome.errors[:20])
    assert summary["checks"] >= sessions, "te weinig bezoeken gecontroleerd"


def test_sessions_at_once_see_only_their_own_choices(chromium_path, app_url, app_datasets, capsys):
    """One Streamlit process (production profile), serving everything itself."""
    _load(chromium_path, app_url, app_datasets, OUT, "one process", capsys)


def test_sessions_at_once_through_nginx_and_two_replicas(chromium_path, app_datasets, app_secrets, tmp_path,
                                                         capsys):
    """The same through nginx with REPLICAS (default 2) replicas (``make serve-replicas``):
    sticky sessions, WebSocket upgrade and static files through the proxy, the sessions
    spread over the replicas by their cookie; writes and reads of both on one dataset folder."""
    proc, url, prefix = start_replicas(app_datasets, app_secrets, tmp_path / "replicas.log", count=REPLICAS)
    try:
        _load(chromium_path, url, app_datasets, OUT_REPLICAS, f"nginx + {REPLICAS} replicas", capsys, prefix)
    finally:
        stop_server(proc)


def _vt_snapshot(shown: Selection) -> dict:
    """What the Veilig Thuis page shows for a selection (the parts ``observed`` reads)."""
    return {
        "url": f"http://127.0.0.1/veilig-thuis?{urlencode(shown.url_params('veilig-thuis'), doseq=True)}",
        "widgets": {"Gemeente": shown.gemeente, "Soort": shown.soort, "Maat": "Aantal"},
        "headings": [["h1", "Veilig Thuis"], ["h2", f"Uitsplitsing: {shown.gemeente} (1e halfjaar 2024)"]],
        "paragraphs": [f"{shown.soort} per halfjaar. Laatste halfjaar: Twente 2.180 (1e halfjaar 2024); "
                       f"{shown.gemeente} 45 (1e halfjaar 2024)."],
        "captions": [],
    }


def test_the_check_calls_another_sessions_choice_a_leak(app_datasets):
    """Without a browser: session 3's page showing session 5's choices is a leak naming
    session 5; showing its own is nothing; a value nobody chose is an error, not a leak."""
    everyone = selections(app_datasets)
    own, other = everyone[3], everyone[5]
    assert compare("veilig-thuis", own, everyone, observed("veilig-thuis", _vt_snapshot(own))) == ([], [])

    leaks, wrong = compare("veilig-thuis", own, everyone, observed("veilig-thuis", _vt_snapshot(other)))
    assert {line.split(":")[1].split(" =")[0].strip() for line in leaks} >= {"url", "Gemeente", "uitsplitsing",
                                                                              "trend"}
    assert all("de keuze van sessie [5]" in line for line in leaks if "url" in line), leaks
    assert not wrong

    odd = _vt_snapshot(own)
    odd["widgets"]["Gemeente"] = "Twente"
    leaks, wrong = compare("veilig-thuis", own, everyone, observed("veilig-thuis", odd))
    assert not leaks and len(wrong) == 1 and "Gemeente" in wrong[0]
