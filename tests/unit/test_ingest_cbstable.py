"""The one CBS reader (monitor/ingest/cbstable.py) with declared mappings (sources/cbs/*.toml):
the real cbsodata files in ../shared, cut-off downloads, titles for regions and periods, and a
new table added by a TOML file alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.data import store
from monitor.data.errors import IngestError
from monitor.ingest import cbsmap, cbstable, detect_format, gebieden, ingest_file
from monitor.domain import regions as regions_mod
from monitor.domain.periods import PeriodError, cbs_period
from tests.helpers import one, snapshot

RETRIEVED = date(2026, 11, 22)
FILES = ["85385NED_gebieden_in_nederland_2024.csv", "85563NED_gezondheidsmonitor_volwassenen_2022.csv",
         "84847NED_veilig_thuis_kerncijfers_regio.csv", "85361NED_veilig_thuis_eerdere_betrokkenheid_regio.csv",
         "81064NED_wanbetalers_zorgpremie_regio.csv", "86004NED_inkomen_huishoudens_regio_afgekapt.csv",
         "86050NED_wmo_clienten_regio_afgekapt.csv", "85098NED_jeugdzorg_kerncijfers_relatief_regio.csv"]


@pytest.fixture(scope="module")
def imported(shared_dir: Path, tmp_path_factory) -> dict:
    directory = tmp_path_factory.mktemp("cbs")
    from monitor.data.build import regions_frame
    store.write_tables({"regions": store.to_table("regions", regions_frame())}, directory)
    reports = {name[:8]: ingest_file(shared_dir / "data" / "cbs" / name, directory, retrieved=RETRIEVED)
               for name in FILES}
    return {"dir": directory, "reports": reports, "obs": store.read_frame("observations", directory),
            "vt": store.read_frame("vt_reports", directory),
            "sources": store.read_frame("sources", directory).set_index("source_id")}


def test_every_new_file_is_read_by_the_one_reader(shared_dir: Path):
    for name in FILES:
        assert detect_format(shared_dir / "data" / "cbs" / name) is cbstable.FORMAT_DECLARED, name


def test_gezondheidsmonitor_2022_figures(imported):
    obs = imported["obs"]
    for region, value in (("GM0153", 48.3), ("GG_TWENTE", 52.6), ("NL01", 50.3)):
        row = one(obs, indicator_id="overgewicht", region_code=region, period="2022", subgroup="totaal")
        assert row["value"] == value and row["ci_low"] < value < row["ci_high"]
    assert one(obs, indicator_id="overgewicht", region_code="GM0153", period="2022", subgroup="totaal")[
        ["ci_low", "ci_high"]].tolist() == [45.1, 51.6]
    for indicator in ("psychische_klachten", "angst_depressie", "mantelzorger", "zwaar_belaste_mantelzorger",
                      "uren_mantelzorg_per_week"):
        assert set(obs.loc[obs["indicator_id"] == indicator, "region_code"]) >= {"GM0153", "GG_TWENTE", "NL01"}
    assert set(obs.loc[obs["source_id"] == "cbs-85563NED", "subgroup"]) == {"totaal", "18-64", "65+"}


def test_veilig_thuis_figures(imported):
    vt = imported["vt"]
    cell = lambda kind: one(vt, region_code="GM0153", period="2024H1", kind=kind, breakdown="totaal",  # noqa: E731
                            category="totaal")
    assert cell("melding")["count"] == 735 and cell("advies")["count"] == 510
    assert cell("melding")["per_1000"] == pytest.approx(4.53)  # CBS: 453 per 100.000
    assert set(vt["protected_by"]) == {"CBS"} and not vt["is_sample"].any()
    assert set(vt["region_code"]) >= {"GG_TWENTE", "NL01", "GM0183"}
    periods = sorted(set(vt.loc[vt["source_id"] == "cbs-84847NED", "period"]))
    assert periods[0] == "2019H1" and periods[-1] == "2024H1" and all("H" in p for p in periods)
    # 85361NED: the categories of earlier involvement add up to the meldingen of 84847NED.
    parts = vt[(vt["region_code"] == "NL01") & (vt["period"] == "2022H1") & (vt["breakdown"] == "betrokkenheid")]
    total = one(vt, region_code="NL01", period="2022H1", kind="melding", breakdown="totaal", category="totaal")
    assert parts["count"].sum() == 60040 and abs(total["count"] - 60040) <= 20
    assert "jaartotaal" in imported["reports"]["84847NED"].summary()


def test_new_indicators_with_cbs_twente_regions(imported):
    obs = imported["obs"]
    assert one(obs, indicator_id="wanbetalers_zorgpremie", region_code="NL01", period="2010")["value"] == 1.9
    for indicator in ("wanbetalers_zorgpremie", "mediaan_gestandaardiseerd_inkomen", "jeugdhulp",
                      "wmo_clienten_per_1000"):
        rows = obs[obs["indicator_id"] == indicator]
        assert (rows["region_code"] == "GG_TWENTE").any() and rows["region_code"].isin(["GM0153"]).any(), indicator
    income = one(obs, indicator_id="mediaan_gestandaardiseerd_inkomen", region_code="NL01", period="2011")
    assert income["value"] == 22800.0  # 22,8 × 1.000 euro
    # 86050NED has no Twente region: a weighted rate, never the unweighted mean of the gemeenten.
    wmo = obs[(obs["indicator_id"] == "wmo_clienten_per_1000") & (obs["period"] == "2023H1")].set_index("region_code")
    counts = obs[(obs["indicator_id"] == "wmo_clienten") & (obs["period"] == "2023H1")].set_index("region_code")
    gemeenten = [c for c in wmo.index if c in regions_mod.GEMEENTE_CODES]  # Twente's 14 (the store is national)
    weighted = counts.loc[gemeenten, "value"].sum() / (counts.loc[gemeenten, "value"] / wmo.loc[gemeenten, "value"]).sum()
    assert wmo.loc["GG_TWENTE", "value"] == pytest.approx(weighted, abs=0.05)
    assert counts.loc["GG_TWENTE", "value"] == counts.loc[gemeenten, "value"].sum()
    assert not obs["period"].isin(["2021", "2022", "2023"]).any() or \
        obs.loc[obs["indicator_id"] == "jeugdhulp", "period"].str.contains("H").all()


def test_cut_off_downloads_import_only_complete_series(imported):
    obs, sources = imported["obs"], imported["sources"]
    for table in ("86004NED", "86050NED"):
        report = imported["reports"][table].summary()
        assert "afgekapt" in report and "precies 10.000 gegevensrijen" in report and "NIET geïmporteerd" in report
        assert "Bestand onvolledig" in sources.loc[f"cbs-{table}", "note"]
    assert "Type: Eenpersoonshuishouden" in imported["reports"]["86004NED"].summary()
    assert "Volledig" in sources.loc["cbs-81064NED", "note"]
    # Every region of the monitor has every year of the complete series.
    income = obs[(obs["indicator_id"] == "mediaan_gestandaardiseerd_inkomen") & obs["region_code"].isin(regions_mod.KNOWN_CODES)]
    assert income.groupby("region_code")["period"].nunique().eq(13).all()


def _cbsodata(path: Path, rows: list[str], header: str = "ID;RegioS;Perioden;Overgewicht_1") -> Path:
    path.write_text("\ufeff" + header + "\n" + "\n".join(f"{i};{r}" for i, r in enumerate(rows)) + "\n",
                    encoding="utf-8")
    return path


def test_a_series_that_stops_part_way_is_left_out(tmp_path, tmp_datasets):
    rows = [f"{k};{r};2020;{v}" for k in ("Totaal", "Man") for r, v in
            (("Nederland", "49.0"), ("Enschede", "51.0"), ("GGD Twente (GG)", "52.0"))][:-1]
    header = "ID;Geslacht;RegioS;Perioden;Overgewicht_1"
    mapping = tmp_path / "cbs"
    mapping.mkdir()
    for path in cbsmap.MAPPING_DIR.glob("*.toml"):
        (mapping / path.name).write_bytes(path.read_bytes())
    (mapping / "99999NED.toml").write_text('''table_id = "99999NED"
title = "Proeftabel"
[dimensions.Geslacht]
role = "subgroup"
values = { "Totaal" = "totaal", "Man" = "man" }
[measures]
Overgewicht_1 = "overgewicht"
''', encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cbsmap, "MAPPING_DIR", mapping)
        report = ingest_file(_cbsodata(tmp_path / "99999NED_proef.csv", rows, header), tmp_datasets)
    obs = store.read_frame("observations", tmp_datasets)
    assert set(obs["subgroup"]) == {"totaal"}  # 'Man' stops before GGD Twente: cut off
    assert "Geslacht = 'Man'" in report.summary() and "NIET geïmporteerd" in report.summary()
    assert "Bestand onvolledig" in store.read_frame("sources", tmp_datasets)["note"].iloc[0]


def test_a_new_table_is_a_toml_entry(tmp_path, tmp_datasets):
    """A table the monitor never saw, in the cbsodata shape with titles, imports through a
    declaration alone: half-year titles, provisional '*', CBS's Twente region, a filter."""
    mapping = tmp_path / "cbs"
    mapping.mkdir()
    for path in cbsmap.MAPPING_DIR.glob("*.toml"):
        (mapping / path.name).write_bytes(path.read_bytes())
    (mapping / "12345NED.toml").write_text('''table_id = "12345NED"
title = "Nieuwe tabel"
twente = "Twente (JZ)"
[dimensions.Soort]
role = "filter"
keep = ["Totaal"]
[measures]
Aandeel_2 = { indicator = "jeugdhulp" }
''', encoding="utf-8")
    rows = ["Totaal;Nederland;1e halfjaar 2024*;11.0", "Totaal;Twente (JZ);1e halfjaar 2024*;12.0",
            "Totaal;Hengelo (O.);2e half jaar 2023;13.0", "Anders;Hengelo (O.);2e half jaar 2023;99.0"]
    path = _cbsodata(tmp_path / "12345NED_nieuw.csv", rows, "ID;Soort;RegioS;Perioden;Aandeel_2")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cbsmap, "MAPPING_DIR", mapping)
        ingest_file(path, tmp_datasets)
    obs = store.read_frame("observations", tmp_datasets).set_index("region_code")
    assert obs.loc["GG_TWENTE", "value"] == 12.0 and obs.loc["GG_TWENTE", "status"] == "voorlopig"
    assert obs.loc["GM0164", "period"] == "2023H2" and obs.loc["GM0164", "value"] == 13.0


