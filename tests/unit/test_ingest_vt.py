"""The CBS Veilig Thuis importer (84851NED, 84849NED as open-data TypedDataSet).

Fixtures in tests/data/veilig-thuis/ are small, hand-made files in CBS's shape, each with a
metadata file ``<stem>.<dimension>.csv`` (Key;Title) beside it. The member keys (``VT-A00`` …)
are made up: CBS's real keys are not known here, so they are resolved through the titles.
Bad files are in tests/data/bad/84851NED_*.csv.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from monitor.data import store
from monitor.ingest import voorbeelddata
from monitor.data.contract import VT_BREAKDOWNS
from monitor.data.errors import IngestError
from monitor.ingest import cbsmap, detect_format, ingest_file, opendata, veilig_thuis
from monitor.ingest.base import Batch, Context
from monitor.ingest.validate import validate_batch
from monitor.domain.regions import GEMEENTE_CODES, TWENTE
from tests import fixture_store
from tests.helpers import one, snapshot

REPO = Path(__file__).resolve().parent.parent.parent
DATA = REPO / "tests" / "data" / "veilig-thuis"
BAD = REPO / "tests" / "data" / "bad"
CATEGORIE = DATA / "84851NED_TypedDataSet_twente.csv"
MELDER = DATA / "84849NED_TypedDataSet_twente.csv"
DIM_51 = "KenmerkenAdviezenMeldingenDiensten"
DIM_49 = "KenmerkenAdviezenMeldingen"


def _meta(path: Path, dimension: str) -> Path:
    return path.with_name(f"{path.stem}.{dimension}.csv")


def _keys(path: Path, dimension: str) -> dict[str, str]:
    frame = pd.read_csv(_meta(path, dimension), sep=";", dtype=str)
    return dict(zip(frame["Key"], frame["Title"]))


def _vt(directory: Path) -> pd.DataFrame:
    return store.read_frame("vt_reports", directory)


def _count(frame: pd.DataFrame, region: str, period: str, kind: str, category: str):
    breakdown = "totaal" if category == "totaal" else next(
        b for b, cats in VT_BREAKDOWNS.items() if category in cats and b != "totaal")
    value = one(frame, region_code=region, period=period, kind=kind, breakdown=breakdown,
                category=category)["count"]
    return None if pd.isna(value) else int(value)


@pytest.fixture
def with_sample(tmp_datasets: Path) -> Path:
    """The fixture store with its Veilig Thuis voorbeelddata (tests/fixture_store.py)."""
    return fixture_store.write(tmp_datasets, veilig_thuis=True)


# --- recognising the files ------------------------------------------------------------------------

def test_both_tables_are_recognised_before_the_generic_open_data_format():
    for path in (CATEGORIE, MELDER, BAD / "84851NED_zonder-dimensie.csv"):
        assert detect_format(path) is veilig_thuis.FORMAT, path.name
    assert detect_format(REPO / "tests" / "data" / "opendata" / "50052NED_TypedDataSet_twente.csv") is opendata.FORMAT


def test_config_has_the_privacy_settings_and_no_invented_keys():
    import tomllib

    with open(REPO / "sources" / "veilig-thuis.toml", "rb") as handle:
        data = tomllib.load(handle)
    assert data["privacy"] == {"min_count": 10, "rounding": 5}
    # The tables' mappings are declared in sources/cbs/84851NED.toml and 84849NED.toml.
    tables = veilig_thuis.tables()
    assert set(tables) == {"84851NED", "84849NED"}
    assert all(not member.codes for table in tables.values() for member in table.members)
    assert all(not table.ignored_codes for table in tables.values())
    mapping = tables["84851NED"].mapping
    # CBS's full keys, each with its unit: the count and its rate per 100 000 inwoners apart.
    assert (mapping.measure("AfgerondeDienstenVoorwaardenEnVerv_5").kind, mapping.measure(
        "AfgerondeDienstenVoorwaardenEnVerv_5").role) == ("overdracht", "count")
    rate = mapping.measure("AfgerondeDienstenVoorwaardenEnVerv_10")
    assert (rate.kind, rate.role, rate.scale, rate.unit) == ("overdracht", "per_1000", 0.01, "per 100 000 inwoners")
    assert mapping.ignored("CasussenMetOntvangenMeldingEnAfgerondeDienst")


# --- 84851NED: by aard van het geweld ---------------------------------------------------------------

def test_categorie_table(tmp_datasets: Path):
    report = ingest_file(CATEGORIE, tmp_datasets, retrieved=date(2026, 11, 1))
    assert report.changed and report.source_id == "cbs-84851NED"
    frame = _vt(tmp_datasets)
    assert not frame["is_sample"].any() and (frame["source_id"] == "cbs-84851NED").all()
    assert set(frame["region_code"]) == {"GM0153", "GM0183", TWENTE, "NL01"}  # GM0363, PV23 skipped
    assert set(frame["period"]) == {"2024H1", "2024H2"}  # the 2024JJ00 row is skipped
    assert set(frame["breakdown"]) == {"totaal", "categorie"}
    assert len(frame) == 7 * 4 * 6  # (region, period) × kinds × (totaal + 5 categories)

    # GM0153 2024H1, from the fixture: members summed into categories.
    assert _count(frame, "GM0153", "2024H1", "advies", "totaal") == 525
    assert _count(frame, "GM0153", "2024H1", "advies", "kindermishandeling") == 260
    assert _count(frame, "GM0153", "2024H1", "advies", "overig_huiselijk_geweld") == 10 + 40
    assert _count(frame, "GM0153", "2024H1", "melding", "anders_onbekend") == 30 + 15 + 15
    assert _count(frame, "GM0153", "2024H1", "onderzoek", "partnergeweld") == 12
    assert _count(frame, "GM0153", "2024H1", "overdracht", "totaal") == 54  # AfgerondeDienstenVoorwaardenEnVerv_5
    assert _count(frame, TWENTE, "2024H2", "melding", "ouderenmishandeling") == 75  # GG1106 → GG_TWENTE

    # "." in one member makes the category's sum missing, never a smaller sum.
    assert _count(frame, "GM0183", "2024H1", "melding", "overig_huiselijk_geweld") is None
    assert _count(frame, "GM0183", "2024H1", "advies", "overig_huiselijk_geweld") == 1 + 4
    assert _count(frame, "GM0183", "2024H1", "onderzoek", "ouderenmishandeling") is None
    assert _count(frame, "GM0183", "2024H2", "overdracht", "totaal") is None  # empty cell
    assert _count(frame, "GM0183", "2024H1", "onderzoek", "kindermishandeling") == 3
    # Nederland has only the total in the file: its categories are not published.
    assert _count(frame, "NL01", "2024H1", "melding", "totaal") == 65000
    assert _count(frame, "NL01", "2024H1", "melding", "kindermishandeling") is None
    assert frame["count"].isna().sum() == 20 + 3

    source = one(store.read_frame("sources", tmp_datasets), source_id="cbs-84851NED")
    assert source["publisher"] == "CBS" and source["table_id"] == "84851NED"
    assert source["title"] == "Huiselijk geweld; aard geweld, aanvullende informatie, regio"
    assert source["licence"] == "CC BY 4.0" and source["peildatum"] == date(2024, 12, 31)
    assert not source["is_sample"]

    notes = "\n".join(report.notes)
    assert "1 jaarrij(en) overgeslagen" in notes
    assert "CasussenMetOntvangenMeldingEnAfgerondeDienst_3" in notes
    assert "Kindermishandeling: lichamelijke mishandeling" in notes  # a sub-item, skipped
    assert "GM0363" in notes and "PV23" in notes


# --- 84849NED: by soort melder ---------------------------------------------------------------------

def test_melder_table_with_derived_remainder(tmp_datasets: Path):
    report = ingest_file(MELDER, tmp_datasets)
    frame = _vt(tmp_datasets)
    assert set(frame["kind"]) == {"advies", "melding"}
    assert set(frame["breakdown"]) == {"totaal", "melder"}
    assert _count(frame, "GM0153", "2024H1", "advies", "politie") == 32  # "Justitie en veiligheid: totaal"
    assert _count(frame, "GM0153", "2024H1", "advies", "huisarts_zorg") == 50 + 18
    assert _count(frame, "GM0153", "2024H1", "melding", "burger_omgeving") == 60
    # overig = Totaal minus the mapped melders (the sub-items are not counted twice)
    assert _count(frame, "GM0153", "2024H1", "advies", "overig") == 525 - (32 + 47 + 68 + 230)
    assert _count(frame, "GM0153", "2024H1", "melding", "overig") == 745 - (485 + 30 + 75 + 60)
    # A missing melder makes its category and the remainder missing.
    assert _count(frame, "GM0183", "2024H1", "melding", "huisarts_zorg") is None
    assert _count(frame, "GM0183", "2024H1", "melding", "overig") is None
    assert _count(frame, "GM0183", "2024H1", "advies", "overig") == 43 - (3 + 4 + 6 + 19)
    # A negative remainder is not published.
    assert _count(frame, "GM0183", "2024H2", "advies", "overig") is None
    assert "afgeleid" in "\n".join(report.notes)
    assert one(store.read_frame("sources", tmp_datasets), source_id="cbs-84849NED")["title"] == (
        "Huiselijk geweld; rol/functie, organisatie, duur geweld, regio")


def test_both_tables_together(tmp_datasets: Path):
    ingest_file(CATEGORIE, tmp_datasets)
    ingest_file(MELDER, tmp_datasets)
    frame = _vt(tmp_datasets)
    assert set(frame["breakdown"]) == {"totaal", "categorie", "melder"}
    assert set(frame["source_id"]) == {"cbs-84851NED", "cbs-84849NED"}
    assert _count(frame, "GM0153", "2024H1", "melding", "kindermishandeling") == 370
    assert _count(frame, "GM0153", "2024H1", "melding", "politie") == 485
    assert not frame.duplicated(["region_code", "period", "kind", "breakdown", "category"]).any()


# --- keys, titles and codes ------------------------------------------------------------------------

def _with_titles(path: Path, dimension: str, target: Path) -> Path:
    """A copy of a fixture with the titles in the dimension column instead of the keys."""
    keys = _keys(path, dimension)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame[dimension] = frame[dimension].map(keys)
    out = target / path.name
    frame.to_csv(out, sep=";", index=False)
    return out


def test_titles_in_the_file_give_the_same_result(tmp_path: Path):
    keyed = tmp_path / "keys"
    titled = tmp_path / "titles"
    ingest_file(CATEGORIE, keyed)
    ingest_file(_with_titles(CATEGORIE, DIM_51, tmp_path), titled)
    pd.testing.assert_frame_equal(_vt(keyed), _vt(titled))


def test_keys_from_the_codes_in_the_toml(tmp_path: Path, monkeypatch):
    text = (cbsmap.MAPPING_DIR / "84851NED.toml").read_text(encoding="utf-8")
    table = veilig_thuis.tables()["84851NED"]
    keys = _keys(CATEGORIE, DIM_51)
    # Put each key under its category as `codes` (the keys are the fixture's, not CBS's).
    for member in table.members:
        codes = [k for k, title in keys.items()
                 if any(veilig_thuis._title_matches(t, title) for t in member.titles)]
        old = f'category = "{member.category}"\ntitles = {_toml_list(member.titles)}\ncodes = []'
        assert text.count(old) == 1, old
        text = text.replace(old, old[:-len("codes = []")] + f"codes = {_toml_list(codes)}")
    sub_items = [k for k, title in keys.items() if ":" in title]
    assert sub_items == ["VT-A11"]
    text = text.replace('breakdown = "categorie"\nignored_codes = []',
                        f'breakdown = "categorie"\nignored_codes = {_toml_list(sub_items)}')
    folder = tmp_path / "cbs"
    shutil.copytree(cbsmap.MAPPING_DIR, folder)
    (folder / "84851NED.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(cbsmap, "MAPPING_DIR", folder)
    bare = tmp_path / "data"
    bare.mkdir()
    shutil.copy(CATEGORIE, bare / CATEGORIE.name)  # no metadata file beside it
    ingest_file(bare / CATEGORIE.name, tmp_path / "by-codes")
    ingest_file(CATEGORIE, tmp_path / "by-metadata")
    pd.testing.assert_frame_equal(_vt(tmp_path / "by-codes"), _vt(tmp_path / "by-metadata"))


def _toml_list(items) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def test_a_key_without_a_title_is_an_error_saying_what_to_add(tmp_path: Path, tmp_datasets: Path):
    bare = tmp_path / CATEGORIE.name
    shutil.copy(CATEGORIE, bare)  # without its metadata file
    with pytest.raises(IngestError) as info:
        ingest_file(bare, tmp_datasets)
    message = str(info.value)
    assert info.value.row == 3 and info.value.column == DIM_51  # row 2 is a year row, skipped
    assert "'VT-A00'" in message and f"{bare.stem}.{DIM_51}.csv" in message
    assert "sources/cbs/84851NED.toml" in message and "codes" in message  # the table's declaration
    assert not any(tmp_datasets.iterdir())


def test_metadata_file_without_title_column(tmp_path: Path, tmp_datasets: Path):
    data = tmp_path / CATEGORIE.name
    shutil.copy(CATEGORIE, data)
    _meta(data, DIM_51).write_text("Key;Omschrijving\nVT-A00;Totaal\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        ingest_file(data, tmp_datasets)
    assert _meta(data, DIM_51).name in str(info.value) and "'Title'" in str(info.value)


# --- GG_TWENTE derived when the file has no GGD-region rows ----------------------------------------

def test_twente_is_derived_from_all_fourteen_gemeenten(tmp_path: Path, tmp_datasets: Path):
    lines = ["ID;KenmerkenAdviezenMeldingenDiensten;RegioS;Perioden;GestarteAdviezen_1"]
    titles = ["Totaal", "Kindermishandeling", "(Ex-)Partnergeweld"]
    i = 0
    for n, code in enumerate(GEMEENTE_CODES):
        for title in titles:
            value = "." if (code == "GM0183" and title == "(Ex-)Partnergeweld") else str(10 + n)
            lines.append(f"{i};{title};{code}    ;2025HJ01;{value}")
            i += 1
    lines.append(f"{i};Totaal;GM0153    ;2025HJ02;500")  # one gemeente only: no Twente for 2025H2
    path = tmp_path / "84851NED_veertien.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_file(path, tmp_datasets)
    frame = _vt(tmp_datasets)
    twente = frame[frame["region_code"] == TWENTE]
    assert set(twente["period"]) == {"2025H1"}
    assert _count(frame, TWENTE, "2025H1", "advies", "totaal") == sum(10 + n for n in range(14))
    assert _count(frame, TWENTE, "2025H1", "advies", "partnergeweld") is None  # Tubbergen not published
    assert _count(frame, TWENTE, "2025H1", "advies", "ouderenmishandeling") is None  # not in the file
    assert "afgeleid" in "\n".join(report.notes)


# --- voorbeelddata replaced, idempotent --------------------------------------------------------------

def test_a_real_import_removes_all_voorbeelddata(with_sample: Path):
    before = _vt(with_sample)
    assert before["is_sample"].all() and len(before) == len(fixture_store.vt_reports())
    others = {name: store.read_table(name, with_sample) for name in ("observations", "population", "kpi_realisations")}
    report = ingest_file(MELDER, with_sample)
    after = _vt(with_sample)
    assert not after["is_sample"].any()
    assert len(after) == report.rows["vt_reports"]
    assert any("voorbeelddata verwijderd" in note for note in report.notes)
    sources = store.read_frame("sources", with_sample).set_index("source_id")
    assert voorbeelddata.SAMPLE_VT_SOURCE_ID not in sources.index  # no rows refer to it any more
    assert "gm-2022" in sources.index  # still used by observations
    for name, table in others.items():  # other tables are untouched
        assert store.read_table(name, with_sample).equals(table), name


def test_reimport_changes_nothing(with_sample: Path):
    ingest_file(CATEGORIE, with_sample)
    ingest_file(MELDER, with_sample)
    before = snapshot(with_sample)
    for path in (CATEGORIE, MELDER):
        report = ingest_file(path, with_sample)
        assert not report.changed
    assert snapshot(with_sample) == before


def test_a_new_edition_replaces_the_rows_of_the_old_one(tmp_path: Path, tmp_datasets: Path):
    ingest_file(CATEGORIE, tmp_datasets)
    lines = CATEGORIE.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if "GM0183" not in line]  # the new edition lacks Tubbergen
    edition = tmp_path / CATEGORIE.name
    edition.write_text("\n".join(kept) + "\n", encoding="utf-8")
    shutil.copy(_meta(CATEGORIE, DIM_51), _meta(edition, DIM_51))
    ingest_file(edition, tmp_datasets)
    assert "GM0183" not in set(_vt(tmp_datasets)["region_code"])


# --- bad input ---------------------------------------------------------------------------------------

# (file, row, column, Dutch phrase)
BAD_CASES = [
    ("84851NED_onbekende-sleutel.csv", 4, DIM_51, "onbekende sleutel 'VT-X99'"),
    ("84851NED_onbekende-meetwaarde.csv", 1, "AantalSlachtoffers_6", "onbekende meetwaarde 'AantalSlachtoffers'"),
    ("84851NED_geen-geheel-aantal.csv", 3, "OntvangenMeldingen_2", "'370,5' is geen geheel aantal"),
    ("84851NED_negatief-aantal.csv", 3, "GestarteAdviezen_1", "negatief aantal -5"),
    ("84851NED_kwartaal.csv", 3, "Perioden", "'2024KW03' is geen halfjaar"),
    ("84851NED_zonder-dimensie.csv", 1, DIM_51, f"kolom '{DIM_51}' ontbreekt"),
]


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda case: case[0])
def test_bad_input_is_refused_and_changes_nothing(case, with_sample: Path):
    name, row, column, phrase = case
    path = BAD / name
    before = snapshot(with_sample)
    with pytest.raises(IngestError) as info:
        ingest_file(path, with_sample)
    message = str(info.value)
    assert message.startswith(f"Fout in bestand {name}, rij {row}, kolom '{column}': ")
    assert phrase in message
    assert snapshot(with_sample) == before
    assert not list(with_sample.glob(f"{store.TMP_PREFIX}*"))


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda case: case[0])
def test_bad_input_via_the_command_line(case, with_sample: Path):
    name, row, column, phrase = case
    before = snapshot(with_sample)
    result = subprocess.run([sys.executable, "-m", "monitor", "ingest", str(BAD / name),
                             "--dataset-dir", str(with_sample)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 2
    assert f"bestand {name}, rij {row}, kolom '{column}'" in result.stderr and phrase in result.stderr
    assert "Er is niets gewijzigd." in result.stderr
    assert snapshot(with_sample) == before


# --- validation of the table itself ------------------------------------------------------------------

def _batch(**row) -> Batch:
    base = {"region_code": "GM0153", "period": "2024H1", "kind": "melding", "breakdown": "melder",
            "category": "politie", "count": 12, "is_sample": False, "source_id": "test",
            "_row": 2, "_column": "x"}
    base.update(row)
    return Batch(source={"source_id": "test"}, frames={"vt_reports": pd.DataFrame([base])})


@pytest.mark.parametrize("row, phrase", [
    ({"period": "2024"}, "geen halfjaar"),
    ({"region_code": "PV_OVERIJSSEL"}, "PV_OVERIJSSEL"),
    ({"kind": "melding_x"}, "onbekende soort"),
    ({"kind": "onderzoek"}, "indeling 'melder' bestaat niet voor 'onderzoek'"),
    ({"category": "kindermishandeling"}, "onbekende categorie 'kindermishandeling'"),
    ({"count": -1}, "geen geheel getal"),
    ({"count": 2.5}, "geen geheel getal"),
])
def test_validation(row, phrase, tmp_datasets: Path):
    ctx = Context(path=Path("x.csv"), dataset_dir=tmp_datasets, retrieved=date(2026, 1, 1), checksum="x")
    with pytest.raises(IngestError, match=phrase):
        validate_batch(_batch(**row), ctx)
    validate_batch(_batch(count=None), ctx)  # missing is allowed


def test_nullable_count_round_trips_as_null():
    frame = _batch(count=None).frames["vt_reports"]
    table = store.to_table("vt_reports", frame.drop(columns=["_row", "_column"]))
    assert table.column("count").null_count == 1


def test_readme_documents_every_column():
    text = (REPO / "datasets" / "README.md").read_text(encoding="utf-8")
    section = text.split("## vt_reports\n", 1)[1].split("\n## ", 1)[0]
    documented = {line.split("|")[1].strip(): line.split("|")[3].strip()
                  for line in section.splitlines() if line.startswith("| ") and not line.startswith("| column")}
    for column in store.empty_table("vt_reports").schema.names:
        assert documented.get(column), f"vt_reports.{column} heeft geen betekenis in datasets/README.md"


# --- the whole country: CBS's protected figures for every region, raw counts for Twente's scope ----------

_HEADER_51 = ("ID;KenmerkenAdviezenMeldingenDiensten;RegioS;Perioden;GestarteAdviezen_1;OntvangenMeldingen_2;"
              "CasussenMetOntvangenMeldingEn_3;AfgerondeDienstenOnderzoek_4;AfgerondeDienstenVoorwaardenEnVerv_5;"
              "GestarteAdviezen_6;OntvangenMeldingen_7;CasussenMetOntvangenMeldingEn_8;AfgerondeDienstenOnderzoek_9;"
              "AfgerondeDienstenVoorwaardenEnVerv_10")
_NATIONAL = {"Almelo": "GM0141", "Amsterdam": "GM0363", "Groningen (VT)": "VT08", "Twente (VT)": TWENTE,
             "Nederland": "NL01"}


def _national_file(tmp_path: Path, amsterdam: str) -> Path:
    lines = [_HEADER_51]
    for i, title in enumerate(_NATIONAL):
        advies = amsterdam if title == "Amsterdam" else "235.0"
        lines.append(f"{i};Totaal;{title};1e halfjaar 2023;{advies};300.0;250.0;20.0;25.0;316.0;400.0;330.0;27.0;33.0")
    path = tmp_path / "84851NED_cbsodata_landelijk.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _national_regions(directory: Path) -> None:
    """A regions table as the build writes it from 85385NED, cut to the regions of ``_NATIONAL``:
    the monitor's own regions and Amsterdam and the Veilig Thuis-regio Groningen beside them."""
    from monitor.domain.regions import REGION_ROWS

    rows = [{"region_code": code, "name": name, "level": level, "parent_code": parent}
            for code, name, level, parent in REGION_ROWS]
    rows += [{"region_code": "GM0363", "name": "Amsterdam", "level": "gemeente", "parent_code": "GG3406"},
             {"region_code": "VT08", "name": "Groningen", "level": "vt_regio", "parent_code": "PV20"}]
    store.write_tables({"regions": store.to_table("regions", pd.DataFrame(rows))}, directory)


