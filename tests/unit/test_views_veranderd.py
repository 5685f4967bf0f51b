"""What changed since a date (monitor/views/veranderd.py): grouping, the follower's part, the BO
slide, the previous BO date."""

from __future__ import annotations

from datetime import date

import pandas as pd

from monitor.views.veranderd import (PROGRAMME, Change, VeranderdView, changes_slide, for_follower,
                                     previous_bo_date, sections_of)

CHANGES = [
    Change("Ouderen", "KPI-waarde", date(2026, 11, 20), "Valpreventie – Bereik: 40 % over 3e kwartaal 2026",
           "valpreventie", "ouderen"),
    Change("Ouderen", "Voortgangsmelding", date(2026, 11, 18), "Valpreventie: op koers", "valpreventie", "ouderen"),
    Change("Ouderen", "Voortgangsmelding", date(2026, 11, 25), "Mantelzorg: risico", "mantelzorg", "ouderen"),
    Change(PROGRAMME, "Nieuwe cijfers", date(2026, 11, 22), "CBS: Bevolking", None, None),
    Change("Bestaanszekerheid", "Fase", date(2026, 11, 19), "Schuldhulp: naar Realisatie", "schuldhulp",
           "bestaanszekerheid"),
]


def test_sections_per_themalijn_by_kind_newest_first_and_the_programme_last():
    sections = sections_of(CHANGES)
    assert [s.themalijn for s in sections] == ["Bestaanszekerheid", "Ouderen", PROGRAMME]
    assert [c.text for c in sections[1].changes] == [
        "Mantelzorg: risico", "Valpreventie: op koers", "Valpreventie – Bereik: 40 % over 3e kwartaal 2026"]


def test_a_follower_gets_their_themalijnen_and_projects_only():
    view = VeranderdView(date(2026, 11, 16), date(2026, 12, 7), True, sections_of(CHANGES))
    assert [s.themalijn for s in for_follower(view, {"bestaanszekerheid"}, set())] == ["Bestaanszekerheid"]
    mine = for_follower(view, set(), {"mantelzorg"})
    assert [(s.themalijn, [c.text for c in s.changes]) for s in mine] == [("Ouderen", ["Mantelzorg: risico"])]
    assert for_follower(view, set(), set()) == ()


def test_the_slide_counts_per_themalijn_for_the_programme_and_lists_changes_for_one():
    programme = changes_slide(VeranderdView(date(2026, 11, 16), date(2026, 12, 7), True, sections_of(CHANGES)))
    assert programme["title"] == "Wat is er veranderd sinds het vorige BO"
    assert programme["lead"] == "5 verandering(en) van 16 november 2026, de vorige BO-datum, tot 7 december 2026."
    assert programme["bullets"][1] == "Ouderen: 2× voortgangsmelding, 1× kpi-waarde"
    assert "Mantelzorg: risico" in programme["notes"]
    one = changes_slide(VeranderdView(date(2026, 11, 16), date(2026, 12, 7), False,
                                      sections_of([c for c in CHANGES if c.themalijn_id == "ouderen"])))
    assert one["title"] == "Wat is er recent veranderd"
    assert one["bullets"][0] == "Voortgangsmelding: Mantelzorg: risico"
    empty = changes_slide(VeranderdView(date(2026, 11, 16), date(2026, 12, 7), False, ()))
    assert empty["bullets"] == ["Niets veranderd sinds 16 november 2026."]


def test_the_previous_bo_date_is_the_latest_before_today():
    dates = pd.DataFrame({"bo_date": [date(2026, 12, 7), date(2026, 11, 16), date(2026, 10, 12)]})
    assert previous_bo_date(dates, date(2026, 12, 7)) == date(2026, 11, 16)
    assert previous_bo_date(dates, date(2026, 12, 8)) == date(2026, 12, 7)
    assert previous_bo_date(dates.iloc[:0], date(2026, 12, 8)) is None


def test_a_target_crossed_by_a_new_figure_is_a_change(tmp_path):
    """The fixture's Twente overgewicht (51,0% in 2023) misses its target (48% by 2030); a new
    source retrieved in the window brings 47,0% for 2025: the target is met now and was not at
    the start of the window, so changes_since_targets gives that one row. Before the window, and
    with the figure as voorbeelddata, it gives none."""
    import pandas as pd

    from monitor.data import db, store
    from tests import fixture_store as fx

    directory = fx.write(tmp_path / "datasets")
    frames = {name: store.read_frame(name, directory) for name in ("observations", "sources")}
    old = frames["observations"]
    new = old[(old.indicator_id == "overgewicht") & (old.region_code == fx.TWENTE)].iloc[[0]].assign(
        period="2025", value=47.0, ci_low=46.0, ci_high=48.0, source_id="gm-2025")
    source = frames["sources"].iloc[[0]].assign(source_id="gm-2025", title="Gezondheidsmonitor 2025",
                                                retrieved=pd.Timestamp("2026-11-15").date(), is_sample=False)
    store.write_tables({"observations": store.to_table("observations", pd.concat([old, new])),
                        "sources": store.to_table("sources", pd.concat([frames["sources"], source]))}, directory)
    db.clear_cache()
    found = db.query("changes_since_targets", directory, since="2026-11-01", until="2026-12-07")
    assert list(found["indicator_id"]) == ["overgewicht"]
    row = found.iloc[0]
    assert not row["met_before"] and row["met_now"] and row["value_now"] == 47.0 and row["period_now"] == "2025"
    assert db.query("changes_since_targets", directory, since="2026-11-15", until="2026-12-07").empty
    sample = frames["sources"].iloc[[0]].assign(source_id="gm-2025", retrieved=pd.Timestamp("2026-11-15").date(),
                                                is_sample=True)
    store.write_tables({"sources": store.to_table("sources", pd.concat([frames["sources"], sample]))}, directory)
    db.clear_cache()
    assert db.query("changes_since_targets", directory, since="2026-11-01", until="2026-12-07").empty