def test_an_undeclared_table_with_an_unknown_measure_is_refused_and_changes_nothing(tmp_path, tmp_datasets):
    ingest_file(_cbsodata(tmp_path / "77777NED_a.csv", ["Enschede;2020;51.0"]), tmp_datasets)
    before = snapshot(tmp_datasets)
    path = _cbsodata(tmp_path / "77777NED_b.csv", ["Enschede;2020;51.0"], "ID;RegioS;Perioden;Geluk_1")
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets)
    assert "onbekende meetwaarde 'Geluk'" in info.value.message and "sources/cbs/77777NED.toml" in info.value.message
    assert (info.value.row, info.value.column) == (1, "Geluk_1")
    assert snapshot(tmp_datasets) == before
    bad = _cbsodata(tmp_path / "77777NED_c.csv", ["Enschede;zomer 2020;51.0"])
    with pytest.raises(IngestError, match="onbekende periode 'zomer 2020'"):
        ingest_file(bad, tmp_datasets)
    assert snapshot(tmp_datasets) == before


@pytest.mark.parametrize("raw, expected", [
    ("1e halfjaar 2024", ("2024H1", "definitief")), ("2e halfjaar 2019", ("2019H2", "definitief")),
    ("2024*", ("2024", "voorlopig")), ("2024HJ01", ("2024H1", "definitief")), ("2010", ("2010", "definitief")),
    ("3e kwartaal 2025", ("2025Q3", "definitief")), ("juni 2024", ("2024M06", "definitief")),
])
def test_period_titles(raw, expected):
    assert cbs_period(raw) == expected


