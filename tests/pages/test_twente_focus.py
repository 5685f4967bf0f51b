"""AppTest: with every gemeente and region of the Netherlands in the committed datasets, the
pages stay on Twente, its 14 gemeenten, Overijssel and Nederland: no option, chart, table or
text lists a gemeente or region outside Twente. And a Twente figure names the region that
produced it: a COROP figure is 'Twente (COROP-gebied)', never 'Twente (GGD-regio)'."""

from __future__ import annotations


import pytest

from monitor.data import store
from monitor.domain import regions as regions_mod
from tests.pages.app import chart_rows as _chart_rows, open_page
from ui.components import LINE_BREAK

SCOPE = {code for code, *_ in regions_mod.REGION_ROWS}


@pytest.fixture(scope="module")
def outside() -> tuple[set[str], set[str]]:
    """(codes, names) of every region of the committed datasets that the pages must not list."""
    regions = store.read_frame("regions", store.REPO_ROOT / "datasets")
    foreign = regions[~regions["region_code"].isin(SCOPE)]
    assert len(foreign[foreign["level"] == "gemeente"]) > 300  # the store is national
    names = set(foreign["name"]) - {name for *_c, name, _l, _p in
                                    [(c, n, lv, p) for c, n, lv, p in regions_mod.REGION_ROWS]}
    return set(foreign["region_code"]), names


def _shown(at) -> tuple[set[str], list[str]]:
    """(every exact value a user can pick or read in a cell, chart datum or option; the texts)."""
    cells: set[str] = set()
    for widget in [*at.selectbox, *at.multiselect, *at.radio]:
        cells |= {str(o) for o in widget.options}
    for frame in [*at.dataframe, *at.table]:
        value = frame.value
        for column in value.columns:
            cells |= {str(v) for v in value[column].tolist()}
    for row in _chart_rows(at):
        cells |= {str(v) for v in row.values() if isinstance(v, str)}
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    # one text per line: the source lines under a figure share one caption, one under the other
    return cells, [line for text in texts for line in text.split(LINE_BREAK)]


def _compared_regions(at) -> set[str]:
    """Codes and names of the regions a "Twente tussen de regio's" chart ranks Twente among on
    purpose: rows of a ranked chart (``rank``) of one region kind that is not gemeente. Only
    there, under that heading, may regions outside Twente appear; gemeenten never."""
    ranked = [row for row in _chart_rows(at) if "rank" in row and "region_kind" in row]
    if not ranked:
        return set()
    assert {row["region_kind"] for row in ranked} - {"gemeente"}, "een gerangschikte grafiek van gemeenten"
    assert any(h.value.startswith(("Twente tussen de regio", "Twente tussen de Veilig Thuis-regio"))
               for h in [*at.header, *at.subheader]), \
        "regio's buiten Twente zonder de kop 'Twente tussen de regio's'"
    return {str(row[key]) for row in ranked if row["region_kind"] != "gemeente"
            for key in ("region_code", "region_name")}


def _assert_focused(at, outside) -> None:
    codes, names = outside
    cells, _texts = _shown(at)
    leaked = sorted(((cells & codes) | (cells & names)) - _compared_regions(at))
    assert not leaked, f"de pagina toont regio's buiten Twente: {leaked[:10]}"


PAGES = [
    ("overzicht", None, None),
    ("themalijn", "bestaanszekerheid", None),
    ("themalijn", "preventie-en-gezondheid", {"gemeente": "Enschede"}),
    ("themalijn", "ouderen", None),
    ("themalijn", "mentale-gezondheid", None),
    ("indicatoren", None, {"indicator": "Wanbetalers zorgpremie"}),
    ("indicatoren", None, {"indicator": "Overgewicht", "regio": ["Enschede"]}),
    ("veilig_thuis", None, None),
    ("projecten", None, None),
]


@pytest.mark.parametrize("page, url_path, query", PAGES,
                         ids=[f"{p}-{u or ''}-{(q or {}).get('indicator', '')}" for p, u, q in PAGES])
def test_pages_list_only_twente_regions(page, url_path, query, outside):
    if page in ("overzicht", "themalijn"):
        at = open_page(None, query, url_path=url_path)
    else:
        at = open_page(page, query, timeout=120)
    _assert_focused(at, outside)


def test_the_gemeente_choices_are_the_14(outside):
    at = open_page(None, None, url_path="bestaanszekerheid")
    options = [o for o in at.selectbox(key="gemeente").options if o and not o.startswith("Twente (")]
    assert sorted(options) == sorted(regions_mod.TWENTE_GEMEENTEN.values())


def test_a_corop_figure_is_labelled_twente_corop_not_ggd():
    at = open_page("indicatoren", {"indicator": "Wanbetalers zorgpremie"}, timeout=120)
    assert at.selectbox(key="indicator").value == "wanbetalers_zorgpremie"
    table = next(df.value for df in at.dataframe if "Regio" in df.value.columns)
    assert "Twente (COROP-gebied)" in set(table["Regio"])
    assert "Twente (GGD-regio)" not in set(table["Regio"])
    legend = {str(row.get("region_name")) for row in _chart_rows(at)}
    assert "Twente (COROP-gebied)" in legend and "Twente (GGD-regio)" not in legend
    _cells, texts = _shown(at)
    assert any("Twente (COROP-gebied)" in t and "Bron:" in t for t in texts), texts
    # (the scatter below compares with a Gezondheidsmonitor figure: that one is the GGD-regio's)
    assert not any("Twente (GGD-regio)" in t and ("Betalingsachterstand" in t or "Wanbetalers" in t)
                   for t in texts), texts


def test_a_jeugdzorg_figure_names_the_jeugdzorgregio_in_its_source_line():
    at = open_page("indicatoren", {"indicator": "Jongeren met jeugdhulp"}, timeout=120)
    _cells, texts = _shown(at)
    assert any("Twente (jeugdzorgregio)" in t and "Bron:" in t for t in texts), texts
    assert not any("Twente (GGD-regio)" in t for t in texts)


def test_a_gezondheidsmonitor_figure_stays_the_ggd_regio():
    at = open_page("indicatoren", {"indicator": "Overgewicht"}, timeout=120)
    _cells, texts = _shown(at)
    assert any("Twente (GGD-regio)" in t and "Bron:" in t for t in texts), texts
    assert not any("COROP" in t for t in texts)


def test_veilig_thuis_names_the_veilig_thuis_regio_in_its_source_line():
    at = open_page("veilig_thuis", None, timeout=120)
    _cells, texts = _shown(at)
    assert any("Twente (Veilig Thuis-regio)" in t and "Bron:" in t for t in texts), texts
    assert not any("Twente (GGD-regio)" in t for t in texts)
