# Reads the committed datasets/: every headline the monitor shows for the data it ships must be found in its source.
"""Every headline's words and digits can be found in its source, for the committed datasets.

Walks every headline the monitor shows (the Overzicht's cards, each themalijn page's indicator
sections, the BO deck's key figures, for all themalijnen) and checks:

- each measured figure is a stored CBS row: same indicator, region, period, group and value, from
  a CBS source, and the text shows that value (with its interval when it has one);
- a duiding against Nederland names Nederland's stored figure of the same period;
- each quote's sentence stands verbatim in the jaarplan (../shared/seeds), its figure in that
  sentence, and no headline shows the quoted number with a decimal the quote did not write.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from monitor.data import store
from monitor.domain.indicators import headline_figure
from monitor.domain.quotes import quotes_of
from monitor.domain.regions import NEDERLAND, TWENTE
from monitor.domain.text import format_value
from monitor.views.inputs import load_themalijnen
from monitor.views.overzicht import build_overzicht
from monitor.views.presentatie import deck_from_inputs
from monitor.views.themalijn import LATEST, build_themalijn

PEILDATUM = date(2026, 12, 1)
DATASETS = store.REPO_ROOT / "datasets"


@pytest.fixture(scope="module")
def inputs():
    return load_themalijnen(PEILDATUM, DATASETS, since=date(2026, 9, 1))


@pytest.fixture(scope="module")
def stored():
    observations = store.read_frame("observations", DATASETS)
    sources = store.read_frame("sources", DATASETS).set_index("source_id")
    return observations.assign(publisher=observations["source_id"].map(sources["publisher"]))


@pytest.fixture(scope="module")
def jaarplan(shared_dir) -> str:
    text = (shared_dir / "seeds" / "twentse-koers-jaarplan-2025.txt").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text)


def _stored_row(stored: pd.DataFrame, indicator_id: str, row: pd.Series) -> pd.Series:
    found = stored[(stored["indicator_id"] == indicator_id) & (stored["region_code"] == row["region_code"])
                   & (stored["period"] == row["period"]) & (stored["subgroup"] == row["subgroup"])]
    assert len(found) == 1, (indicator_id, row["region_code"], row["period"], row["subgroup"])
    return found.iloc[0]


def _check_measurement(stored: pd.DataFrame, indicator, row: pd.Series, texts: list[str]) -> None:
    """The figure is a stored CBS row, and every text that shows it shows its value."""
    mine = _stored_row(stored, indicator.indicator_id, row)
    assert mine["publisher"].startswith("CBS") and mine["source_id"].startswith("cbs-"), \
        (indicator.indicator_id, mine["source_id"])
    assert not mine["is_sample"]
    assert mine["value"] == row["value"]
    for bound in ("ci_low", "ci_high"):
        assert (pd.isna(mine[bound]) and pd.isna(row[bound])) or mine[bound] == row[bound]
    shown = format_value(mine["value"], indicator.unit)
    for text in texts:
        assert shown in text, (indicator.indicator_id, shown, text)


def _check_nederland(stored: pd.DataFrame, indicator, row: pd.Series, text: str) -> None:
    """A duiding against Nederland names Nederland's stored figure of the same period and group."""
    named = re.search(r"dan in Nederland \(([^)]*)\)|als in Nederland \(([^)]*)\)", text)
    if not named:
        return
    nl = _stored_row(stored, indicator.indicator_id, pd.Series({**row.to_dict(), "region_code": NEDERLAND}))
    assert format_value(nl["value"], indicator.unit) == (named.group(1) or named.group(2)), text


def _check_quotes(quotes, jaarplan: str, texts: list[str], unit: str) -> None:
    for quote in quotes:
        assert re.sub(r"\s+", " ", quote.sentence) in jaarplan, quote.sentence
        assert quote.figure in quote.sentence
        assert quote.label == f"{quote.cited_in}: {quote.figure} ({quote.quoted})"
        invented = format_value(quote.value, unit)  # "56,0%": a decimal the jaarplan did not write
        if invented != quote.shown(unit):
            assert not any(invented in t for t in texts), (quote.figure, texts)