def test_unknown_period_title():
    with pytest.raises(PeriodError, match="onbekende periode"):
        cbs_period("zomer 2024")


def test_region_titles_through_85385ned(shared_dir: Path):
    lookup = gebieden.read(shared_dir / "data" / "cbs" / "85385NED_gebieden_in_nederland_2024.csv")
    for title in gebieden.TWENTE_TITLES:
        assert lookup.resolve(title) == "GG_TWENTE", title
    assert sorted(lookup.twente_titles()) == sorted(gebieden.TWENTE_TITLES)
    assert lookup.resolve("Hengelo (O.)") == "GM0164" and lookup.resolve("Hengelo (Gld.)") is None
    assert lookup.resolve("Twente, Salland en Vechtstreek") is None
    assert gebieden.builtin().resolve("Twente (VT)") == "GG_TWENTE"


def test_voorbeelddata_source_says_what_was_generated():
    import pandas as pd

    from monitor.ingest import voorbeelddata

    kpi = pd.DataFrame({"kpi_id": ["k"]})
    only_kpi = voorbeelddata.sample_source(pd.DataFrame(columns=["indicator_id"]), kpi)
    assert only_kpi["title"] == "Voorbeelddata: kwartaalrealisaties van project-KPI's"
    assert "rondkomen" not in only_kpi["title"] + only_kpi["note"]
    both = voorbeelddata.sample_source(pd.DataFrame({"indicator_id": ["moeite_met_rondkomen"] * 2}), kpi)
    assert both["title"] == "Voorbeelddata: gemeentecijfers moeite met rondkomen en kwartaalrealisaties van project-KPI's"
    assert "Regiobeeld 2023" in both["note"]
