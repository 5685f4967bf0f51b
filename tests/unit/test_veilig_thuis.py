"""Veilig Thuis: labels, protected labels, sentences, the table of what is shown, chart specs.

The rows are shaped like the ``vt_*`` queries over the protected view: ``count`` rounded or
NULL, ``suppression`` NULL / 'klein' / 'afgeschermd'. The checks that matter: a suppressed
cell is never a number (not in a label, not in the chart data, not in the CSV), the words are
neutral and the colours are neither red nor green.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest

from monitor.charts import veilig_thuis as charts
from monitor.domain.periods import period_label
from monitor.domain import vt_labels
from monitor.views import veilig_thuis as vt
from monitor.data.contract import VT_BREAKDOWNS, VT_KINDS
from monitor.export.tables import to_dutch_csv, to_xlsx
from tests.chart_spec import assert_tooltips_are_strings, layers, mark, render_svgs, values
from tests.unit.test_charts_indicators import _assert_no_red_or_green

PEILDATUM = date(2026, 11, 1)
SOURCE = "Voorbeelddata Veilig Thuis (naar CBS 84849NED/84851NED)"
NAMES = {"GG_TWENTE": "Twente (GGD-regio)", "GM0153": "Enschede", "GM0183": "Tubbergen",
         "GM0168": "Losser", "NL01": "Nederland"}
INHABITANTS = {"GG_TWENTE": 643603, "GM0153": 162317, "GM0183": 21507, "GM0168": 23469,
               "NL01": 18044027}


# The headers a download carries, as a reader of the file sees them.
VT_EXPORT_HEADERS = ["Regio", "Halfjaar", "Soort", "Uitsplitsing", "Categorie", "Aantal", "Per 1.000 inwoners",
                      "Afscherming", "Inwoners", "Inwoners (jaar)", "Voorbeelddata", "Bron", "Peildatum"]


def _row(code, period, kind="melding", breakdown="totaal", category="totaal", count=None,
         suppression=None, sample=True) -> dict:
    inhabitants = INHABITANTS[code]
    return {
        "region_code": code, "region_name": NAMES[code], "period": period, "kind": kind,
        "breakdown": breakdown, "category": category,
        "count": count, "suppression": suppression, "min_count": 10,
        "inhabitants": inhabitants, "population_year": 2025,
        "per_1000": None if count is None else count / inhabitants * 1000,
        "is_sample": sample, "source_id": "tk-voorbeelddata-veilig-thuis",
        "source_title": SOURCE, "source_publisher": "Twentse Koers", "source_peildatum": PEILDATUM,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["count"] = frame["count"].astype("Int64")
    frame["per_1000"] = frame["per_1000"].astype("float64")
    return frame


def trend_rows() -> pd.DataFrame:
    rows = []
    for period, twente, tubbergen, suppression in (
            ("2025H1", 2400, 25, None), ("2025H2", 2310, None, "klein"),
            ("2026H1", 2455, None, "afgeschermd")):
        rows.append(_row("GG_TWENTE", period, count=twente))
        rows.append(_row("GM0183", period, count=tubbergen, suppression=suppression))
    return _frame(rows)


def gemeenten_rows(with_nl: bool = False) -> pd.DataFrame:
    rows = [_row("GG_TWENTE", "2026H1", count=2455), _row("GM0153", "2026H1", count=745),
            _row("GM0168", "2026H1", count=45), _row("GM0183", "2026H1", suppression="klein")]
    if with_nl:
        rows.append(_row("NL01", "2026H1", count=65000, sample=False))
    return _frame(rows)


def breakdown_rows() -> pd.DataFrame:
    counts = {"kindermishandeling": 20, "partnergeweld": 15, "ouderenmishandeling": None,
              "overig_huiselijk_geweld": None, "anders_onbekend": None}
    marks = {"ouderenmishandeling": "klein", "overig_huiselijk_geweld": "afgeschermd",
             "anders_onbekend": "klein"}
    rows = [_row("GM0183", "2026H1", count=45)]
    for category, count in counts.items():
        rows.append(_row("GM0183", "2026H1", breakdown="categorie", category=category, count=count,
                         suppression=marks.get(category)))
    for category, count in zip(VT_BREAKDOWNS["melder"], (30, None, None, None, None)):
        rows.append(_row("GM0183", "2026H1", breakdown="melder", category=category, count=count,
                         suppression=None if count else "klein"))
    return _frame(rows)


# --- labels and options -------------------------------------------------------------------

def test_labels_are_the_designs_words():
    assert vt_labels.KIND_LABELS == {"advies": "Adviezen", "melding": "Meldingen", "casus": "Casussen (gestart)",
                              "onderzoek": "Onderzoeken (afgerond)",
                              "overdracht": "Overdrachten (afgerond)"}
    assert [vt_labels.category_label(c) for c in VT_BREAKDOWNS["categorie"]] == [
        "Kindermishandeling", "Partnergeweld", "Ouderenmishandeling", "Overig huiselijk geweld",
        "Anders of onbekend"]
    assert [vt_labels.category_label(c) for c in VT_BREAKDOWNS["melder"]] == [
        "Politie en justitie", "Onderwijs", "Huisarts en zorg", "Burger of omgeving",
        "Overige melders"]
    assert vt_labels.breakdown_label("categorie") == "Aard van het geweld"
    assert vt_labels.breakdown_label("melder") == "Soort melder"
    assert vt_labels.measure_label("per_1000") == "Per 1.000 inwoners"
    assert set(vt.KIND_OPTIONS) == set(VT_KINDS)


def test_options():
    assert vt.REGION_OPTIONS[0] == "GG_TWENTE" and len(vt.REGION_OPTIONS) == 15
    assert [vt_labels.region_label(c) for c in vt.REGION_OPTIONS[:3]] == ["Twente", "Almelo", "Borne"]
    assert vt.halfjaar_options(["2019H1", "2026H1", "2019H2"]) == ["2026H1", "2019H2", "2019H1"]
    assert vt_labels.breakdowns_for("advies") == ("categorie", "melder")
    assert vt_labels.breakdowns_for("overdracht") == ("categorie",)
    assert vt.trend_region_codes("GM0183") == ["GG_TWENTE", "GM0183"]
    assert period_label("2019H1") == "1e halfjaar 2019"


# --- protected labels ---------------------------------------------------------------------

@pytest.mark.parametrize(("count", "suppression", "min_count", "expected"), [
    (1235, None, 10, "1.235"),
    (10, None, 10, "10"),
    (None, "klein", 10, "<10"),
    (None, "klein", 20, "<20"),
    (None, "afgeschermd", 10, "x"),
    (25, "afgeschermd", 10, "x"),   # a mark wins over any number that came along
    (7, None, 10, "<10"),           # belt and braces: never a small number
    (0, None, 10, "<10"),
    (None, None, 10, "x"),          # no count and no mark: hidden, not empty
    (pd.NA, None, 10, "x"),
    (float("nan"), None, 10, "x"),
])
def test_count_label(count, suppression, min_count, expected):
    assert vt_labels.count_label(count, suppression, min_count) == expected


def test_per_1000_label_follows_the_count():
    assert vt_labels.per_1000_label(4.5912, 745, None) == "4,6"
    assert vt_labels.per_1000_label(None, None, "klein") == "<10"
    assert vt_labels.per_1000_label(None, None, "afgeschermd") == "x"
    assert vt_labels.per_1000_label(0.3, 7, None) == "<10"
    assert vt_labels.per_1000_label(0.5, 10, "afgeschermd") == "x"


def test_shown_value_is_none_for_every_suppressed_cell():
    rows = breakdown_rows()
    for _, row in rows.iterrows():
        value = vt_labels.shown_value(row, "aantal")
        if pd.notna(row["suppression"]):
            assert value is None
        else:
            assert value == float(row["count"])
    assert vt_labels.shown_value(pd.Series({"count": 7, "per_1000": 0.3, "suppression": None}), "per_1000") is None


def test_protection_from_the_status_query():
    status = pd.DataFrame({"min_count": [20], "rounding": [10], "error": ["Het bestand kan niet worden gelezen"],
                           "rows": [0]})
    assert vt_labels.protection(status) == (20, 10, "Het bestand kan niet worden gelezen")
    assert vt_labels.protection(status.assign(error=[None])) == (20, 10, None)
    assert vt_labels.protection(None) == (10, 5, None)
    assert vt.suppression_note(None) == "" and vt.suppression_note(float("nan")) == ""
    assert vt.suppression_note("klein").startswith("<10: minder dan 10")
    assert vt.suppression_note("afgeschermd").startswith("x: afgeschermd")


def test_min_count_from_the_view():
    assert vt_labels.min_count_of(trend_rows()) == 10
    assert vt_labels.min_count_of(trend_rows().assign(min_count=20)) == 20
    assert vt_labels.min_count_of(pd.DataFrame()) == vt_labels.DEFAULT_MIN_COUNT


# --- text -------------------------------------------------------------------------------

def test_explanation_says_protected_and_neutral():
    text = vt.privacy_text(10, 5)
    assert "veelvouden van 5" in text and "<10" in text and "**x**" in text
    assert "neutraal" in vt.NEUTRAL_TEXT and "beter worden gesignaleerd" in vt.NEUTRAL_TEXT
    assert "Veilig Thuis" in vt.INTRO
    assert "Jaartotalen" in vt.method_text(10, 5)
    assert vt.privacy_line(10, 5).startswith("Afscherming: aantallen afgerond op veelvouden van 5")


JUDGEMENT = re.compile(r"\b(slechter|gunstig|ongunstig|zorgelijk|goed nieuws|verslechter|verbeter)",
                       re.IGNORECASE)


def test_sentences_are_neutral_and_never_show_a_hidden_number():
    trend = vt_labels.trend_sentence(trend_rows(), "aantal", "melding")
    assert trend.startswith("Meldingen per halfjaar.")
    assert "Twente 2.455 (1e halfjaar 2026)" in trend
    assert "Tubbergen x (1e halfjaar 2026)" in trend
    assert "niet als getal getoond in 2 van de 3 halfjaren" in trend
    ranking = vt_labels.ranking_sentence(gemeenten_rows(), "melding", "2026H1")
    assert "hoogst in Enschede (4,6)" in ranking and "laagst in Losser (1,9)" in ranking
    assert "Twente: 3,8." in ranking and "Nederland" not in ranking
    assert "Niet als getal getoond: Tubbergen: <10." in ranking
    assert "Nederland: 3,6" in vt_labels.ranking_sentence(gemeenten_rows(with_nl=True), "melding", "2026H1")
    breakdown = vt_labels.breakdown_sentence(breakdown_rows(), "categorie", "aantal", "Tubbergen", "2026H1")
    assert breakdown == ("Aard van het geweld, Tubbergen, 1e halfjaar 2026: Kindermishandeling: 20; "
                         "Partnergeweld: 15; Ouderenmishandeling: <10; Overig huiselijk geweld: x; "
                         "Anders of onbekend: <10.")
    for text in (trend, ranking, breakdown, vt.NEUTRAL_TEXT, vt.INTRO, vt.method_text()):
        assert not JUDGEMENT.search(text), text


def test_selection_text_names_what_is_shown():
    assert vt.selection_text("advies", "GG_TWENTE", "2025H2") == (
        "Veilig Thuis · Adviezen · trend: Twente, alle halfjaren · gemeenten vergeleken en "
        "uitsplitsing Twente: 2e halfjaar 2025")


# --- the table ----------------------------------------------------------------------------

def _shown() -> pd.DataFrame:
    return vt.shown_rows(trend_rows(), gemeenten_rows(), breakdown_rows())


def test_shown_rows_once_each_in_reading_order():
    rows = _shown()
    keys = list(zip(rows["region_code"], rows["period"], rows["kind"], rows["breakdown"],
                    rows["category"]))
    assert len(keys) == len(set(keys))
    assert rows["region_code"].iloc[0] == "GG_TWENTE"
    gemeenten = list(dict.fromkeys(c for c in rows["region_code"] if c != "GG_TWENTE"))
    assert gemeenten == ["GM0153", "GM0168", "GM0183"]  # Enschede, Losser, Tubbergen
    tubbergen = rows[(rows["region_code"] == "GM0183") & (rows["period"] == "2026H1")]
    assert tubbergen["breakdown"].tolist()[:2] == ["totaal", "categorie"]


def test_table_frame_protected_cells_are_text_with_an_explanation():
    table = vt.table_frame(_shown())
    assert list(table.columns) == VT_EXPORT_HEADERS
    for _, row in table.iterrows():
        count = row["Aantal"]
        if isinstance(count, str):
            assert count in ("<10", "x")
            assert pd.isna(row["Per 1.000 inwoners"])
            assert row["Afscherming"].startswith(count + ":")
        else:
            assert isinstance(count, int) and count >= 10 and count % 5 == 0
            assert row["Afscherming"] == ""
    tubbergen = table[(table["Regio"] == "Tubbergen") & (table["Halfjaar"] == "2026H1")]
    assert tubbergen.loc[tubbergen["Categorie"] == "Ouderenmishandeling", "Aantal"].item() == "<10"
    assert tubbergen.loc[tubbergen["Categorie"] == "Overig huiselijk geweld", "Aantal"].item() == "x"
    assert set(table["Regio"]) == {"Twente", "Enschede", "Losser", "Tubbergen"}
    assert table["Voorbeelddata"].all()
    enschede = table[table["Regio"] == "Enschede"].iloc[0]
    assert enschede["Per 1.000 inwoners"] == 4.59 and enschede["Inwoners"] == 162317


def test_table_frame_explains_a_cell_cbs_left_empty_as_cbs_mark():
    """A cell CBS did not publish is '.', explained as CBS's mark, not as the monitor's 'x'."""
    table = vt.table_frame(_frame([_row("GG_TWENTE", "2024H1", count=2180, sample=False),
                                   _row("GM0183", "2024H1", count=None, suppression="bron", sample=False)]))
    tubbergen = table[table["Regio"] == "Tubbergen"].iloc[0]
    assert tubbergen["Aantal"] == "."
    assert tubbergen["Afscherming"].startswith(".: door CBS niet gepubliceerd")
    assert pd.isna(tubbergen["Per 1.000 inwoners"])
    assert table.loc[table["Regio"] == "Twente", "Afscherming"].item() == ""


def test_display_table_strings():
    shown = vt.display_table(vt.table_frame(_shown()))
    assert list(shown.columns) == [h for h in VT_EXPORT_HEADERS if not h.startswith("Inwoners")]
    twente = shown[(shown["Regio"] == "Twente") & (shown["Halfjaar"] == "1e halfjaar 2026")].iloc[0]
    assert twente["Aantal"] == "2.455" and twente["Per 1.000 inwoners"] == "3,81"
    assert twente["Peildatum"] == "1 november 2026" and twente["Voorbeelddata"] == "ja"
    hidden = shown[shown["Aantal"].isin(["<10", "x"])]
    assert not hidden.empty and (hidden["Aantal"] == hidden["Per 1.000 inwoners"]).all()


def test_csv_and_xlsx_hold_only_protected_figures():
    table = vt.table_frame(_shown())
    footer = ["Twentse Koers Monitor · test", vt.privacy_line(10, 5), "Let op: bevat voorbeelddata"]
    data = to_dutch_csv(table, footer_lines=footer)
    text = data.decode("utf-8-sig")
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig",
                        nrows=len(table), dtype=str, keep_default_na=False)
    for value in frame["Aantal"]:
        assert value in ("<10", "x") or (int(value) >= 10 and int(value) % 5 == 0), value
    assert "<10" in set(frame["Aantal"]) and "x" in set(frame["Aantal"])
    assert frame.loc[frame["Regio"] == "Enschede", "Per 1.000 inwoners"].iloc[0] == "4,59"
    assert "Afscherming: aantallen afgerond op veelvouden van 5" in text
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(to_xlsx(table, footer_lines=footer))).active
    header = [c.value for c in sheet[1]]
    column = header.index("Aantal")
    cells = [row[column] for row in sheet.iter_rows(min_row=2, max_row=len(table) + 1, values_only=True)]
    assert all(c in ("<10", "x") or (isinstance(c, int) and c >= 10 and c % 5 == 0) for c in cells)


def test_empty_table():
    assert list(vt.table_frame(pd.DataFrame()).columns) == VT_EXPORT_HEADERS


# --- charts -----------------------------------------------------------------------------

def _numbers_of_hidden_rows(spec: dict) -> None:
    """Every data row that stands for a suppressed cell carries no number at all."""
    for layer in layers(spec):
        for row in values(spec, layer):
            if row.get("suppressed"):
                assert row["value"] is None
                numeric = {k: v for k, v in row.items()
                           if isinstance(v, (int, float)) and not isinstance(v, bool)
                           and k not in ("zero", "lane")}
                assert not numeric, row
                assert row["value_label"] in ("<10", "x")


def _visible(spec: dict, layer: dict) -> list[dict]:
    """The rows a layer draws: its data after its filter transforms (the few forms used here)."""
    rows = values(spec, layer)
    for transform in layer.get("transform", []):
        expr = transform.get("filter")
        if not isinstance(expr, str):
            continue
        python = re.sub(r"datum\.(\w+)", r"row.get('\1')", expr)
        python = python.replace("!==", "!=").replace("===", "==").replace("&&", " and ")
        python = python.replace("null", "None")
        rows = [row for row in rows if eval(python, {}, {"row": row})]  # noqa: S307 - test helper
    return rows


def _all_values(spec: dict) -> list[dict]:
    return [row for layer in layers(spec) for row in values(spec, layer)]


def test_trend_chart_counts_one_panel_per_region_breaks_the_line_and_labels_the_gap():
    spec = charts.vt_trend_chart(trend_rows(), "aantal", "melding").to_dict()
    assert_tooltips_are_strings(spec)
    _assert_no_red_or_green(spec)
    _numbers_of_hidden_rows(spec)
    # counts: a panel per region, each with its own scale
    assert spec["facet"]["row"]["field"] == "region"
    assert spec["resolve"]["scale"]["y"] == "independent"
    # the region named above its panel by a text mark (facet headers speak English)
    assert spec["facet"]["row"]["header"]["labels"] is False
    name_layer = next(layer for layer in layers(spec) if layer["encoding"].get("text", {}).get("field") == "region")
    assert sorted(row["region"] for row in _visible(spec, name_layer)) == ["Tubbergen", "Twente"]
    # the gap labels at the bottom of their own panel
    gaps = [layer for layer in layers(spec) if layer["encoding"].get("text", {}).get("field") == "value_label"]
    assert gaps and all(layer["encoding"]["y"] == {"value": {"expr": "child_height"}} for layer in gaps)
    text_layers = [layer for layer in layers(spec) if mark(layer)["type"] == "text" and layer is not name_layer
                   and layer["encoding"]["text"]["field"] != "region"]
    labels = {row["value_label"] for layer in text_layers for row in _visible(spec, layer)}
    assert labels == {"<10", "x"}
    line = next(layer for layer in layers(spec) if mark(layer)["type"] == "line")
    drawn = _visible(spec, line)
    assert all(row["value"] is not None for row in drawn)
    segments = {row["segment"] for row in drawn if row["region"] == "Tubbergen"}
    assert segments == {"GM0183-0"}  # only 2025H1 is drawn
    assert spec["title"]["text"] == "Meldingen per halfjaar"
    assert "Twente 2.455" in spec["description"]
    assert line["encoding"]["x"]["scale"]["domain"] == ["2025H1", "2025H2", "2026H1"]


def test_trend_chart_per_1000_shares_one_panel():
    spec = charts.vt_trend_chart(trend_rows(), "per_1000", "melding").to_dict()
    assert "facet" not in spec and spec["width"] == "container"
    point = next(layer for layer in layers(spec) if mark(layer)["type"] == "point")
    line = next(layer for layer in layers(spec) if mark(layer)["type"] == "line")
    # WCAG 1.4.1: the regions' lines differ in dash and their points in shape, not only in colour
    assert line["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [8, 4]]
    assert point["encoding"]["shape"]["scale"]["range"] == ["circle", "diamond"]
    twente = [row for row in _visible(spec, point) if row["region"] == "Twente"]
    assert [row["value_label"] for row in twente] == ["3,7", "3,6", "3,8"]
    assert spec["title"]["text"] == "Meldingen per halfjaar per 1.000 inwoners"
    _numbers_of_hidden_rows(spec)
    text_layers = [layer for layer in layers(spec) if mark(layer)["type"] == "text"]
    assert {row["value_label"] for layer in text_layers for row in _visible(spec, layer)} == {"<10", "x"}


def test_trend_chart_for_twente_alone_is_one_panel():
    rows = trend_rows()
    spec = charts.vt_trend_chart(rows[rows["region_code"] == "GG_TWENTE"], "aantal", "melding").to_dict()
    assert "facet" not in spec
    assert not [layer for layer in layers(spec) if mark(layer)["type"] == "text"]


def test_trend_chart_without_rows_raises():
    with pytest.raises(ValueError, match="geen gegevens"):
        charts.vt_trend_chart(trend_rows().iloc[0:0], "aantal", "melding")


def test_gemeenten_chart_ranks_lists_suppressed_and_draws_references():
    spec = charts.vt_gemeenten_chart(gemeenten_rows(with_nl=True), "melding", "2026H1",
                                     highlight="GM0183").to_dict()
    assert_tooltips_are_strings(spec)
    _assert_no_red_or_green(spec)
    _numbers_of_hidden_rows(spec)
    bars = [layer for layer in layers(spec) if mark(layer)["type"] == "bar"]
    drawn = {row["name"] for row in values(spec, bars[0])}
    assert drawn == {"Enschede", "Losser"}  # Tubbergen has no bar
    order = bars[0]["encoding"]["y"]["sort"]
    assert order == ["Enschede", "Losser", "Tubbergen"]
    rules = [layer for layer in layers(spec) if mark(layer)["type"] == "rule"]
    assert {row["label"] for row in values(spec, rules[0])} == {"Twente", "Nederland"}
    texts = {row.get("value_label") for row in _all_values(spec)}
    assert "<10" in texts
    assert "Niet als getal getoond: Tubbergen: <10" in spec["description"]
    assert all(mark(layer).get("color", charts.VT_BAR_COLOR) == charts.VT_BAR_COLOR for layer in bars[:1])


def test_gemeenten_chart_without_nederland_has_only_twente():
    spec = charts.vt_gemeenten_chart(gemeenten_rows(), "melding", "2026H1").to_dict()
    rules = [layer for layer in layers(spec) if mark(layer)["type"] == "rule"]
    assert {row["label"] for row in values(spec, rules[0])} == {"Twente"}


def test_gemeenten_chart_without_gemeenten_raises():
    with pytest.raises(ValueError, match="geen gegevens"):
        charts.vt_gemeenten_chart(_frame([_row("GG_TWENTE", "2026H1", count=10)]), "melding", "2026H1")


def test_breakdown_chart_in_contract_order_with_labels():
    rows = breakdown_rows()
    spec = charts.vt_breakdown_chart(rows, "categorie", "aantal", "melding", "Tubbergen",
                                     "2026H1").to_dict()
    assert_tooltips_are_strings(spec)
    _assert_no_red_or_green(spec)
    _numbers_of_hidden_rows(spec)
    bar = next(layer for layer in layers(spec) if mark(layer)["type"] == "bar")
    assert bar["encoding"]["y"]["sort"] == [vt_labels.category_label(c) for c in VT_BREAKDOWNS["categorie"]]
    assert {row["name"] for row in values(spec, bar)} == {"Kindermishandeling", "Partnergeweld"}
    assert "Meldingen totaal: 45" in spec["title"]["subtitle"]
    melder = charts.vt_breakdown_chart(rows, "melder", "per_1000", "melding", "Tubbergen",
                                       "2026H1").to_dict()
    _numbers_of_hidden_rows(melder)
    assert melder["title"]["text"] == "Soort melder: Tubbergen, 1e halfjaar 2026"


def test_breakdown_chart_without_the_breakdown_raises():
    rows = breakdown_rows()
    with pytest.raises(ValueError, match="geen gegevens"):
        charts.vt_breakdown_chart(rows[rows["breakdown"] != "melder"], "melder", "aantal",
                                  "melding", "Tubbergen", "2026H1")


def test_no_hidden_true_number_anywhere_in_a_spec():
    """The specs of a gemeente with small cells hold no number below 10 as a figure."""
    built = [charts.vt_trend_chart(trend_rows(), "aantal", "melding"),
             charts.vt_gemeenten_chart(gemeenten_rows(), "melding", "2026H1"),
             charts.vt_breakdown_chart(breakdown_rows(), "categorie", "aantal", "melding",
                                       "Tubbergen", "2026H1")]
    for chart in built:
        spec = chart.to_dict()
        for row in _all_values(spec):
            for key in ("value_label", "aantal_label", "bar_text"):
                found = re.fullmatch(r"(\d+)( \*)?", row.get(key) or "")
                if found:
                    assert int(found.group(1)) >= 10


def test_vt_specs_compile_and_render_with_streamlits_vega(tmp_path):
    built = {
        "trend": charts.vt_trend_chart(trend_rows(), "aantal", "melding"),
        "trend1000": charts.vt_trend_chart(trend_rows(), "per_1000", "melding"),
        "gemeenten": charts.vt_gemeenten_chart(gemeenten_rows(with_nl=True), "melding", "2026H1",
                                               highlight="GM0153"),
        "breakdown": charts.vt_breakdown_chart(breakdown_rows(), "categorie", "aantal", "melding",
                                               "Tubbergen", "2026H1"),
    }
    svgs = render_svgs(built, tmp_path)
    assert "&lt;10" in svgs["trend"] and ">x<" in svgs["trend"]
    assert ">2.000<" in svgs["trend"] or ">2.500<" in svgs["trend"]  # Dutch thousands on the axis
    assert ">Tubbergen<" in svgs["trend"] and ">Twente<" in svgs["trend"]  # the panels' names
    assert "Title text 'Tubbergen'" not in svgs["trend"]  # a text mark, not a facet header
    assert "&lt;10" in svgs["trend1000"] and re.search(r">[0-4],\d<", svgs["trend1000"])
    assert "Twente: 3,8" in svgs["gemeenten"] and "4,6" in svgs["gemeenten"]
    assert "&lt;10" in svgs["gemeenten"]
    assert "Ouderenmishandeling" in svgs["breakdown"] and "&lt;10" in svgs["breakdown"]
    assert ">20 *<" in svgs["breakdown"]  # voorbeelddata: the figure with its mark


def test_vt_voorbeelddata_bars_read_without_colour():
    """WCAG 1.4.1: a voorbeelddata bar is lighter and also dashed and marked * after its figure
    (on a hidden cell's label too); the subtitle explains both. Published bars are plain."""
    rows = gemeenten_rows(with_nl=True)
    rows.loc[rows["region_code"] == "GM0168", "is_sample"] = False  # Losser published
    for chart in (charts.vt_gemeenten_chart(rows, "melding", "2026H1", highlight="GM0153"),
                  charts.vt_breakdown_chart(breakdown_rows(), "categorie", "aantal", "melding",
                                            "Tubbergen", "2026H1")):
        spec = chart.to_dict()
        bar = next(layer for layer in layers(spec) if mark(layer)["type"] == "bar")
        dash = bar["encoding"]["strokeDash"]
        assert "voorbeelddata" in dash["condition"]["test"]
        assert dash["condition"]["value"] == list(charts.VT_SAMPLE_DASH) and dash["value"] == [1, 0]
        assert bar["encoding"]["stroke"]["condition"]["value"] == charts.VT_SAMPLE_STROKE
        texts = [layer for layer in layers(spec) if mark(layer)["type"] == "text"
                 and layer["encoding"].get("text", {}).get("field") == "bar_text"]
        assert len(texts) >= 2
        for layer in texts:
            for row in values(spec, layer):
                assert row["bar_text"].endswith(" *") == (row["soort"] == "voorbeelddata"), row
        assert any("stippelrand en *" in line for line in spec["title"]["subtitle"])
        assert {row["soort"] for row in values(spec, bar)} >= {"voorbeelddata"}


# --- a breakdown from a cut-off CBS file ----------------------------------------------------------

def test_a_breakdown_from_a_cut_off_file_names_what_it_lacks():
    incomplete = pd.DataFrame({"breakdown": ["categorie"], "source_id": ["cbs-84851NED"],
                               "title": ["Huiselijk geweld; aard geweld, aanvullende informatie, regio"],
                               "table_id": ["84851NED"]})
    titles = vt.cut_off_titles(incomplete)
    assert titles == {"categorie": ["Huiselijk geweld; aard geweld, aanvullende informatie, regio (84851NED)"]}
    assert vt.cut_off_titles(None) == {} and vt.cut_off_titles(incomplete.iloc[:0]) == {}
    text = vt.incomplete_text("categorie", titles["categorie"], {"totaal", "kindermishandeling"}, "Almelo", "2024H1")
    assert text.startswith("Onvolledig: het CBS-bestand ‘Huiselijk geweld; aard geweld")
    assert ("Voor Almelo (1e halfjaar 2024) staat partnergeweld, ouderenmishandeling, overig huiselijk geweld, "
            "anders of onbekend er niet in") in text
    assert "geen afgeschermde cijfers en geen nullen" in text
    nothing = vt.incomplete_text("categorie", titles["categorie"], {"totaal"}, "Twente", "2024H1")
    assert "Voor Twente (1e halfjaar 2024) staat de uitsplitsing naar aard van het geweld er niet in" in nothing
    assert vt.incomplete_text("categorie", titles["categorie"], set(VT_BREAKDOWNS["categorie"]), "Almelo",
                              "2024H1") is None
