"""The importer refuses every bad file with a clear Dutch message.

Each file below was accepted (exit 0, data changed) or ended in a Python traceback, or gave
a poor message. Required of every refusal: exit 2, a Dutch message naming the file (and row
and column where a cell is at fault) with at most a handful of examples and a count, "er is
niets gewijzigd", and the dataset folder byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.__main__ import main as cli
from tests.faults.faults import REPO, copy_datasets
from tests.helpers import snapshot

HEADER = "indicator_id;region;period;subgroup;value;ci_low;ci_high;status"
VT = REPO / "tests" / "data" / "veilig-thuis" / "84851NED_TypedDataSet_twente.csv"
VT_KEYS = REPO / "tests" / "data" / "veilig-thuis" / "84851NED_TypedDataSet_twente.KenmerkenAdviezenMeldingenDiensten.csv"
OPENDATA = REPO / "tests" / "data" / "opendata" / "50052NED_TypedDataSet_twente.csv"


def _template(rows: list[str], header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _vt_with(tmp: Path, column: int, value: str) -> Path:
    lines = VT.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[2].split(";")
    cells[column] = value
    path = tmp / "84851NED_groot.csv"
    path.write_text("\n".join([lines[0], ";".join(cells)]) + "\n", encoding="utf-8")
    (tmp / "84851NED_groot.KenmerkenAdviezenMeldingenDiensten.csv").write_bytes(VT_KEYS.read_bytes())
    return path


def _opendata_with(tmp: Path, value: str) -> Path:
    lines = OPENDATA.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    cells[5] = value
    path = tmp / "50052NED_groot.csv"
    path.write_text("\n".join([lines[0], ";".join(cells)]) + "\n", encoding="utf-8")
    return path


def _nested_geojson(depth: int, where: str) -> str:
    if where == "document":
        return '{"type": "FeatureCollection", "features": [' + "[" * depth + "]" * depth + "]}"
    coordinates = "[" * depth + "6.9, 52.2" + "]" * depth
    return ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"statcode": "GM0153", '
            '"statnaam": "Enschede"}, "geometry": {"type": "Polygon", "coordinates": ' + coordinates + "}}]}")


def _register_nested(depth: int) -> str:
    return ('[register]\ntitle = "x"\npublisher = "x"\nlicence = "intern"\npeildatum = 2025-01-01\n'
            'source_id = "diep"\n\n[[project]]\nid = "p"\nname = "P"\nnest = ' + "[" * depth + "]" * depth + "\n")


# (name, file name, content or a builder, words the message must contain, needs row, needs column)
CASES = [
    ("dubbele-kolom", "dubbel.csv", _template(["overgewicht;Almelo;2024;;51,5;;;"],
                                              HEADER + ";value"), ["twee keer", "value"], True, True),
    ("dubbele-regiokolom", "dubbel-regio.csv",
     _template(["overgewicht;Almelo;2024;;51,5;;;;Borne"], HEADER + ";Region"), ["twee keer", "Region"], True, True),
    ("oneindig", "oneindig.csv", _template(["overgewicht;Almelo;2024;;1e400;;;"]), ["te groot"], True, True),
    ("400-negens", "negens.csv", _template(["overgewicht;Almelo;2024;;" + "9" * 400 + ";;;"]),
     ["te groot"], True, True),
    ("oneindig-ci", "oneindig-ci.csv", _template(["overgewicht;Almelo;2024;;51,5;40;1e400;"]),
     ["te groot"], True, True),
    ("toekomst", "toekomst.csv", _template(["overgewicht;Almelo;2031;;51,5;;;"]), ["toekomst"], True, True),
    ("toekomst-kwartaal", "toekomst-q.csv", _template(["overgewicht;Almelo;2030Q1;;51,5;;;"]),
     ["toekomst"], True, True),
    ("formule-is", "formule.csv", _template(["overgewicht;Almelo;2024;=1+1;51,5;;;"]), ["formule"], True, True),
    ("formule-plus", "formule-plus.csv", _template(["overgewicht;Almelo;2024;+cmd|' /C calc'!A0;51,5;;;"]),
     ["formule"], True, True),
    ("formule-min", "formule-min.csv", _template(["overgewicht;Almelo;2024;-2+3;51,5;;;"]), ["formule"], True, True),
    ("formule-apenstaart", "formule-at.csv", _template(["overgewicht;Almelo;2024;@SUM(A1);51,5;;;"]),
     ["formule"], True, True),
    ("geojson-diep", "diep.geojson", _nested_geojson(100_000, "document"), ["genest"], False, False),
    ("geojson-coordinaten-diep", "coordinaten.geojson", _nested_geojson(5_000, "coordinates"), ["genest"],
     False, False),
    ("toml-diep", "diep.toml", _register_nested(50_000), ["genest"], False, False),
    ("utf-16", "utf16.csv", _template(["overgewicht;Almelo;2024;;51,5;;;"]).encode("utf-16"), ["UTF-16", "UTF-8"],
     False, False),
    ("open-aanhalingsteken", "aanhalingsteken.csv",
     _template(["overgewicht;Almelo;2024;\"totaal;51,5;;;", "overgewicht;Borne;2024;;50;;;"]),
     ["aanhalingsteken"], True, False),
    ("lange-id", "lange-id.csv", _template(["x" * 2_000_000 + ";Almelo;2024;;51,5;;;"]), ["onbekende indicator"],
     True, True),
]


def _refuse(tmp_path: Path, capsys, path: Path) -> str:
    folder = copy_datasets(tmp_path / "datasets")
    before = snapshot(folder)
    code = cli(["ingest", str(path), "--dataset-dir", str(folder), "--peildatum", "2025-01-01"])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert snapshot(folder) == before
    message = captured.err
    assert "Traceback" not in message
    assert "Er is niets gewijzigd" in message
    assert path.name in message
    assert len(message) < 2_000, f"{len(message)} tekens"
    return message


@pytest.mark.parametrize(("name", "file", "content", "words", "row", "column"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_with_a_dutch_message(tmp_path, capsys, name, file, content, words, row, column):
    path = _write(tmp_path, file, content)
    message = _refuse(tmp_path, capsys, path)
    for word in words:
        assert word in message, message
    if row:
        assert "rij " in message, message
    if column:
        assert "kolom " in message, message


def test_an_open_data_count_too_large_for_a_count(tmp_path, capsys):
    """99999999999999999999999 as a Veilig Thuis count was a TypeError traceback."""
    message = _refuse(tmp_path, capsys, _vt_with(tmp_path, 4, "99999999999999999999999"))
    assert "te groot" in message and "rij 2" in message


def test_an_open_data_figure_of_infinity(tmp_path, capsys):
    message = _refuse(tmp_path, capsys, _opendata_with(tmp_path, "1e400"))
    # (the open-data format words it as "geen getal"; common.parse_number refuses it)
    assert "te groot" in message or "geen getal" in message
    assert "rij 2" in message and "Overgewicht_59" in message


def test_a_million_duplicate_keys_give_a_short_message(tmp_path, capsys):
    rows = ["overgewicht;Almelo;2024;;51,5;;;"] * 100_000
    message = _refuse(tmp_path, capsys, _write(tmp_path, "dubbel-heel-vaak.csv", _template(rows)))
    assert "dubbele sleutel" in message
    assert "meer" in message  # a count instead of every row


@pytest.mark.parametrize("value", ["=1+1", "+31 6 1234", "@x", "-x", "\\t=1"])
def test_formula_text_in_the_register_is_refused(tmp_path, capsys, value):
    """The real register, one project's name changed: refused, with the project's line."""
    text = (REPO / "sources" / "twentse-koers-jaarplan-2025.toml").read_text(encoding="utf-8")
    first = text.index('\nname = "') + len('\nname = "')
    text = text[:first] + value + text[text.index('"', first):]
    message = _refuse(tmp_path, capsys, _write(tmp_path, "twentse-koers-jaarplan-2025.toml", text))
    assert "formule" in message and "rij " in message


def test_numbers_that_look_like_formulas_are_still_numbers(tmp_path, capsys):
    """A negative figure is not a formula: only text is refused."""
    folder = copy_datasets(tmp_path / "datasets")
    path = _write(tmp_path, "negatief.csv", _template(["overgewicht;Almelo;2024;totaal;51,5;;;"]))
    assert cli(["ingest", str(path), "--dataset-dir", str(folder)]) == 0
