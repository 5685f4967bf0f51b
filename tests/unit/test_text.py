from datetime import date

import pytest

from monitor.domain import text


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (0, 0, "0"),
    (999, 0, "999"),
    (1000, 0, "1.000"),
    (55400, 0, "55.400"),
    (18044027, 0, "18.044.027"),
    (18.45, 1, "18,4"),  # float 18.45 is 18.4499…: standard rounding of the binary value
    (18.46, 1, "18,5"),
    (-0.5, 1, "-0,5"),
    (1234.5678, 2, "1.234,57"),
    (float("nan"), 1, "–"),
    (None, 1, "–"),
])
def test_format_number_dutch(value, decimals, expected):
    assert text.format_number(value, decimals) == expected


def test_format_value_units():
    assert text.format_value(49.4, "%") == "49,4%"
    assert text.format_value(55400, "aantal") == "55.400"
    assert text.format_value(11.6, "uren per week") == "11,6 uren per week"
    assert text.format_value(None, "%") == "–"


def test_dates():
    assert text.format_date(date(2025, 12, 31)) == "31 december 2025"
    assert text.format_short_date(date(2025, 1, 1)) == "01-01-2025"
    assert text.format_date(None) == "–"


def test_source_line_marks_sample():
    real = text.source_line("CBS 85012NED", date(2020, 12, 31))
    sample = text.source_line("Gegenereerd", date(2026, 11, 1), is_sample=True)
    assert "Voorbeelddata" not in real and "31 december 2020" in real
    assert sample.startswith("Voorbeelddata")


def test_labels():
    assert text.direction_label("lower_is_better") == "lager is beter"
    assert text.themalijn_label("preventie-en-gezondheid") == "Preventie & gezondheid"
    assert text.themalijn_label(None) == "–"
