"""The importers for CBS files: the Gezondheidsmonitor exports and StatLine web exports.

The first part reads the real files in ../shared/data/cbs (skipped when ../shared is absent)
and checks figures looked up by hand in those files. The second part uses the small
handmade files in tests/data/cbs (same shape, made-up figures) for format details and errors.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from monitor.data import catalogue as catalogue_mod
from monitor.domain import regions
from monitor.data import store
from monitor.data.errors import IngestError
from monitor.ingest import detect_format, gezondheidsmonitor, ingest_file, statline
from monitor.ingest.base import COLUMN, ROW, Context
from monitor.domain.periods import PeriodError
from tests.helpers import one, snapshot

DATA = Path(__file__).resolve().parent.parent / "data" / "cbs"
RETRIEVED = date(2026, 11, 22)

GM_2016 = "83674NED_gezondheidsmonitor_volwassenen_2016.csv"
GM_2020 = "85012NED_gezondheidsmonitor_volwassenen_2020.csv"
KERNCIJFERS = "70072NED_regionale_kerncijfers_2025.csv"


# --- helpers -------------------------------------------------------------------------------



def observation(obs: pd.DataFrame, indicator: str, region: str, period: str, subgroup: str = "totaal"):
    return one(obs, indicator_id=indicator, region_code=region, period=period, subgroup=subgroup)


def assert_obs(row: pd.Series, value: float, low: float | None, high: float | None) -> None:
    assert row["value"] == value
    for column, expected in (("ci_low", low), ("ci_high", high)):
        if expected is None:
            assert pd.isna(row[column])
        else:
            assert row[column] == expected


def context(path: Path, dataset_dir: Path) -> Context:
    return Context(path=path, dataset_dir=dataset_dir, retrieved=RETRIEVED, checksum="test")


# --- real files ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cbs_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "cbs"


@pytest.fixture(scope="module")
def imported(cbs_dir: Path, tmp_path_factory) -> dict:
    """The three real files imported into one fresh dataset folder."""
    directory = tmp_path_factory.mktemp("datasets")
    reports = {name: ingest_file(cbs_dir / name, directory, retrieved=RETRIEVED)
               for name in (GM_2016, GM_2020, KERNCIJFERS)}
    return {
        "dir": directory,
        "reports": reports,
        "obs": store.read_frame("observations", directory),
        "population": store.read_frame("population", directory),
        "indicators": store.read_frame("indicators", directory).set_index("indicator_id"),
        "sources": store.read_frame("sources", directory).set_index("source_id"),
    }


def test_detect_format_names_real_files(cbs_dir: Path, imported: dict) -> None:
    assert detect_format(cbs_dir / GM_2016) is gezondheidsmonitor.FORMAT
    assert detect_format(cbs_dir / GM_2020) is gezondheidsmonitor.FORMAT
    assert detect_format(cbs_dir / KERNCIJFERS) is statline.FORMAT
    reports = imported["reports"]
    assert reports[GM_2016].format_name == "CBS Gezondheidsmonitor volwassenen en ouderen (83674NED, 2016)"
    assert reports[GM_2020].format_name == "CBS Gezondheidsmonitor volwassenen en ouderen (85012NED, 2020)"
    assert reports[KERNCIJFERS].format_name == "CBS StatLine-export (70072NED)"
    assert [r.source_id for r in reports.values()] == ["cbs-83674NED", "cbs-85012NED", "cbs-70072NED"]
    assert "Formaat herkend: CBS Gezondheidsmonitor" in reports[GM_2020].summary()


def test_overgewicht_2020_exact_values(imported: dict) -> None:
    obs = imported["obs"]
    # 85012NED lines 110/508/906 (Enschede), 378/776/1174 (GGD Twente), 2/400/798 (Nederland).
    assert_obs(observation(obs, "overgewicht", "GM0153", "2020"), 51.1, 47.5, 54.7)
    assert_obs(observation(obs, "overgewicht", "GG_TWENTE", "2020"), 53.2, 52.1, 54.4)
    assert_obs(observation(obs, "overgewicht", "NL01", "2020"), 49.4, 49.2, 49.7)
    row = observation(obs, "overgewicht", "GM0153", "2020")
    assert row["status"] == "definitief"
    assert not row["is_sample"]
    assert row["source_id"] == "cbs-85012NED"


def test_2016_region_names_map(imported: dict) -> None:
    obs = imported["obs"]
    # 83674NED: 'GGD Regio Twente (GG)' lines 412/844/1276, 'Hengelo (O.)' lines 167/599/1031.
    assert_obs(observation(obs, "overgewicht", "GG_TWENTE", "2016"), 52.1, 50.8, 53.3)
    assert_obs(observation(obs, "overgewicht", "GM0164", "2016"), 51.4, 47.4, 55.5)
    assert observation(obs, "overgewicht", "GG_TWENTE", "2016")["source_id"] == "cbs-83674NED"


def test_ernstig_overgewicht_is_one_indicator_in_both_editions(imported: dict) -> None:
    obs = imported["obs"]
    assert_obs(observation(obs, "ernstig_overgewicht", "GG_TWENTE", "2016"), 14.3, 13.5, 15.2)
    assert_obs(observation(obs, "ernstig_overgewicht", "GM0153", "2020"), 16.6, 14.2, 19.4)
    periods = set(obs.loc[obs["indicator_id"] == "ernstig_overgewicht", "period"])
    assert periods == {"2016", "2020"}
    assert set(obs.loc[obs["indicator_id"] == "wekelijks_sporter", "period"]) == {"2016", "2020"}
    assert not obs["indicator_id"].str.contains("[A-Z]").any()


def test_subgroup_codes_per_edition(imported: dict) -> None:
    obs = imported["obs"]
    assert set(obs.loc[obs["period"] == "2016", "subgroup"]) == {"totaal", "19-64", "65+"}
    assert set(obs.loc[(obs["period"] == "2020") & (obs["source_id"] == "cbs-85012NED"), "subgroup"]) \
        == {"totaal", "18-64", "65+"}
    # 85012NED line 2498: Enschede, 65 jaar of ouder, Overgewicht 64.5.
    assert observation(obs, "overgewicht", "GM0153", "2020", "65+")["value"] == 64.5


def test_all_17_regions_in_both_editions(imported: dict) -> None:
    obs = imported["obs"]
    for period in ("2016", "2020"):
        assert set(obs.loc[obs["period"] == period, "region_code"]) == set(regions.KNOWN_CODES)
    assert len(regions.KNOWN_CODES) == 17


def test_unpublished_figures_stay_missing(imported: dict) -> None:
    obs = imported["obs"]
    # 85012NED line 1304: Enschede 18 tot 65 jaar has empty ZwaarBelasteMantelzorgers and
    # UrenMantelzorgPerWeek; the observation is left out, never written as 0.
    for indicator in ("zwaar_belaste_mantelzorger", "uren_mantelzorg_per_week"):
        rows = obs[(obs["indicator_id"] == indicator) & (obs["region_code"] == "GM0153")
                   & (obs["period"] == "2020") & (obs["subgroup"] == "18-64")]
        assert rows.empty
    # ... while Hengelo's 65+ figure of the same column is there (line 2541).
    assert observation(obs, "zwaar_belaste_mantelzorger", "GM0164", "2020", "65+")["value"] == 10.8
    # 83674NED line 27: Almelo has no UrenOntvangenMantelzorgPerWeek.
    assert obs[(obs["indicator_id"] == "uren_ontvangen_mantelzorg_per_week")
               & (obs["region_code"] == "GM0141") & (obs["subgroup"] == "totaal")].empty
    assert obs["value"].notna().all()
    assert "37 cijfers zijn niet gepubliceerd" in "\n".join(imported["reports"][GM_2020].notes)
    assert "96 cijfers zijn niet gepubliceerd" in "\n".join(imported["reports"][GM_2016].notes)


def test_row_and_column_of_each_observation(cbs_dir: Path, tmp_datasets: Path) -> None:
    path = cbs_dir / GM_2020
    batch = gezondheidsmonitor.FORMAT.parse(path, context(path, tmp_datasets))
    row = observation(batch.frames["observations"], "overgewicht", "GM0153", "2020")
    assert row[ROW] == 110  # the Waarde row of Enschede, Totaal
    assert row[COLUMN] == "Overgewicht"


def test_counts_and_indicators(imported: dict) -> None:
    obs, indicators = imported["obs"], imported["indicators"]
    # 17 regions x 3 subgroups x columns, minus the unpublished figures.
    assert (obs["source_id"] == "cbs-85012NED").sum() == 17 * 3 * 20 - 37
    assert (obs["source_id"] == "cbs-83674NED").sum() == 17 * 3 * 22 - 96
    assert indicators.loc["uren_mantelzorg_per_week", "unit"] == "uren per week"
    assert indicators.loc["mantelzorger", "direction"] == "neutral"
    assert indicators.loc["overgewicht", "direction"] == "lower_is_better"
    assert indicators.loc["voldoet_norm_gezond_bewegen", "source_id"] == "cbs-83674NED"
    assert indicators.loc["aandeel_65plus", "themalijn"] == "ouderen"


def test_sources_rows(imported: dict) -> None:
    sources = imported["sources"]
    gm = sources.loc["cbs-85012NED"]
    assert gm["publisher"] == "CBS, GGD'en en RIVM"
    assert gm["title"] == "Gezondheidsmonitor Volwassenen en Ouderen 2020; per regio"
    assert gm["table_id"] == "85012NED"
    assert gm["licence"] == "CC BY 4.0"
    assert gm["peildatum"] == date(2020, 12, 31)
    assert gm["url"] == "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/85012NED/table"
    assert "najaar van 2020" in gm["note"]
    assert sources.loc["cbs-83674NED", "peildatum"] == date(2016, 12, 31)
    kc = sources.loc["cbs-70072NED"]
    assert (kc["publisher"], kc["title"], kc["peildatum"]) == ("CBS", "Regionale kerncijfers Nederland",
                                                                 date(2025, 1, 1))
    assert len(kc["checksum"]) == 64
    assert not sources["is_sample"].any()


def test_population_enschede_and_nederland(imported: dict) -> None:
    pop = imported["population"]
    enschede = pop[pop["region_code"] == "GM0153"].set_index("age_group")["inhabitants"].to_dict()
    # 70072NED line 184.
    assert enschede == {"totaal": 162317, "0-4": 6621, "5-9": 7385, "10-14": 8114, "15-19": 10401,
                        "20-24": 15771, "25-44": 43312, "45-64": 40471, "65-79": 22670, "80+": 7572}
    nederland = pop[pop["region_code"] == "NL01"].set_index("age_group")["inhabitants"].to_dict()
    # line 2.
    assert nederland == {"totaal": 18044027, "0-4": 858425, "5-9": 893434, "10-14": 946675,
                         "15-19": 1020947, "20-24": 1184576, "25-44": 4650069, "45-64": 4734222,
                         "65-79": 2823384, "80+": 932295}
    assert set(pop["year"]) == {2025}
    assert set(pop["source_id"]) == {"cbs-70072NED"}


def test_twente_population_is_sum_of_14_gemeenten(cbs_dir: Path, imported: dict) -> None:
    with open(cbs_dir / KERNCIJFERS, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header = rows[0]
    total_column = header.index("Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)")
    names = set(regions.TWENTE_GEMEENTEN.values()) - {"Hengelo"} | {"Hengelo (O.)"}
    expected = sum(int(r[total_column]) for r in rows[1:] if r[1].strip() in names)
    pop = imported["population"]
    twente = pop[pop["region_code"] == "GG_TWENTE"].set_index("age_group")["inhabitants"]
    assert twente["totaal"] == expected == 643603
    gemeenten = pop[pop["region_code"].isin(regions.GEMEENTE_CODES)]
    assert gemeenten["region_code"].nunique() == 14
    assert (gemeenten.groupby("age_group")["inhabitants"].sum() == twente.sort_index()).all()


def test_hengelo_gelderland_is_not_hengelo_overijssel(imported: dict) -> None:
    pop = imported["population"]
    assert set(pop["region_code"]) == set(regions.GEMEENTE_CODES) | {"GG_TWENTE", "NL01"}
    # 'Hengelo (Gld.)' (line 277) is an empty row; GM0164 comes from 'Hengelo (O.)' (line 278).
    assert one(pop, region_code="GM0164", age_group="totaal")["inhabitants"] == 83655
    notes = "\n".join(imported["reports"][KERNCIJFERS].notes)
    assert "386 lege rijen overgeslagen" in notes


def test_population_shares(imported: dict) -> None:
    obs = imported["obs"]
    assert_obs(observation(obs, "aandeel_65plus", "GM0153", "2025"), 18.6, None, None)  # 30242/162317
    assert_obs(observation(obs, "aandeel_80plus", "GM0153", "2025"), 4.7, None, None)   # 7572/162317
    assert_obs(observation(obs, "aandeel_0_19", "GM0153", "2025"), 20.0, None, None)    # 32521/162317
    assert observation(obs, "aandeel_65plus", "NL01", "2025")["value"] == 20.8
    assert observation(obs, "aandeel_65plus", "GG_TWENTE", "2025")["value"] == round(
        100 * (104327 + 35787) / 643603, 1)
    shares = obs[obs["indicator_id"].str.startswith("aandeel_")]
    assert len(shares) == 3 * 16  # 14 gemeenten, Twente and Nederland
    assert set(shares["status"]) == {"definitief"}


def test_reimport_changes_nothing(cbs_dir: Path, tmp_datasets: Path) -> None:
    for name in (GM_2016, GM_2020, KERNCIJFERS):
        ingest_file(cbs_dir / name, tmp_datasets, retrieved=RETRIEVED)
    before = snapshot(tmp_datasets)
    for name in (GM_2016, GM_2020, KERNCIJFERS):
        report = ingest_file(cbs_dir / name, tmp_datasets, retrieved=date(2027, 1, 1))
        assert not report.changed
        assert "al geïmporteerd" in report.summary()
    assert snapshot(tmp_datasets) == before


# --- handmade files: Gezondheidsmonitor ----------------------------------------------------

MINI_2020 = DATA / "85012NED_mini.csv"
MINI_2016 = DATA / "gezondheidsmonitor_zonder_tabelid.csv"
MINI_STATLINE = DATA / "70072NED_mini.csv"


def test_mini_2020(tmp_datasets: Path) -> None:
    report = ingest_file(MINI_2020, tmp_datasets, retrieved=RETRIEVED)
    assert report.format_name == "CBS Gezondheidsmonitor volwassenen en ouderen (85012NED, 2020)"
    obs = store.read_frame("observations", tmp_datasets)
    assert set(obs["region_code"]) == {"NL01", "GM0153", "GG_TWENTE"}  # Amsterdam skipped
    # A value whose interval was not published keeps the value, with the interval missing.
    assert_obs(observation(obs, "uren_mantelzorg_per_week", "GM0153", "2020"), 12.5, None, None)
    # Empty and '.' cells are not published: no observation, not 0.
    assert obs[(obs["indicator_id"] == "uren_mantelzorg_per_week")
               & obs["region_code"].isin(["GG_TWENTE"])].empty
    assert obs[(obs["indicator_id"] == "uren_mantelzorg_per_week") & (obs["subgroup"] == "65+")].empty
    assert_obs(observation(obs, "ernstig_overgewicht", "GM0153", "2020", "65+"), 20.0, 16.0, 24.0)
    notes = "\n".join(report.notes)
    assert "1 regio's overgeslagen" in notes
    assert "2 cijfers zijn niet gepubliceerd" in notes
    indicators = store.read_frame("indicators", tmp_datasets)
    assert set(indicators["indicator_id"]) == {"overgewicht", "ernstig_overgewicht",
                                               "uren_mantelzorg_per_week"}


def test_edition_from_columns_when_name_has_no_table_id(tmp_datasets: Path) -> None:
    report = ingest_file(MINI_2016, tmp_datasets, retrieved=RETRIEVED)
    assert report.source_id == "cbs-83674NED"
    assert report.format_name.endswith("(83674NED, 2016)")
    obs = store.read_frame("observations", tmp_datasets)
    assert set(obs["period"]) == {"2016"}
    assert set(obs["subgroup"]) == {"totaal", "19-64"}
    assert_obs(observation(obs, "ernstig_overgewicht", "GG_TWENTE", "2016"), 14.0, 13.5, 15.0)
    assert_obs(observation(obs, "wekelijks_sporter", "GM0164", "2016", "19-64"), 55.0, 50.0, 60.0)


def test_edition_2020_without_table_id_or_perioden(tmp_path: Path, tmp_datasets: Path) -> None:
    path = tmp_path / "gezondheidsmonitor.csv"
    path.write_bytes(MINI_2020.read_bytes())
    report = ingest_file(path, tmp_datasets, retrieved=RETRIEVED)
    assert report.source_id == "cbs-85012NED"
    assert set(store.read_frame("observations", tmp_datasets)["period"]) == {"2020"}


def test_source_overrides_win(tmp_datasets: Path) -> None:
    report = ingest_file(MINI_2020, tmp_datasets, retrieved=RETRIEVED,
                         source_overrides={"title": "Eigen titel", "peildatum": date(2021, 3, 1)})
    source = store.read_frame("sources", tmp_datasets).set_index("source_id").loc[report.source_id]
    assert source["title"] == "Eigen titel"
    assert source["peildatum"] == date(2021, 3, 1)


def _drop_column(text: str, name: str) -> str:
    lines = text.splitlines()
    index = lines[0].split(",").index(name)
    return "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines) + "\n"


GM_BAD = [
    # (id, transform of the mini file, file name, expected message part, row, column)
    ("leeftijd", lambda t: t.replace("65 jaar of ouder,Waarde", "65 tot 75 jaar,Waarde"), None,
     "onbekende leeftijdsgroep '65 tot 75 jaar'", 14, "Leeftijd"),
    ("marges", lambda t: t.replace("Bovengrens 95%-interval,Nederland", "Bovengrens 90%-interval,Nederland"),
     None, "onbekende marge 'Bovengrens 90%-interval'", 10, "Marges"),
    ("geen-getal", lambda t: t.replace("Enschede,51.0", "Enschede,n.v.t."), None,
     "'n.v.t.' is geen getal", 3, "Overgewicht"),
    ("onbekende-kolom", lambda t: t.replace("UrenMantelzorgPerWeek", "Bloeddruk"), None,
     "sources/indicatoren.toml", 1, "Bloeddruk"),
    ("kolom-ontbreekt", lambda t: _drop_column(t, "RegioS"), None,
     "verplichte kolom(men) ontbreken: RegioS", 1, "RegioS"),
    ("dubbel", lambda t: t.replace("2,2,Totaal,Waarde,Amsterdam", "2,2,Totaal,Waarde,Enschede"), None,
     "komt meer dan één keer voor (rijen 3, 4)", 4, "RegioS"),
    ("buiten-interval", lambda t: t.replace("Enschede,55.0,18.0", "Enschede,50.0,18.0"), None,
     "niet binnen het betrouwbaarheidsinterval", 3, "Overgewicht"),
    ("boven-100", lambda t: t.replace("Enschede,51.0", "Enschede,151.0"), None,
     "percentage 151 ligt buiten 0–100", 3, "Overgewicht"),
    ("periode", lambda t: t.replace(",2016,13.0", ",2016XY,13.0"), "mini2016",
     "onbekende periodecode '2016XY'", 2, "Perioden"),
]


@pytest.mark.parametrize("case", GM_BAD, ids=[c[0] for c in GM_BAD])
def test_gezondheidsmonitor_bad_input(case, tmp_path: Path, tmp_datasets: Path) -> None:
    _id, transform, which, message, row, column = case
    source = MINI_2016 if which == "mini2016" else MINI_2020
    ingest_file(MINI_2016 if source is MINI_2020 else MINI_2020, tmp_datasets, retrieved=RETRIEVED)
    before = snapshot(tmp_datasets)
    path = tmp_path / source.name
    path.write_text(transform(source.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets, retrieved=RETRIEVED)
    error = info.value
    assert message in error.message
    assert (error.row, error.column) == (row, column)
    assert str(error).startswith(f"Fout in bestand {path.name}, rij {row}, kolom '{column}'")
    assert snapshot(tmp_datasets) == before


def test_gezondheidsmonitor_sniff() -> None:
    head = MINI_2020.read_bytes()
    assert gezondheidsmonitor.FORMAT.sniff(MINI_2020, head)
    assert gezondheidsmonitor.FORMAT.sniff(MINI_2016, MINI_2016.read_bytes())
    assert not gezondheidsmonitor.FORMAT.sniff(MINI_STATLINE, MINI_STATLINE.read_bytes())
    assert not gezondheidsmonitor.FORMAT.sniff(Path("x.xlsx"), head)
    assert not gezondheidsmonitor.FORMAT.sniff(Path("x.csv"), b"indicator_id,region,period,value\n")
    assert detect_format(MINI_2020) is gezondheidsmonitor.FORMAT


# --- handmade files: StatLine --------------------------------------------------------------

def test_mini_statline(tmp_datasets: Path) -> None:
    report = ingest_file(MINI_STATLINE, tmp_datasets, retrieved=RETRIEVED)
    assert report.format_name == "CBS StatLine-export (70072NED)"
    pop = store.read_frame("population", tmp_datasets)
    # 'Enschede   ' is padded; Amsterdam, and the empty rows Aalburg and Hengelo (Gld.), skipped.
    assert set(pop["region_code"]) == {"NL01", "GM0153", "GM0164"}
    assert one(pop, region_code="GM0164", age_group="totaal")["inhabitants"] == 100
    assert one(pop, region_code="GM0153", age_group="80+")["inhabitants"] == 10
    assert set(pop["age_group"]) == set(statline.declaration("70072NED")[1].age_groups)  # sources/cbs/70072NED.toml
    obs = store.read_frame("observations", tmp_datasets)
    assert_obs(observation(obs, "aandeel_65plus", "GM0153", "2025"), 20.0, None, None)
    assert observation(obs, "aandeel_0_19", "NL01", "2025")["value"] == 22.0
    assert observation(obs, "aandeel_80plus", "GM0164", "2025")["value"] == 5.0
    assert "GG_TWENTE" not in set(obs["region_code"])  # only 2 of the 14 gemeenten
    notes = "\n".join(report.notes)
    assert "Twente (GGD-regio) niet berekend" in notes
    assert "1 regio's overgeslagen" in notes
    assert "2 lege rijen overgeslagen" in notes
    assert "2 kolommen niet geïmporteerd" in notes


def test_statline_catalogue_columns(tmp_path: Path, tmp_datasets: Path, monkeypatch) -> None:
    extra = tmp_path / "indicatoren.toml"
    extra.write_text(catalogue_mod.CATALOGUE_PATH.read_text(encoding="utf-8") + '''
[[indicator]]
id = "grijze_druk"
name = "Grijze druk"
description = "Aantal 65-plussers per 100 personen van 20 tot 65 jaar."
unit = "%"
direction = "neutral"
source_id = "cbs-70072NED"
cbs = ["Grijze druk"]

[[indicator]]
id = "aandeel_80plus_cbs"
name = "Aandeel 80+ (CBS)"
description = "Percentage inwoners van 80 jaar of ouder volgens CBS."
unit = "%"
direction = "neutral"
source_id = "cbs-70072NED"
cbs = ["80 jaar of ouder"]
''', encoding="utf-8")
    monkeypatch.setattr(catalogue_mod, "CATALOGUE_PATH", extra)
    report = ingest_file(MINI_STATLINE, tmp_datasets, retrieved=RETRIEVED)
    obs = store.read_frame("observations", tmp_datasets)
    assert observation(obs, "grijze_druk", "GM0153", "2025")["value"] == 30.4   # '30,4'
    assert observation(obs, "grijze_druk", "NL01", "2025")["value"] == 35.5
    assert obs[(obs["indicator_id"] == "grijze_druk") & (obs["region_code"] == "GM0164")].empty
    # '80 jaar of ouder' matches the relative (%) column; the count column is population.
    assert observation(obs, "aandeel_80plus_cbs", "GM0153", "2025")["value"] == 5.0
    notes = "\n".join(report.notes)
    assert "kolommen niet geïmporteerd" not in notes
    assert "1 cijfers zijn niet gepubliceerd" in notes


def test_statline_without_table_id_and_provisional(tmp_path: Path, tmp_datasets: Path) -> None:
    path = tmp_path / "kerncijfers twente.csv"
    path.write_bytes(MINI_STATLINE.read_bytes().replace(b'"2025"', b'"2025*"'))
    report = ingest_file(path, tmp_datasets, retrieved=RETRIEVED)
    assert report.source_id == "statline-kerncijfers-twente"
    obs = store.read_frame("observations", tmp_datasets)
    assert set(obs["status"]) == {"voorlopig"}
    source = store.read_frame("sources", tmp_datasets).iloc[0]
    assert source["table_id"] is None or pd.isna(source["table_id"])
    assert source["peildatum"] == date(2025, 1, 1)


STATLINE_BAD = [
    ("geen-getal", lambda b: b.replace(b'"Enschede   ";200', b'"Enschede   ";twee'),
     "'twee' is geen getal", 5, "Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)"),
    ("geen-geheel-aantal", lambda b: b.replace(b'"Enschede   ";200', b'"Enschede   ";200,5'),
     "geen geheel aantal", 5, "Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)"),
    ("periode", lambda b: b.replace(b'"2025";"Hengelo (O.)"', b'"2025 Q9";"Hengelo (O.)"'),
     "onbekende periode '2025 Q9'", 7, "Perioden"),
    ("negatief", lambda b: b.replace(b'"Enschede   ";200', b'"Enschede   ";-200'),
     "negatief aantal inwoners", 5, "Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)"),
    ("dubbel", lambda b: b.replace(b'"Amsterdam"', b'"Enschede"'),
     "meer dan één keer voor (rijen 4, 5)", 5, "Regio's"),
]


@pytest.mark.parametrize("case", STATLINE_BAD, ids=[c[0] for c in STATLINE_BAD])
def test_statline_bad_input(case, tmp_path: Path, tmp_datasets: Path) -> None:
    _id, transform, message, row, column = case
    ingest_file(MINI_2020, tmp_datasets, retrieved=RETRIEVED)
    before = snapshot(tmp_datasets)
    path = tmp_path / MINI_STATLINE.name
    path.write_bytes(transform(MINI_STATLINE.read_bytes()))
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets, retrieved=RETRIEVED)
    assert message in info.value.message
    assert (info.value.row, info.value.column) == (row, column)
    assert snapshot(tmp_datasets) == before


def test_statline_not_utf8(tmp_path: Path, tmp_datasets: Path) -> None:
    path = tmp_path / "70072NED_latin1.csv"
    text = MINI_STATLINE.read_text(encoding="utf-8-sig").replace("Amsterdam", "Súdwest-Fryslân")
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_datasets, retrieved=RETRIEVED)
    assert "UTF-8" in info.value.message
    assert info.value.row == 4
    assert list(tmp_datasets.iterdir()) == []


def test_statline_sniff() -> None:
    head = MINI_STATLINE.read_bytes()
    assert statline.FORMAT.sniff(MINI_STATLINE, head)
    assert not statline.FORMAT.sniff(MINI_2020, MINI_2020.read_bytes())
    assert not statline.FORMAT.sniff(Path("x.csv"), b"ID;RegioS;Perioden;Overgewicht_59\r\n")
    assert detect_format(MINI_STATLINE) is statline.FORMAT


@pytest.mark.parametrize("label, expected", [
    ("2025", ("2025", "definitief")),
    ("2025*", ("2025", "voorlopig")),
    (" 2024JJ00 ", ("2024", "definitief")),
    ("2024 1e kwartaal", ("2024Q1", "definitief")),
    ("2024 2e halfjaar*", ("2024H2", "voorlopig")),
    ("2024 juni", ("2024M06", "definitief")),
])
def test_statline_period(label: str, expected: tuple[str, str]) -> None:
    assert statline.statline_period(label) == expected


def test_statline_period_unknown() -> None:
    with pytest.raises(PeriodError, match="onbekende periode '2024 zomer'"):
        statline.statline_period("2024 zomer")


@pytest.mark.parametrize("header, group", [
    ("Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)", "totaal"),
    ("Bevolking/x/Leeftijd/Leeftijdsgroepen/Jonger dan 5 jaar (aantal)", "0-4"),
    ("Bevolking/x/Leeftijd/Leeftijdsgroepen/25 tot 45 jaar (aantal)", "25-44"),
    ("Bevolking/x/Leeftijd/Leeftijdsgroepen/80 jaar of ouder (aantal)", "80+"),
    ("Bevolking/x/Leeftijd/Leeftijdsgroepen, relatief/80 jaar of ouder (%)", None),
    ("Bevolking/x/Migratieachtergrond/Nederlandse achtergrond (aantal)", None),
])
def test_age_group(header: str, group: str | None) -> None:
    assert statline.age_group(header) == group


def test_catalogue_covers_every_column(cbs_dir: Path) -> None:
    cat = catalogue_mod.load_catalogue()
    for name in (GM_2016, GM_2020):
        header = (cbs_dir / name).read_text(encoding="utf-8").splitlines()[0].split(",")
        for column in header[5:]:
            if column == "Perioden":
                continue
            assert cat.for_cbs_key(column) is not None, column
    assert cat.for_cbs_key("ErnstigOvergewicht") is cat.for_cbs_key("ErnstigOvergewichtObesitas")
    assert cat.for_cbs_key("WekelijkseSporters").indicator_id == "wekelijks_sporter"
    for indicator in cat.indicators.values():
        assert indicator.name and indicator.description.endswith(".")