def test_every_overzicht_card(inputs, stored, jaarplan):
    view = build_overzicht(inputs, PEILDATUM, date(2026, 9, 1))
    assert len(view.cards) == 4
    checked = 0
    for card in view.cards:
        for figure in (card.headline, *card.real):
            indicator, latest = figure.indicator, figure.headline.latest
            texts = [figure.headline.text]
            if latest is not None:
                assert latest["region_code"] == TWENTE
                _check_measurement(stored, indicator, latest, [*texts, headline_figure(latest, indicator.unit)])
                _check_nederland(stored, indicator, latest, figure.headline.text)
                checked += 1
            quotes = [q for q in inputs.quotes.itertuples() if q.indicator_id == indicator.indicator_id]
            for quote in quotes:
                assert f"{quote.cited_in}: {quote.figure} ({quote.quoted_source} {quote.quoted_edition})" \
                    in figure.reference
            _check_quotes(quotes_of(inputs.quotes, indicator.indicator_id), jaarplan, texts, indicator.unit)
    assert checked >= 7  # two headlines without a measurement: rondkomen and eenzaamheid (quotes only)


def test_every_themalijn_section(inputs, stored, jaarplan):
    checked = 0
    for info in inputs.infos():
        view = build_themalijn(inputs, info.themalijn, None, LATEST, "totaal", PEILDATUM)
        for section in view.sections:
            indicator = section.indicator
            if indicator is None:
                continue
            texts = [section.reference]
            if section.trend is not None:
                texts.append(section.trend.sentence)
                series = section.trend.series
                # every point of the trend is a stored measurement (never a quote)
                for _i, row in series.iterrows():
                    mine = _stored_row(stored, indicator.indicator_id, row)
                    assert mine["value"] == row["value"] and mine["source_id"] == row["source_id"]
            target = section.target
            if target is not None and target.latest is not None:
                shown = [headline_figure(target.latest, indicator.unit)]
                if target.figure is not None:
                    shown.append(target.figure.text)
                _check_measurement(stored, indicator, target.latest, shown)
                checked += 1
            _check_quotes(section.quotes, jaarplan, [t for t in texts if t and not t.startswith("Citaat")],
                          indicator.unit)
            for quote in section.quotes:
                assert quote.label in section.reference
    assert checked >= 10


def test_every_key_figure_of_the_bo_deck(inputs, stored, jaarplan):
    deck = deck_from_inputs(None, PEILDATUM, inputs)
    figures = [(s.themalijn, f) for s in deck.slides if s.kind == "kerncijfers" for f in s.figures]
    assert figures
    meta = inputs.meta
    checked = 0
    for themalijn, figure in figures:
        ids = [i for i in meta.index if meta.loc[i, "name"] == figure.label]
        assert len(ids) == 1, figure.label
        indicator = inputs.indicator(ids[0])
        twente = stored[(stored["indicator_id"] == indicator.indicator_id) & (stored["region_code"] == TWENTE)
                        & ~stored["is_sample"]]
        if figure.value == "–":
            assert "nog geen meting" in figure.note
            continue
        period = re.match(r"Twente, (.+?) ·", figure.note).group(1)
        rows = twente[[str(p) == period or period.endswith(str(p)[:4]) for p in twente["period"]]]
        values = {headline_figure(r, indicator.unit) for _i, r in rows.iterrows()}
        assert figure.value in values, (figure.label, figure.value, values)
        assert all(p.startswith("CBS") for p in rows["publisher"])
        checked += 1
    assert checked >= 8
    for slide in deck.slides:
        for bullet in slide.bullets:
            for quote in re.findall(r"Jaarplan 2025: (.+?) \(Regiobeeld 2023\)", bullet):
                assert quote in jaarplan
