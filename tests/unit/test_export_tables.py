"""Table downloads: CSV as Dutch Excel opens it, and XLSX with real numbers and dates."""

from __future__ import annotations

import io
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd

from monitor.export.tables import to_dutch_csv, to_xlsx

FOOTER = ["Bron: Jaarplan Twentse Koers 2025 · peildatum 1 januari 2025",
          "Voorbeelddata: de realisaties zijn gegenereerd, geen echte metingen"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Project": ["Kinderarmoede", "Welzijn op recept; pilot", "Valpreventie"],
        "Waarde": [1234.5, 0.25, np.nan],
        "Aantal": [5400, 12, 0],
        "Sinds": [date(2025, 1, 1), date(2025, 5, 1), None],
        "Vastgelegd": pd.to_datetime(["2025-04-14 09:00", "2025-07-14 09:30", "2025-10-14 10:00"],
                                     utc=True),
        "Speerpunten": [["Aanpak A", "Aanpak B"], [], ["Alleen C"]],
        "Voorbeelddata": [True, False, True],
    })


def test_csv_format_for_dutch_excel():
    data = to_dutch_csv(_frame(), footer_lines=FOOTER)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    lines = text.split("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert lines[0] == "Project;Waarde;Aantal;Sinds;Vastgelegd;Speerpunten;Voorbeelddata"
    assert lines[1] == ('Kinderarmoede;1234,5;5400;01-01-2025;14-04-2025 11:00;'
                        '"Aanpak A; Aanpak B";ja')
    assert lines[2].startswith('"Welzijn op recept; pilot";0,25;12;01-05-2025;14-07-2025 11:30;;nee')
    assert lines[3] == "Valpreventie;;0;;14-10-2025 12:00;Alleen C;ja"
    assert lines[4] == ""
    assert lines[5:7] == FOOTER
    assert text.endswith("\r\n")


def test_csv_reads_back_with_the_same_numbers():
    frame = _frame()
    data = to_dutch_csv(frame, footer_lines=FOOTER)
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig",
                       nrows=len(frame))
    assert list(back.columns) == list(frame.columns)
    assert back["Waarde"].tolist()[:2] == [1234.5, 0.25]
    assert pd.isna(back["Waarde"].iloc[2])
    assert back["Aantal"].tolist() == [5400, 12, 0]
    assert back["Project"].tolist() == frame["Project"].tolist()
    assert back["Speerpunten"].iloc[0] == "Aanpak A; Aanpak B"


def test_csv_without_footer_has_no_trailing_rows():
    data = to_dutch_csv(pd.DataFrame({"a": [1.5]}))
    assert data == b"\xef\xbb\xbfa\r\n1,5\r\n"


def _open(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_xlsx_numbers_dates_header_footer():
    frame = _frame()
    sheet = _open(to_xlsx(frame, sheet_name="Projecten", footer_lines=FOOTER))
    assert sheet.title == "Projecten"
    header = [cell.value for cell in sheet[1]]
    assert header == list(frame.columns)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"

    assert sheet["B2"].value == 1234.5 and isinstance(sheet["B2"].value, float)
    assert sheet["B2"].number_format == "#,##0.00"
    assert sheet["B4"].value is None  # missing stays missing
    assert sheet["C2"].value == 5400 and isinstance(sheet["C2"].value, int)
    assert sheet["C2"].number_format == "#,##0"
    assert sheet["D2"].value == datetime(2025, 1, 1)
    assert sheet["D2"].number_format == "dd-mm-yyyy"
    assert sheet["E2"].value == datetime(2025, 4, 14, 11, 0)  # Dutch time
    assert sheet["E2"].number_format == "dd-mm-yyyy hh:mm"
    assert sheet["F2"].value == "Aanpak A; Aanpak B"
    assert sheet["G2"].value == "ja"

    assert sheet["A5"].value is None
    assert sheet["A6"].value == FOOTER[0]
    assert sheet["A7"].value == FOOTER[1]
    assert sheet.column_dimensions["A"].width >= len("Welzijn op recept; pilot")


def test_xlsx_with_title():
    sheet = _open(to_xlsx(pd.DataFrame({"Fase": ["Ontwerp"], "Aantal": [3]}),
                          title="Projecten per fase", sheet_name="Fasen: 2025/2026"))
    assert sheet.title == "Fasen  2025 2026"
    assert sheet["A1"].value == "Projecten per fase" and sheet["A1"].font.bold
    assert sheet["A3"].value == "Fase" and sheet["A3"].font.bold
    assert sheet["B4"].value == 3
    assert sheet.freeze_panes == "A4"
