"""CBS open data bulk CSV (TypedDataSet shape): monitor/ingest/opendata.py."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from monitor.data import store
from monitor.ingest import detect_format, ingest_file, opendata
from monitor.domain.regions import code_for_name
from tests.helpers import one

DATA = Path(__file__).resolve().parent.parent / "data" / "opendata"
TYPED = DATA / "50052NED_TypedDataSet_twente.csv"
QUOTED = DATA / "cbs-export-zonder-marges.csv"


def observations(directory: Path) -> pd.DataFrame:
    return store.read_frame("observations", directory)



@pytest.fixture
def imported(tmp_datasets: Path) -> tuple[Path, object]:
    report = ingest_file(TYPED, tmp_datasets, retrieved=date(2026, 11, 22))
    return tmp_datasets, report


def test_sniff_recognises_typed_dataset_with_and_without_quotes():
    assert detect_format(TYPED) is opendata.FORMAT
    assert detect_format(QUOTED) is opendata.FORMAT
    assert not opendata.FORMAT.sniff(Path("x.csv"), b"ID;Leeftijd;Marges\n0;1;2\n")
    assert not opendata.FORMAT.sniff(Path("x.csv"), b"indicator_id;region;period;value\n")


def test_padded_codes_periods_and_suffixes(imported):
    directory, report = imported
    obs = observations(directory)
    assert set(obs["indicator_id"]) == {"overgewicht", "zware_drinker"}  # _59 / _72 stripped
    # Padded codes: 'GM0153    ', 'NL01      '; GGD Twente and Overijssel by their CBS codes.
    assert set(obs["region_code"]) == {"GM0153", "GG_TWENTE", "PV_OVERIJSSEL", "NL01"}
    assert set(obs["period"]) == {"2020", "2024H1", "2025Q3", "2024M06"}
    assert one(obs, indicator_id="overgewicht", region_code="GG_TWENTE")["period"] == "2024H1"
    assert one(obs, indicator_id="overgewicht", region_code="PV_OVERIJSSEL")["period"] == "2025Q3"
    assert one(obs, indicator_id="overgewicht", region_code="NL01")["period"] == "2024M06"
    assert report.source_id == "cbs-50052NED"


def test_marges_become_interval(imported):
    directory, _report = imported
    row = one(observations(directory), indicator_id="overgewicht", region_code="GM0153",
              period="2020", subgroup="totaal")
    assert (row["value"], row["ci_low"], row["ci_high"]) == (51.3, 49.9, 52.7)
    # The value has a row of its own; its interval bounds were empty: missing, not 0.
    drinker = one(observations(directory), indicator_id="zware_drinker", region_code="GM0153",
                  subgroup="totaal")
    assert drinker["value"] == 8.1
    assert math.isnan(drinker["ci_low"]) and math.isnan(drinker["ci_high"])


def test_leeftijd_codes_map_to_subgroups(imported):
    directory, _report = imported
    obs = observations(directory)
    gm = obs[(obs["region_code"] == "GM0153") & (obs["indicator_id"] == "overgewicht")]
    assert dict(zip(gm["subgroup"], gm["value"])) == {"totaal": 51.3, "18-64": 48.0, "65+": 60.2}


def test_empty_cells_are_missing_never_zero(imported):
    directory, report = imported
    obs = observations(directory)
    # ZwareDrinker was empty for 18-64 and '.' for 65+: no observation, certainly no 0.
    drinker = obs[(obs["indicator_id"] == "zware_drinker") & (obs["region_code"] == "GM0153")]
    assert list(drinker["subgroup"]) == ["totaal"]
    # Almelo had only a lower bound and no value: left out.
    assert not (obs["region_code"] == "GM0141").any()
    # A real 0 stays 0.
    assert one(obs, indicator_id="zware_drinker", region_code="NL01")["value"] == 0.0
    assert (obs["value"].notna()).all()
    text = report.summary()
    assert "7 lege cel(len)" in text and "niet als 0" in text
    assert "4 waarneming(en) zonder waarde weggelaten" in text


def test_regions_outside_the_monitor_are_skipped_with_a_note(imported):
    directory, report = imported
    assert "GM0363" not in set(observations(directory)["region_code"])
    assert any("overgeslagen" in note and "GM0363" in note for note in report.notes)


def test_source_row(imported):
    directory, _report = imported
    source = one(store.read_frame("sources", directory), source_id="cbs-50052NED")
    assert source["publisher"] == "CBS"
    assert source["table_id"] == "50052NED"
    assert source["licence"] == "CC BY 4.0"
    assert source["peildatum"] == date(2025, 9, 30)  # end of 2025Q3, the latest period
    obs = observations(directory)
    assert set(obs["status"]) == {"definitief"}
    assert set(obs["source_id"]) == {"cbs-50052NED"}
    indicators = store.read_frame("indicators", directory)
    assert {"overgewicht", "zware_drinker"} <= set(indicators["indicator_id"])


def test_quoted_file_without_table_id_or_marges(tmp_datasets: Path):
    report = ingest_file(QUOTED, tmp_datasets)
    assert report.source_id == "cbs-opendata-cbs-export-zonder-marges"
    obs = observations(tmp_datasets)
    row = one(obs, region_code="GM0164")
    assert row["indicator_id"] == "ernstig_overgewicht"  # ErnstigOvergewichtObesitas_13
    assert row["value"] == 17.4 and row["subgroup"] == "totaal" and math.isnan(row["ci_low"])


def test_source_id_override(tmp_datasets: Path):
    report = ingest_file(QUOTED, tmp_datasets, source_overrides={"source_id": "cbs-eigen"})
    assert report.source_id == "cbs-eigen"
    assert set(observations(tmp_datasets)["source_id"]) == {"cbs-eigen"}


def test_reimport_same_file_changes_nothing(imported):
    directory, _report = imported
    again = ingest_file(TYPED, directory)
    assert not again.changed


def test_cbs_region_codes():
    assert code_for_name("PV23") == "PV_OVERIJSSEL"
    assert code_for_name("PV21") is None  # Fryslân
    assert code_for_name("GG1106") == "GG_TWENTE"
    assert code_for_name("GG1413") is None  # GGD Noord- en Oost-Gelderland
