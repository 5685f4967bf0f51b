"""84851NED and 84849NED as CBS publishes them: counts and rates per 100 000 inwoners told apart by
the declaration (``unit`` per measure in ``sources/cbs/``), in the ``cbsodata`` and TypedDataSet
shapes; cut-off downloads kept to their complete parts and reported as cut off.

The ``*_uittreksel.csv`` files are excerpts of the real CBS downloads (tests/data/veilig-thuis/
PROVENANCE.md); every number below is CBS's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from monitor.data import store
from monitor.data.errors import IngestError
from monitor.ingest import cbsmap, detect_format, ingest_file, veilig_thuis
from monitor.views.tables import completeness
from tests.helpers import one, snapshot

DATA = Path(__file__).resolve().parent.parent / "data" / "veilig-thuis"
CUT_51 = DATA / "84851NED_cbsodata_afgekapt_uittreksel.csv"
FULL_51 = DATA / "84851NED_cbsodata_uittreksel.csv"
TYPED_51 = DATA / "84851NED_TypedDataSet_uittreksel.csv"
CUT_49 = DATA / "84849NED_cbsodata_afgekapt_uittreksel.csv"
HANDMADE_51 = DATA / "84851NED_TypedDataSet_twente.csv"


def _vt(directory: Path) -> pd.DataFrame:
    return store.read_frame("vt_reports", directory)


def _cell(frame: pd.DataFrame, region: str, period: str, kind: str, category: str = "totaal") -> pd.Series:
    breakdown = "totaal" if category == "totaal" else (
        "categorie" if category in ("kindermishandeling", "partnergeweld") else "melder")
    return one(frame, region_code=region, period=period, kind=kind, breakdown=breakdown, category=category)


def _source(directory: Path, source_id: str) -> pd.Series:
    return one(store.read_frame("sources", directory), source_id=source_id)


# --- the declaration rule ----------------------------------------------------------------------------

def _declaration(tmp_path: Path, measures: str, target: str = "vt_reports") -> Path:
    path = tmp_path / "99999NED.toml"
    path.write_text(f'table_id = "99999NED"\ntarget = "{target}"\n\n[measures]\n{measures}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(("unit", "role", "scale"), [
    ("aantal", "count", 1.0),
    ("per 100 000 inwoners", "per_1000", 0.01),
    ("per 100.000 inwoners", "per_1000", 0.01),   # dots and spaces do not matter
    ("Per 1 000 inwoners", "per_1000", 1.0),
])
def test_the_unit_of_a_measure_says_count_or_rate(tmp_path: Path, unit, role, scale):
    mapping = cbsmap.parse_mapping(_declaration(tmp_path, f'GestarteAdviezen_6 = {{ kind = "advies", unit = "{unit}" }}'))
    measure = mapping.measure("GestarteAdviezen_6")
    assert (measure.role, measure.scale) == (role, scale)
    assert measure.unit == cbsmap.unit_of(unit)


@pytest.mark.parametrize(("spec", "phrase"), [
    ('{ kind = "advies", unit = "procent" }', "onbekende eenheid 'procent'"),
    ('{ kind = "advies", unit = "aantal", role = "per_1000" }', "unit 'aantal' betekent role 'count'"),
    ('{ kind = "advies", unit = "per 100 000 inwoners", scale = 1 }', "met scale 0.01"),
])
def test_a_unit_that_does_not_fit_is_refused(tmp_path: Path, spec, phrase):
    with pytest.raises(IngestError) as info:
        cbsmap.parse_mapping(_declaration(tmp_path, f"GestarteAdviezen_6 = {spec}"))
    assert phrase in str(info.value) and "99999NED.toml" in str(info.value)


def test_unit_is_for_veilig_thuis_measures_only(tmp_path: Path):
    with pytest.raises(IngestError, match="'unit' geldt voor Veilig Thuis-tabellen"):
        cbsmap.parse_mapping(_declaration(tmp_path, 'Overgewicht_7 = { indicator = "overgewicht", unit = "aantal", title = "Gestarte adviezen" }',
                                          target="observations"))


def test_the_declarations_give_every_column_of_the_real_files_its_unit():
    tables = veilig_thuis.tables()
    header_51 = CUT_51.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    header_49 = CUT_49.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    for table_id, header, counts, rates in (("84851NED", header_51, 4, 4), ("84849NED", header_49, 2, 2)):
        mapping = tables[table_id].mapping
        measures = [mapping.measure(c) for c in header[4:] if not mapping.ignored(c)]
        assert [m.unit for m in measures] == ["aantal"] * counts + ["per 100 000 inwoners"] * rates
        assert mapping.protected_by == "CBS"


# --- the real cbsodata download -------------------------------------------------------------------------

def test_the_real_cbsodata_file_imports_with_counts_and_rates_apart(tmp_datasets: Path):
    assert detect_format(FULL_51) is veilig_thuis.FORMAT
    report = ingest_file(FULL_51, tmp_datasets)
    assert report.changed and report.source_id == "cbs-84851NED"
    frame = _vt(tmp_datasets)
    # Almelo, 1e halfjaar 2024: GestarteAdviezen_1 = 235.0, GestarteAdviezen_6 = 316.0 per 100 000.
    cell = _cell(frame, "GM0141", "2024H1", "advies")
    assert (int(cell["count"]), cell["per_1000"], cell["protected_by"]) == (235, pytest.approx(3.16), "CBS")
    kinder = _cell(frame, "GM0141", "2024H1", "melding", "kindermishandeling")
    assert (int(kinder["count"]), kinder["per_1000"]) == (200, pytest.approx(2.69))
    # An empty cell is CBS's: not published, never 0.
    assert pd.isna(_cell(frame, "GM0141", "2023H1", "onderzoek", "kindermishandeling")["count"])
    assert set(frame["period"]) == {"2023H1", "2023H2", "2024H1"}  # the year 2023 is not stored
    note = _source(tmp_datasets, "cbs-84851NED")["note"]
    assert completeness(note) == "volledig" and "Door CBS afgerond op 5" in note


def test_the_typeddataset_shape_gives_the_same_figures(tmp_path: Path):
    ingest_file(FULL_51, tmp_path / "cbsodata")
    ingest_file(TYPED_51, tmp_path / "typed")
    columns = ["region_code", "period", "kind", "breakdown", "category", "count", "per_1000", "protected_by"]
    key = columns[:5]
    cbsodata = _vt(tmp_path / "cbsodata")[columns].sort_values(key).reset_index(drop=True)
    typed = _vt(tmp_path / "typed")[columns].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(cbsodata, typed)


def test_84849_relatief_columns_are_rates(tmp_datasets: Path):
    ingest_file(CUT_49, tmp_datasets)
    frame = _vt(tmp_datasets)
    # Almelo, 1e halfjaar 2024, Niet beroepsmatig totaal: 40 adviezen, 54 per 100 000 (real CBS figures).
    cell = _cell(frame, "GM0141", "2024H1", "advies", "burger_omgeving")
    row = [line for line in CUT_49.read_text(encoding="utf-8-sig").splitlines()
           if line.split(";")[1:4] == ["Niet beroepsmatig totaal", "Almelo", "1e halfjaar 2024"]][0].split(";")
    assert int(cell["count"]) == int(float(row[4])) and cell["per_1000"] == pytest.approx(float(row[6]) / 100)


# --- cut-off downloads ----------------------------------------------------------------------------------

def test_a_cut_off_file_keeps_its_complete_parts_and_says_what_is_missing(tmp_datasets: Path):
    report = ingest_file(CUT_51, tmp_datasets)
    frame = _vt(tmp_datasets)
    # The total is complete: Twente (VT), Oldenzaal, Almelo, Nederland.
    assert int(_cell(frame, "GG_TWENTE", "2024H1", "advies")["count"]) == 2005
    assert int(_cell(frame, "GM0173", "2024H1", "melding")["count"]) == 100
    # Kindermishandeling only where the file holds it completely (Nederland, Almelo) ...
    kinder = frame[frame["category"] == "kindermishandeling"]
    assert set(kinder["region_code"]) == {"NL01", "GM0141"}
    # ... and the categories the file never reached are not stored at all (not as "not published").
    assert set(frame["category"]) == {"totaal", "kindermishandeling"}
    note = _source(tmp_datasets, "cbs-84851NED")["note"]
    assert completeness(note).startswith("onvolledig (afgekapt)")
    assert "'Kindermishandeling' stopt na regio 'Almelo'" in note
    assert "ontbreken Twente (VT), Oldenzaal" in note and "Niet in het bestand: Partnergeweld" in note
    assert any(n.startswith("Waarschuwing: Bestand onvolledig") for n in report.notes)


def test_a_filtered_file_is_not_called_cut_off(tmp_datasets: Path):
    ingest_file(FULL_51, tmp_datasets)  # two members, both complete for the regions in the file
    assert "onvolledig" not in _source(tmp_datasets, "cbs-84851NED")["note"]


# --- protection -----------------------------------------------------------------------------------------

def test_counts_without_cbs_rounding_get_the_monitors_protection(tmp_datasets: Path):
    report = ingest_file(HANDMADE_51, tmp_datasets)  # declared protected by CBS, but counts such as 32
    frame = _vt(tmp_datasets)
    assert frame["protected_by"].isna().all() and frame["per_1000"].isna().all()
    assert any("de monitor beschermt ze daarom zelf" in n for n in report.notes)


# --- what is really ambiguous is refused ------------------------------------------------------------------

def _declared(tmp_path: Path, monkeypatch, old: str, new: str) -> None:
    folder = tmp_path / "cbs"
    shutil.copytree(cbsmap.MAPPING_DIR, folder)
    text = (folder / "84851NED.toml").read_text(encoding="utf-8")
    assert old in text
    (folder / "84851NED.toml").write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(cbsmap, "MAPPING_DIR", folder)


def test_one_declaration_for_a_count_and_its_rate_is_refused(tmp_path: Path, tmp_datasets: Path, monkeypatch):
    # The declaration as it was: one key without suffix and without unit for both columns.
    _declared(tmp_path, monkeypatch, 'GestarteAdviezen_1 = { kind = "advies", unit = "aantal", title = "Gestarte adviezen" }',
              'GestarteAdviezen = { kind = "advies" }')
    text = (tmp_path / "cbs" / "84851NED.toml").read_text(encoding="utf-8")
    text = text.replace('GestarteAdviezen_6 = { kind = "advies", unit = "per 100 000 inwoners", title = "Gestarte adviezen" }\n', "")
    (tmp_path / "cbs" / "84851NED.toml").write_text(text, encoding="utf-8")
    before = snapshot(tmp_datasets)
    with pytest.raises(IngestError) as info:
        ingest_file(FULL_51, tmp_datasets)
    message = str(info.value)
    assert message.startswith(f"Fout in bestand {FULL_51.name}, rij 1, kolom 'GestarteAdviezen_6': ")
    assert "'GestarteAdviezen_1' en 'GestarteAdviezen_6' vallen allebei onder 'GestarteAdviezen'" in message
    assert 'unit = "per 100 000 inwoners"' in message
    assert snapshot(tmp_datasets) == before


def test_two_columns_declared_as_the_same_measure_are_refused(tmp_path: Path, tmp_datasets: Path, monkeypatch):
    _declared(tmp_path, monkeypatch,
              'GestarteAdviezen_6 = { kind = "advies", unit = "per 100 000 inwoners", title = "Gestarte adviezen" }',
              'GestarteAdviezen_6 = { kind = "advies", unit = "aantal", title = "Gestarte adviezen" }')
    with pytest.raises(IngestError) as info:
        ingest_file(FULL_51, tmp_datasets)
    assert info.value.row == 1 and info.value.column == "GestarteAdviezen_6"
    assert "twee kolommen voor 'advies' (aantal): 'GestarteAdviezen_1' en 'GestarteAdviezen_6'" in str(info.value)
    assert not any(tmp_datasets.iterdir())


def test_a_rate_that_is_no_number_names_row_and_column(tmp_path: Path, tmp_datasets: Path):
    lines = FULL_51.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[5].split(";")
    cells[9] = "drie"
    lines[5] = ";".join(cells)
    bad = tmp_path / "84851NED_slecht.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        ingest_file(bad, tmp_datasets)
    assert (info.value.row, info.value.column) == (6, "GestarteAdviezen_6") and "'drie' is geen getal" in str(info.value)


def test_no_rate_is_kept_beside_a_count_cbs_did_not_publish(tmp_path: Path, tmp_datasets: Path):
    lines = FULL_51.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[8].split(";")  # Almelo, 1e halfjaar 2024, Totaal
    assert cells[2:4] == ["Almelo", "1e halfjaar 2024"]
    cells[4] = ""  # GestarteAdviezen_1 hidden, GestarteAdviezen_6 (316.0) left
    lines[8] = ";".join(cells)
    edited = tmp_path / FULL_51.name
    edited.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_file(edited, tmp_datasets)
    cell = _cell(_vt(tmp_datasets), "GM0141", "2024H1", "advies")
    assert pd.isna(cell["count"]) and pd.isna(cell["per_1000"])
    assert _cell(_vt(tmp_datasets), "GM0141", "2024H1", "melding")["per_1000"] == pytest.approx(5.48)


# --- CBS's DataProperties beside a download -----------------------------------------------------------

def _typed_copy(tmp_path: Path, units: str | None = None) -> Path:
    folder = tmp_path / "download"
    folder.mkdir(parents=True)
    for path in DATA.glob(f"{TYPED_51.stem}*.csv"):  # the CSV download (its JSON twin has its own tests)
        shutil.copy(path, folder / path.name)
    if units is not None:
        (folder / f"{TYPED_51.stem}.DataProperties.csv").write_text(units, encoding="utf-8")
    return folder / TYPED_51.name


def test_cbs_dataproperties_give_the_unit_where_the_declaration_has_none(tmp_path: Path, monkeypatch):
    ingest_file(FULL_51, tmp_path / "declared")
    # Declared by stem, without units: CBS's DataProperties beside the file tell count from rate.
    _declared(tmp_path, monkeypatch, 'GestarteAdviezen_1 = { kind = "advies", unit = "aantal", title = "Gestarte adviezen" }',
              'GestarteAdviezen = { kind = "advies" }')
    text = (tmp_path / "cbs" / "84851NED.toml").read_text(encoding="utf-8")
    text = text.replace('GestarteAdviezen_6 = { kind = "advies", unit = "per 100 000 inwoners", title = "Gestarte adviezen" }\n', "")
    (tmp_path / "cbs" / "84851NED.toml").write_text(text, encoding="utf-8")
    ingest_file(_typed_copy(tmp_path), tmp_path / "by-cbs-units")
    columns = ["region_code", "period", "kind", "breakdown", "category", "count", "per_1000", "protected_by"]
    declared = _vt(tmp_path / "declared")[columns].sort_values(columns[:5]).reset_index(drop=True)
    by_units = _vt(tmp_path / "by-cbs-units")[columns].sort_values(columns[:5]).reset_index(drop=True)
    pd.testing.assert_frame_equal(declared, by_units)
    # Without the DataProperties the same declaration is ambiguous, and refused.
    bare = _typed_copy(tmp_path / "bare")
    bare.with_name(f"{TYPED_51.stem}.DataProperties.csv").unlink()
    with pytest.raises(IngestError, match="vallen allebei onder 'GestarteAdviezen'"):
        ingest_file(bare, tmp_path / "bare-datasets")


def test_a_declared_unit_that_contradicts_cbs_is_refused(tmp_path: Path, tmp_datasets: Path):
    units = (DATA / f"{TYPED_51.stem}.DataProperties.csv").read_text(encoding="utf-8")
    path = _typed_copy(tmp_path, units.replace("GestarteAdviezen_6;per 100 000 inwoners", "GestarteAdviezen_6;aantal"))
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets)
    assert Path(info.value.file).name == f"{TYPED_51.stem}.DataProperties.csv"
    assert (info.value.row, info.value.column) == (10, "Unit")
    assert "'GestarteAdviezen_6' is volgens de metadata van CBS" in str(info.value)
    assert "'aantal'" in str(info.value) and "'per 100 000 inwoners'" in str(info.value)
    assert not any(tmp_datasets.iterdir())
