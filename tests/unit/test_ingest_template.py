"""The hand-kept indicator template (CSV and .xlsx): monitor/ingest/template.py."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from monitor.data import store
from monitor.data.errors import IngestError
from monitor.ingest import detect_format, ingest_file, template
from tests.helpers import one

REPO = Path(__file__).resolve().parent.parent.parent
GOOD = REPO / "tests" / "data" / "template" / "goed-sjabloon.csv"
SJABLOON = REPO / "sources" / "sjabloon-indicatoren.csv"



def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_csv_as_dutch_excel_saves_it(tmp_datasets: Path):
    assert detect_format(GOOD) is template.FORMAT_CSV
    report = ingest_file(GOOD, tmp_datasets, retrieved=date(2026, 11, 22))
    obs = store.read_frame("observations", tmp_datasets)
    assert len(obs) == 5
    almelo = one(obs, region_code="GM0141")
    assert (almelo["value"], almelo["ci_low"], almelo["ci_high"]) == (52.3, 49.1, 55.4)  # decimal comma
    assert almelo["subgroup"] == "totaal" and almelo["status"] == "definitief"  # defaults
    assert one(obs, region_code="GM0153")["status"] == "voorlopig"
    hengelo = one(obs, region_code="GM0164")  # 'Hengelo (O.)'
    assert hengelo["period"] == "2020" and hengelo["value"] == 8.1  # '2020JJ00'
    assert one(obs, region_code="GG_TWENTE")["period"] == "2025Q3"
    assert one(obs, region_code="NL01")["period"] == "2024H1"
    assert math.isnan(one(obs, region_code="NL01")["ci_low"])
    assert report.source_id == "handmatig-goed-sjabloon"
    source = one(store.read_frame("sources", tmp_datasets), source_id="handmatig-goed-sjabloon")
    assert source["publisher"] == "Twentse Koers (handmatig bijgehouden)"
    assert source["title"] == "goed-sjabloon" and source["licence"] == "intern"
    assert source["peildatum"] == date(2025, 9, 30)
    # Indicators that came from the catalogue are added to the indicators table.
    assert {"overgewicht", "zware_drinker"} <= set(store.read_frame("indicators", tmp_datasets)["indicator_id"])


def test_overrides_win(tmp_datasets: Path):
    report = ingest_file(GOOD, tmp_datasets, source_overrides={
        "source_id": "handmatig-ggd", "peildatum": date(2025, 12, 1)})
    assert report.source_id == "handmatig-ggd"
    source = one(store.read_frame("sources", tmp_datasets), source_id="handmatig-ggd")
    assert source["peildatum"] == date(2025, 12, 1)


def test_comma_separated_csv_is_accepted(tmp_path: Path, tmp_datasets: Path):
    path = tmp_path / "komma.csv"
    path.write_text('indicator_id,region,period,value\novergewicht,Borne,2024,"51,5"\n', encoding="utf-8")
    ingest_file(path, tmp_datasets)
    assert one(store.read_frame("observations", tmp_datasets), region_code="GM0147")["value"] == 51.5


def test_xlsx_with_floats_ints_and_dutch_strings(tmp_path: Path, tmp_datasets: Path):
    path = write_xlsx(tmp_path / "Monitor handmatig 2024.xlsx", [
        ["Indicator_ID", "Region", "Period", "Subgroup", "Value", "CI_low", "CI_high", "Opmerking"],
        ["overgewicht", "Enschede", 2024, None, 52.25, 50, "54,5", "uit rapport"],
        [None, None, None, None, None, None, None, None],
        ["zware_drinker", "gm0189", "2024H2", "65+", "7,5", None, None, None],
        ["zware_drinker", "Twente", 2020.0, "Totaal", 8, None, None, None],
    ])
    assert detect_format(path) is template.FORMAT_XLSX
    report = ingest_file(path, tmp_datasets)
    assert report.source_id == "handmatig-monitor-handmatig-2024"
    obs = store.read_frame("observations", tmp_datasets)
    assert len(obs) == 3
    enschede = one(obs, region_code="GM0153")
    assert (enschede["value"], enschede["ci_low"], enschede["ci_high"]) == (52.25, 50.0, 54.5)
    assert enschede["period"] == "2024" and enschede["subgroup"] == "totaal"
    wierden = one(obs, region_code="GM0189")
    assert (wierden["value"], wierden["period"], wierden["subgroup"]) == (7.5, "2024H2", "65+")
    assert one(obs, region_code="GG_TWENTE")["period"] == "2020"
    assert any("Opmerking" in note for note in report.notes)


def test_xlsx_errors_name_the_excel_row(tmp_path: Path, tmp_datasets: Path):
    path = write_xlsx(tmp_path / "fout.xlsx", [
        ["indicator_id", "region", "period", "value"],
        ["overgewicht", "Almelo", 2024, 50],
        [],
        ["overgewicht", "Almelo", 2023, "ongeveer 50"],
    ])
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets)
    assert "rij 4" in str(info.value) and "kolom 'value'" in str(info.value) and "geen getal" in str(info.value)


def test_blank_template_in_sources_is_a_valid_template():
    text = SJABLOON.read_text(encoding="utf-8-sig")  # with BOM, so Excel opens it as UTF-8
    header, example = text.strip().splitlines()
    assert header.split(";")[:5] == ["indicator_id", "region", "period", "subgroup", "value"]
    assert example.split(";")[:5] == ["moeite_met_rondkomen", "Almelo", "2024", "totaal", "19,5"]
    assert detect_format(SJABLOON) is template.FORMAT_CSV
