"""The toegankelijkheidsverklaring: what the accessibility tests found, joined with
the hand-written part, in the government's model (digitoegankelijk.nl). Pure, no Streamlit.

``sources/toegankelijkheid/resultaten.json`` is written by the browser test
(``tests/browser/test_toegankelijkheid_browser.py`` with ``MONITOR_WRITE_A11Y=1``,
``make toegankelijkheid``) and checked against every run, so the page cannot drift from what
the tests find. ``verklaring.toml`` holds what a test cannot know: organisation, contact and
the measures beyond the scanner, with a planned date for what is not met yet.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from monitor.data.store import REPO_ROOT

FOLDER = REPO_ROOT / "sources" / "toegankelijkheid"
RESULTS_PATH = FOLDER / "resultaten.json"
STATEMENT_PATH = FOLDER / "verklaring.toml"
# The model's statuses (digitoegankelijk.nl): A voldoet volledig … E voldoet niet.
STATUS_FULL = "A – voldoet volledig"
STATUS_PARTIAL = "B – voldoet gedeeltelijk"
STATUS_FAILS = "E – voldoet niet"


def results_document(results: dict[str, dict], checked_on: date | None = None) -> dict:
    """What a test run found, as written to ``resultaten.json``: per checked state its title,
    path and violations (rule, impact, number of elements)."""
    engines = sorted({r["axe"] for r in results.values()})
    states = [{"id": key, "titel": r["titel"], "pad": r["pad"],
               "overtredingen": [{k: v[k] for k in ("regel", "impact", "elementen", "uitleg")}
                                 for v in r["overtredingen"]]}
              for key, r in sorted(results.items())]
    return {"gecontroleerd_op": (checked_on or date.today()).isoformat(),
            "methode": "axe-core " + ", ".join(engines) + " in Chromium (Playwright), regels WCAG 2.1 A en AA",
            "toestanden": states}


def comparable(document: dict) -> dict:
    """The part of a results document a new run must reproduce (not the date)."""
    return {"methode": document["methode"],
            "toestanden": {s["id"]: sorted((v["regel"], v["elementen"]) for v in s["overtredingen"])
                           for s in document["toestanden"]}}


def load_results(path: Path = RESULTS_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_statement(path: Path = STATEMENT_PATH) -> dict:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class Measure:
    subject: str
    met: bool
    text: str
    planned: str | None


@dataclass(frozen=True)
class CheckedState:
    """One page or state the accessibility tests checked: its title, address and how many
    elements break a rule (0: it passes)."""

    title: str
    address: str
    violations: int


@dataclass(frozen=True)
class ToegankelijkheidView:
    application: str
    organisation: str
    standard: str
    status: str
    checked_on: str
    method: str
    states_checked: int
    states_failing: list[tuple[str, str]]  # (title, rules)
    state_rows: list[CheckedState]
    measures: list[Measure]
    contact: str


def build_toegankelijkheid(results: dict, statement: dict) -> ToegankelijkheidView:
    """The verklaring: status A only when every checked state passes and every measure is met;
    B when all states pass but some measures are not met yet; E when a state fails."""
    failing = [(s["titel"], ", ".join(v["regel"] for v in s["overtredingen"]))
               for s in results["toestanden"] if s["overtredingen"]]
    measures = [Measure(m["onderwerp"], m["stand"] == "voldoet", m["toelichting"], m.get("gepland"))
                for m in statement.get("maatregel", [])]
    if failing:
        status = STATUS_FAILS
    elif all(m.met for m in measures):
        status = STATUS_FULL
    else:
        status = STATUS_PARTIAL
    rows = [CheckedState(s["titel"], "/" + s["pad"], sum(v["elementen"] for v in s["overtredingen"]))
            for s in results["toestanden"]]
    return ToegankelijkheidView(
        application=statement["toepassing"], organisation=statement["organisatie"],
        standard=statement["standaard"], status=status, checked_on=results["gecontroleerd_op"],
        method=results["methode"], states_checked=len(results["toestanden"]), states_failing=failing,
        state_rows=rows, measures=measures, contact=statement["contact"])