def test_cbs_protected_figures_keep_every_region_of_the_file(tmp_path: Path, tmp_datasets: Path):
    _national_regions(tmp_datasets)
    ingest_file(_national_file(tmp_path, "2550.0"), tmp_datasets)
    frame = _vt(tmp_datasets)
    assert set(frame["region_code"]) == set(_NATIONAL.values())
    assert (frame["protected_by"] == "CBS").all()
    assert _count(frame, "GM0363", "2023H1", "advies", "totaal") == 2550
    assert _count(frame, "VT08", "2023H1", "melding", "totaal") == 300
    kinds = frame.drop_duplicates("region_code").set_index("region_code")["region_kind"].to_dict()
    assert kinds["VT08"] == "vt_regio" and kinds["GM0363"] == "gemeente" and kinds[TWENTE] == "vt_regio"


def test_raw_counts_stay_on_the_regions_the_monitors_protection_is_built_for(tmp_path: Path, tmp_datasets: Path):
    _national_regions(tmp_datasets)
    report = ingest_file(_national_file(tmp_path, "2553.0"), tmp_datasets)  # not CBS's rounding: raw counts
    frame = _vt(tmp_datasets)
    assert frame["protected_by"].isna().all()
    assert set(frame["region_code"]) == {"GM0141", TWENTE, "NL01"}
    notes = "\n".join(report.notes)
    assert "Ruwe aantallen alleen voor de Twentse gemeenten, Twente en Nederland: 2 andere regio('s)" in notes
    assert "Amsterdam" in notes and "Groningen (VT)" in notes
