"""Bad input: every file is refused with a Dutch message naming file, row and column, and the
dataset folder stays exactly as it was (byte for byte, no temporary files left behind).

The fixtures are small handmade files in tests/data/bad/; the two .xlsx cases are generated
here with openpyxl (one missing a column, one cut off halfway).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from monitor.data import store
from monitor.data.errors import IngestError
from monitor.ingest import ingest_file
from tests.helpers import snapshot

REPO = Path(__file__).resolve().parent.parent.parent
BAD = REPO / "tests" / "data" / "bad"
GOOD = REPO / "tests" / "data" / "template" / "goed-sjabloon.csv"


def _xlsx_missing_column(directory: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["indicator_id", "region", "period", "waarde"])
    sheet.append(["overgewicht", "Almelo", 2024, 52.3])
    path = directory / "ontbrekende-kolom.xlsx"
    workbook.save(path)
    return path


def _xlsx_truncated(directory: Path) -> Path:
    whole = _xlsx_missing_column(directory).read_bytes()
    path = directory / "afgebroken.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


# (file or generator, row, column, Dutch phrase); row/column None where they do not apply.
CASES = [
    ("onbekende-regio.csv", 3, "region", "onbekende regio 'Amsterdam'"),
    ("geen-getal.csv", 2, "value", "'veel' is geen getal"),
    ("percentage-buiten-bereik.csv", 3, "value", "percentage 120 ligt buiten 0–100"),
    ("negatief-aantal.csv", 2, "value", "negatieve waarde -5 is niet mogelijk"),
    ("dubbele-sleutel.csv", 4, None, "dubbele sleutel"),
    ("ontbrekende-kolom.csv", 1, "period", "kolom 'period' ontbreekt"),
    ("onbekende-periode.csv", 3, "period", "onbekende periodecode '2024KW05'"),
    ("verkeerde-codering.csv", 3, None, "niet in UTF-8 opgeslagen"),
    ("leeg.csv", None, None, "het bestand is leeg"),
    ("alleen-witruimte.csv", None, None, "het bestand is leeg"),
    ("onbekend-formaat.json", None, None, "onbekend formaat"),
    ("onbekende-indicator.csv", 3, "indicator_id", "onbekende indicator 'geluksindex'"),
    ("waarde-buiten-interval.csv", 2, "value", "ligt niet binnen het betrouwbaarheidsinterval"),
    ("waarde-ontbreekt.csv", 2, "value", "waarde ontbreekt"),
    ("onbekende-status.csv", 2, "status", "onbekende status 'concept'"),
    ("te-veel-cellen.csv", 3, None, "deze rij heeft 10 cellen, de kopregel 8"),
    ("50052NED_onbekende-marges.csv", 3, "Marges", "onbekende Marges-code 'MOG0090'"),
    ("50052NED_onbekende-meetwaarde.csv", 1, "Geluksgevoel_12", "sources/indicatoren.toml"),
    ("50052NED_onbekende-leeftijd.csv", 4, "Leeftijd", "onbekende Leeftijd-code '99999'"),
    ("50052NED_geen-getal.csv", 2, "Overgewicht_59", "'51,3' is geen getal"),
    ("50052NED_onbekende-periode.csv", 2, "Perioden", "onbekende periodecode '2020XX01'"),
    (_xlsx_missing_column, 1, "value", "kolom 'value' ontbreekt"),
    (_xlsx_truncated, None, None, "beschadigd"),
]


def _id(case) -> str:
    source = case[0]
    return source if isinstance(source, str) else source.__name__.lstrip("_")



@pytest.fixture
def dataset(tmp_datasets: Path) -> Path:
    """A dataset folder that already holds a valid dataset: the good template imported, plus
    a count indicator (unit 'aantal') that is only in the datasets, not in the catalogue."""
    ingest_file(GOOD, tmp_datasets)
    indicators = store.read_frame("indicators", tmp_datasets)
    extra = pd.DataFrame([{
        "indicator_id": "meldingen_test", "name": "Meldingen (test)", "themalijn": None, "unit": "aantal",
        "direction": "neutral", "source_id": "handmatig-goed-sjabloon", "description": "Testindicator.",
        "phrase": None, "measurement": "telling",
    }])
    combined = pd.concat([indicators, extra], ignore_index=True)
    store.write_tables({"indicators": store.to_table("indicators", combined)}, tmp_datasets)
    assert snapshot(tmp_datasets)
    return tmp_datasets


def test_at_least_eighteen_cases():
    assert len(CASES) >= 18
    assert all((BAD / case[0]).is_file() for case in CASES if isinstance(case[0], str))


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_bad_input_is_refused_and_changes_nothing(case, dataset: Path, tmp_path: Path):
    source, row, column, phrase = case
    path = BAD / source if isinstance(source, str) else source(tmp_path)
    before = snapshot(dataset)

    with pytest.raises(IngestError) as info:
        ingest_file(path, dataset)

    message = str(info.value)
    assert path.name in message
    assert phrase in message
    if row is not None:
        assert f"rij {row}" in message
        assert info.value.row == row
    if column is not None:
        assert f"kolom '{column}'" in message
    assert snapshot(dataset) == before
    assert not list(dataset.glob(f"{store.TMP_PREFIX}*"))


def test_cli_reports_bad_input_on_stderr_with_exit_status_2(dataset: Path):
    path = BAD / "onbekende-regio.csv"
    before = snapshot(dataset)
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "ingest", str(path), "--dataset-dir", str(dataset)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Fout in bestand onbekende-regio.csv, rij 3, kolom 'region': onbekende regio 'Amsterdam'" in result.stderr
    assert "Er is niets gewijzigd." in result.stderr
    assert result.stdout == ""
    assert snapshot(dataset) == before
    assert not list(dataset.glob(f"{store.TMP_PREFIX}*"))


# --- numbers too large for the data contract, in CBS files -------------------------------------------

_OPENDATA = REPO / "tests" / "data" / "opendata" / "50052NED_TypedDataSet_twente.csv"
_STATLINE = REPO / "tests" / "data" / "cbs" / "70072NED_mini.csv"
_VT = REPO / "tests" / "data" / "veilig-thuis" / "84851NED_TypedDataSet_twente.csv"


def _with_cell(source: Path, target: Path, line: int, column: int, value: str) -> Path:
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[line - 1].split(";")
    cells[column] = value
    lines[line - 1] = ";".join(cells)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("value", ["1e400", "9" * 25])
@pytest.mark.parametrize("source, line, column, name", [
    (_OPENDATA, 2, 5, "Overgewicht_59"),
    (_STATLINE, 2, 2, "Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)"),
    (_VT, 3, 4, "GestarteAdviezen_1"),
], ids=["opendata", "statline", "veilig-thuis"])
def test_a_number_too_large_is_named_as_such(value, source, line, column, name, tmp_path: Path, tmp_datasets: Path):
    if source == _VT and value == "1e400":
        pytest.skip("Veilig Thuis counts are whole numbers: '1e400' is refused as 'geen geheel aantal'")
    path = _with_cell(source, tmp_path / source.name, line, column, value)
    for meta in source.parent.glob(f"{source.stem}.*.csv"):
        (tmp_path / meta.name).write_bytes(meta.read_bytes())
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets)
    message = str(info.value)
    assert message.startswith(f"Fout in bestand {source.name}, rij {line}, kolom '{name}': "), message
    assert f"'{value}' is te groot" in message and "geen getal" not in message
    assert not any(tmp_datasets.iterdir())
