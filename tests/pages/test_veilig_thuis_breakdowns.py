"""AppTest: the breakdowns by aard van het geweld (CBS 84851NED) and soort melder (84849NED) with
CBS's real figures, from excerpts of the real, cut-off downloads (tests/data/veilig-thuis/
PROVENANCE.md): real where the file holds them completely, and the parts the file lacks said to be
missing (not hidden, not zero), on the Veilig Thuis page and the Bronnen page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.pages.app import open_page

DATA = Path(__file__).resolve().parents[1] / "data" / "veilig-thuis"
CUT_FILES = ("84851NED_cbsodata_afgekapt_uittreksel.csv", "84849NED_cbsodata_afgekapt_uittreksel.csv")
SHOWN = {"soort": "Adviezen", "halfjaar": "1e halfjaar 2024"}


@pytest.fixture(scope="module")
def cut_off_store(tmp_path_factory):
    """The committed datasets with the two cut-off CBS files imported."""
    from monitor.data import store
    from monitor.ingest import ingest_file

    target = tmp_path_factory.mktemp("vt-cut") / "datasets"
    shutil.copytree(store.dataset_dir(), target, ignore=shutil.ignore_patterns("events"))
    for name in CUT_FILES:
        ingest_file(DATA / name, target)
    return target


@pytest.fixture
def with_cut_off(cut_off_store, monkeypatch):
    from monitor.data import db

    monkeypatch.setenv("MONITOR_DATASETS", str(cut_off_store))
    db.clear_cache()
    yield cut_off_store
    db.clear_cache()


def _table(at):
    return next(df.value for df in at.dataframe if "Aantal" in df.value.columns)


def _warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def test_almelo_shows_cbs_real_breakdown_and_what_the_cut_off_file_lacks(with_cut_off):
    at = open_page("veilig_thuis", {"gemeente": "Almelo", **SHOWN})
    assert at.selectbox(key="gemeente").value == "GM0141"
    assert "Uitsplitsing: Almelo (1e halfjaar 2024)" in [h.value for h in at.header]
    assert [s.value for s in at.subheader if not s.value.startswith("Twente tussen")] == ["Aard van het geweld",
                                                                                          "Soort melder"]
    table = _table(at)
    almelo = table[(table["Regio"] == "Almelo") & (table["Halfjaar"] == "1e halfjaar 2024")]
    # CBS's figures, as published: 84851NED Kindermishandeling 140 (190 per 100 000), 84849NED
    # Niet beroepsmatig totaal 90 (118 per 100 000), the total 235.
    kinder = almelo[almelo["Categorie"] == "Kindermishandeling"].iloc[0]
    assert (kinder["Aantal"], kinder["Per 1.000 inwoners"]) == ("140", "1,90")
    burger = almelo[almelo["Uitsplitsing"] == "Soort melder"].iloc[0]
    assert (burger["Aantal"], burger["Per 1.000 inwoners"]) == ("90", "1,18")
    assert almelo[almelo["Categorie"] == "Totaal"].iloc[0]["Aantal"] == "235"
    # No category the file never reached is shown as a figure, hidden or not.
    assert set(almelo["Categorie"]) <= {"Totaal", "Kindermishandeling", burger["Categorie"]}
    warnings = _warnings(at)
    aard = next(w for w in warnings if "84851NED" in w)
    assert aard.startswith("Onvolledig: het CBS-bestand") and "is afgekapt" in aard
    assert "Voor Almelo (1e halfjaar 2024) staat partnergeweld, ouderenmishandeling" in aard
    assert "geen afgeschermde cijfers en geen nullen" in aard
    assert any("84849NED" in w and "politie" in w.lower() for w in warnings)
    # CBS's protection holds: every count a multiple of 5, a hidden one CBS's '.', never a rate beside it.
    for _, row in table.iterrows():
        if row["Aantal"] == ".":
            assert row["Per 1.000 inwoners"] in (".", "–", ""), row.to_dict()
        else:
            assert int(row["Aantal"].replace(".", "")) % 5 == 0, row.to_dict()
    # The charts draw only what CBS published in the file.
    # trend, gemeenten, two breakdowns (Twente tussen de Veilig Thuis-regio's: once its expander is opened)
    assert len(at.get("vega_lite_chart")) == 4


def test_twente_says_the_breakdowns_are_not_in_the_cut_off_files(with_cut_off):
    at = open_page("veilig_thuis", SHOWN)
    assert at.selectbox(key="gemeente").value == "GG_TWENTE"
    warnings = _warnings(at)
    assert any("Voor Twente (1e halfjaar 2024) staat de uitsplitsing naar aard van het geweld er niet in" in w
               for w in warnings)
    assert any("de uitsplitsing naar soort melder er niet in" in w for w in warnings)
    assert not any("geen uitsplitsing; alleen het totaal" in i.value for i in at.info)
    table = _table(at)
    twente = table[(table["Regio"] == "Twente") & (table["Halfjaar"] == "1e halfjaar 2024")]
    assert set(twente["Categorie"]) == {"Totaal"}


def test_bronnen_reports_the_cut_off_files(with_cut_off):
    at = open_page("bronnen")
    sources = at.table[0].value
    for table_id in ("84851NED", "84849NED"):
        row = sources[sources["Tabel"] == table_id].iloc[0]
        assert row["Volledigheid"].startswith("onvolledig (afgekapt)")
        warning = next(w.value for w in at.warning if "Onvolledig bestand" in w.value and table_id in w.value)
        assert "stopt na regio" in warning and "Twente (VT)" in warning
