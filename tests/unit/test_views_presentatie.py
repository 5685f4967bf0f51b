"""The BO deck model: slides per themalijn and for the programme, on the fixture store.

tests/fixture_store.py at its peildatum 1 July 2025: schuldhulp (bestaanszekerheid) is the one
project achter, kinderarmoede has no registration; overgewicht (preventie-en-gezondheid) is the
one headline indicator with a target (≤ 48% by 31 December 2030, nulmeting 50% in 2020) and
Twente's newest measurement is 50,5% [49,5–51,5] of 2022 (the jaarplan's quote "51%" stands beside it); leefstijl has the one local assignment
of its themalijn (Enschede)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests import fixture_store as fx
from monitor.data import db
from monitor.views.presentatie import (
    KINDS,
    MAX_HEADLINES,
    ambition_lead,
    build_deck,
    file_name,
    first_paragraph,
    local_highlights,
    status_summary,
    target_bullet,
)
from monitor.domain.indicator import Indicator
from monitor.domain.targets import Target
from monitor.views.inputs import ThemalijnInfo
from monitor.domain.projects import with_status

PEILDATUM = fx.PEILDATUM


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    db.clear_cache()
    return fx.write(tmp_path_factory.mktemp("deck") / "datasets")


@pytest.fixture(scope="module")
def themalijnen(folder) -> pd.DataFrame:
    return db.query("themalijnen", folder)


@pytest.fixture(scope="module")
def decks(folder, themalijnen) -> dict:
    found = {t: build_deck(t, PEILDATUM, folder) for t in themalijnen["themalijn"]}
    found[None] = build_deck(None, PEILDATUM, folder)
    return found


def _headline_ids(themalijnen, themalijn) -> list[str]:
    from monitor.data.catalogue import headline_indicators

    row = themalijnen.set_index("themalijn").loc[themalijn]
    return headline_indicators(themalijn, row["headline_indicators"])[:MAX_HEADLINES]


def test_slide_order_per_themalijn(decks, themalijnen):
    for themalijn in themalijnen["themalijn"]:
        kinds = [s.kind for s in decks[themalijn].slides]
        with_target = themalijn == "preventie-en-gezondheid"  # overgewicht, the fixture's one target
        expected = ["titel", "ambitie", "kerncijfers", *(["doel"] if with_target else []), "trend", "gemeenten",
                    "projecten", "lokaal", "veranderd"]
        assert kinds == expected, themalijn
        assert [k for k in KINDS if k in kinds] == list(dict.fromkeys(kinds))
        assert decks[themalijn].slides[-1].title == "Wat is er recent veranderd"  # no BO date recorded
    assert [s.kind for s in decks[None].slides][-2:] == ["veranderd", "overzicht"]


def test_preventie_has_its_target_slide(decks):
    slides = {s.kind: s for s in decks["preventie-en-gezondheid"].slides}
    assert slides["doel"].title == "Overgewicht tegen het doel"
    assert "48%" in slides["doel"].lead and "31 december 2030" in slides["doel"].lead
    assert slides["doel"].chart is not None and slides["doel"].chart_text == slides["doel"].lead
    ambition = slides["ambitie"]
    assert any("48% uiterlijk 31 december 2030 (nulmeting 50% in 2020)" in b for b in ambition.bullets)


def test_titles_and_figures_follow_the_data(folder, decks, themalijnen):
    for info in themalijnen.to_dict("records"):
        deck = decks[info["themalijn"]]
        assert deck.slides[0].title == info["name"]
        assert "peildatum 1 juli 2025" in deck.slides[0].lead
        ambition = next(s for s in deck.slides if s.kind == "ambitie")
        assert ambition.lead.startswith(first_paragraph(info["ambition"]))
        assert info["ambition"] in ambition.notes
        ids = _headline_ids(themalijnen, info["themalijn"])
        names = db.query("indicator_meta", folder, indicator_ids=ids).set_index("indicator_id")["name"]
        figures = next(s for s in deck.slides if s.kind == "kerncijfers").figures
        # the catalogue may name headline indicators the fixture has no rows for: they are left out
        assert [f.label for f in figures] == [names[i] for i in ids if i in names.index]
        assert 1 <= len(figures) <= MAX_HEADLINES


def test_no_target_is_said_honestly(decks):
    ambition = next(s for s in decks["ouderen"].slides if s.kind == "ambitie")
    assert all(b.endswith("geen streefwaarde in het jaarplan.") for b in ambition.bullets)
    figures = next(s for s in decks["ouderen"].slides if s.kind == "kerncijfers").figures
    assert all("geen streefwaarde" in f.note for f in figures)


def test_key_figures_are_the_newest_twente_figures(decks):
    figures = next(s for s in decks["preventie-en-gezondheid"].slides if s.kind == "kerncijfers")
    overgewicht = figures.figures[0]
    assert (overgewicht.label, overgewicht.value) == ("Overgewicht", "50,5% [49,5–51,5]")
    assert overgewicht.note.startswith("Twente, 2022")
    assert not figures.is_sample


def test_behind_schedule_projects_are_named_under_a_heading(folder, themalijnen):
    projects = with_status(db.query("project_overview", folder, peildatum=PEILDATUM), PEILDATUM)
    for themalijn in themalijnen["themalijn"]:
        slide = next(s for s in build_deck(themalijn, PEILDATUM, folder).slides if s.kind == "projecten")
        if themalijn == "bestaanszekerheid":
            # The heading stands above its items, not as a bullet at their level.
            assert slide.heading == "Achter op schema (1):"
            assert slide.bullets == ["Schuldhulp dichtbij (Definitie, hoort minstens Ontwerp)"]
        else:
            assert slide.bullets == ["Geen projecten achter op schema."] and not slide.heading
        assert slide.lead == status_summary(projects[projects["themalijn"] == themalijn])  # the page's words
        assert slide.chart is not None


def test_slides_overzicht_and_projecten_use_the_same_words_and_counts(folder, themalijnen):
    from monitor.views.overzicht import overzicht_cards

    projects = with_status(db.query("project_overview", folder, peildatum=PEILDATUM), PEILDATUM)
    ids = [list(i)[0] for i in themalijnen["headline_indicators"]]
    cards = overzicht_cards(themalijnen, ids, db.query("indicator_observations", folder, indicator_ids=ids),
                            db.query("indicator_meta", folder, indicator_ids=ids),
                            db.query("indicator_targets", folder, indicator_ids=ids),
                            db.query("project_overview", folder, peildatum=PEILDATUM),
                            db.query("changes_between", folder, since="2025-04-01", peildatum=PEILDATUM), PEILDATUM)
    programme = build_deck(None, PEILDATUM, folder)
    closing = programme.slides[-1]
    assert closing.lead == status_summary(projects)
    for card, info in zip(cards, themalijnen.to_dict("records")):
        text = status_summary(projects[projects["themalijn"] == info["themalijn"]])
        assert card.status == text
        slide = next(s for s in build_deck(info["themalijn"], PEILDATUM, folder).slides if s.kind == "projecten")
        assert slide.lead == text
        assert f"{info['name']}: {text}." in closing.bullets
    # Six projects: schuldhulp achter; kinderarmoede has nothing registered, which is no delay.
    assert closing.lead.startswith("6 projecten: 1 achter, ")
    assert "1 onbekend (geen registratie)" in closing.lead
    assert "achter" not in status_summary(projects[projects["project_id"] != "schuldhulp"])


def test_nothing_behind_on_the_first_day(folder):
    deck = build_deck("bestaanszekerheid", date(2025, 1, 2), folder)
    slide = next(s for s in deck.slides if s.kind == "projecten")
    assert slide.bullets == ["Geen projecten achter op schema."] and not slide.heading


def test_no_slide_of_real_figures_is_marked_as_voorbeelddata(decks):
    for deck in decks.values():
        for slide in deck.slides:
            if slide.kind in ("gemeenten", "trend", "kerncijfers"):
                assert not slide.is_sample, (deck.title, slide.title)
                assert not any(line.startswith("Voorbeelddata") for line in slide.sources)


def test_every_slide_has_sources_with_peildatum(decks):
    for deck in decks.values():
        for index, slide in enumerate(deck.slides):
            assert slide.sources, (deck.title, slide.title)
            assert all("Bron:" in line and "peildatum" in line for line in slide.sources)
            footer = deck.footer(index)
            assert "peildatum 1 juli 2025" in footer and f"dia {index + 1} van {len(deck.slides)}" in footer


def test_trend_slide_compares_twente_with_nederland(decks):
    trend = next(s for s in decks["preventie-en-gezondheid"].slides if s.kind == "trend")
    assert trend.title == "Twente en Nederland: Overgewicht"
    assert any("Nederland (50,3%)" in b for b in trend.bullets)  # 2022, the newest edition


def test_programme_deck(decks, themalijnen):
    deck = decks[None]
    assert deck.slides[0].kind == "titel" and deck.slides[0].title == "Twentse Koers"
    assert deck.slides[-1].kind == "overzicht"
    middle = deck.slides[1:-2]  # the themalijnen's slides without their changes slide, then the programme's
    assert deck.slides[-2].kind == "veranderd"
    assert [s.title for s in middle] == [s.title for t in themalijnen["themalijn"] for s in decks[t].slides
                                         if s.kind != "veranderd"]
    title_slides = [s.title for s in middle if s.kind == "titel"]
    assert title_slides == list(themalijnen["name"])
    overview = deck.slides[-1]
    assert len(overview.figures) == len(themalijnen)
    assert [b.split(":")[0] for b in overview.bullets] == list(themalijnen["name"])
    assert deck.themalijn is None and deck.file_name("pdf") == "bo-twentse-koers-2025-07-01.pdf"


def test_unknown_themalijn():
    with pytest.raises(ValueError, match="Onbekende themalijn"):
        build_deck("sport", PEILDATUM)


def test_local_highlights_grouped_by_gemeente():
    frame = pd.DataFrame({
        "region_name": ["Twente (GGD-regio)", "Almelo", "Enschede", "Enschede"],
        "level": ["ggd_regio", "gemeente", "gemeente", "gemeente"],
        "project_name": ["Positieve gezondheid", "Valpreventie", "Valpreventie", "Kansrijke start"],
    })
    assert local_highlights(frame) == ["Almelo: Valpreventie", "Enschede: Valpreventie; Kansrijke start",
                                       "GGD Twente (organisatie): Positieve gezondheid"]


def test_local_slide_counts(decks):
    """bestaanszekerheid: schuldhulp in Enschede and Hengelo; preventie: leefstijl in Enschede."""
    local = next(s for s in decks["bestaanszekerheid"].slides if s.kind == "lokaal")
    assert local.lead.startswith("2 lokale opdrachten")
    assert sorted(local.bullets) == ["Enschede: Schuldhulp dichtbij", "Hengelo: Schuldhulp dichtbij"]
    local = next(s for s in decks["preventie-en-gezondheid"].slides if s.kind == "lokaal")
    assert local.bullets == ["Enschede: Leefstijl op school"]


def test_text_helpers():
    indicator = Indicator("moeite_met_rondkomen", "Moeite met rondkomen", "%")
    goal = Target("moeite_met_rondkomen", "GG_TWENTE", "<", 17.0, date(2026, 12, 31), 18.0, "2023")
    assert target_bullet(indicator, goal) == ("Moeite met rondkomen: doel onder 17% uiterlijk 31 december 2026 "
                                              "(nulmeting 18% in 2023).")
    assert target_bullet(indicator, None) == "Moeite met rondkomen: geen streefwaarde in het jaarplan."
    info = ThemalijnInfo("ouderen", "Ouderen", "Eerste alinea.\n\nTweede alinea met het doel.", "Het doel.", (),
                         None, None)
    assert ambition_lead(info) == "Eerste alinea. Het doel."
    assert ambition_lead(replace(info, ambition="Alinea met Het doel.")) == "Alinea met Het doel."
    projects = pd.DataFrame({"status": ["achter", "op schema", "achter", "onbekend (geen registratie)"],
                             "niet_bijgewerkt": [True, False, False, False]})
    assert status_summary(projects) == ("4 projecten: 2 achter, 1 onbekend (geen registratie), 1 op schema · "
                                        "1 niet bijgewerkt (langer dan 90 dagen geen faseovergang)")
    assert file_name("ouderen", date(2026, 11, 1), "pptx") == "bo-ouderen-2026-11-01.pptx"


def _rows(rows):
    columns = ["region_code", "region_name", "level", "period", "subgroup", "value", "ci_low", "ci_high",
               "is_sample", "source_title", "source_peildatum"]
    return pd.DataFrame([dict(zip(columns, r)) for r in rows], columns=columns)


INDICATOR = Indicator("x", "Moeite met rondkomen", "%", "lower_is_better",
                      phrase="had {waarde} van de inwoners moeite met rondkomen")
GOAL = Target("x", "GG_TWENTE", "<", 17.0, date(2026, 12, 31), 18.0, "2023")


def test_headline_status_uses_real_figures_only():
    from monitor.domain.indicators import NO_TARGET_TEXT, headline_status

    rows = _rows([("GG_TWENTE", "Twente (GGD-regio)", "ggd_regio", "2023", "totaal", 18.0, None, None, False, "J", None),
                  ("GG_TWENTE", "Twente (GGD-regio)", "ggd_regio", "2024", "totaal", 16.0, None, None, True, "V", None),
                  ("NL01", "Nederland", "land", "2023", "totaal", 15.0, None, None, False, "J", None)])
    with_goal = headline_status(INDICATOR, rows, GOAL, date(2026, 12, 1))
    # The only real figure is the baseline itself: no new measurement, so no "op koers".
    assert with_goal.latest["period"] == "2023" and with_goal.status == "alleen nulmeting"
    assert "bijna 3 jaar vóór de peildatum 1 december 2026" in with_goal.text
    without = headline_status(INDICATOR, rows, None, date(2026, 12, 1))
    assert without.status is None and NO_TARGET_TEXT in without.text
    assert without.text.endswith("Het cijfer is van 2023, bijna 3 jaar vóór de peildatum 1 december 2026.")
    assert "in Nederland was dat 15,0%" in without.text
    only_sample = headline_status(INDICATOR, rows[rows["is_sample"]], GOAL)
    assert only_sample.latest is None and only_sample.status == "geen meting"


def test_target_figure_and_gemeenten_comparison():
    from monitor.domain.indicators import gemeenten_comparison, target_figure

    twente = _rows([("GG_TWENTE", "Twente (GGD-regio)", "ggd_regio", "2023", "totaal", 18.0, None, None, False, "J",
                     None)])
    figure = target_figure(twente, GOAL, "%")
    assert figure.status == "alleen nulmeting"
    assert list(figure.history["value_label"]) == ["18,0%"]
    assert figure.trajectory["expected"].iloc[-1] == 17.0
    rows = _rows([("GM0141", "Almelo", "gemeente", "2024", "totaal", 20.5, None, None, True, "V", None),
                  ("GM0147", "Borne", "gemeente", "2024", "totaal", 13.2, None, None, True, "V", None),
                  ("GG_TWENTE", "Twente (GGD-regio)", "ggd_regio", "2023", "totaal", 18.0, None, None, False, "J",
                   None)])
    found = gemeenten_comparison(rows, INDICATOR, "2024")
    assert found.is_sample and found.twente is None
    assert list(found.values["region_name"]) == ["Almelo", "Borne"]
    assert found.sentence.startswith("Moeite met rondkomen, 2024: van de 2 gemeenten lag Almelo het hoogst")
