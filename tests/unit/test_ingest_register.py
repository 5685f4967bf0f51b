"""The project register (sources/twentse-koers-jaarplan-2025.toml) and its importer."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
import tomllib

from monitor.data import store
from monitor.data.errors import IngestError
from monitor.ingest import detect_format, ingest_file
from monitor.ingest.register import FORMAT
from monitor.domain.regions import GEMEENTE_CODES
from tests.helpers import snapshot

REPO = Path(__file__).resolve().parents[2]
REGISTER = REPO / "sources" / "twentse-koers-jaarplan-2025.toml"
BAD = REPO / "tests" / "data" / "register"


@pytest.fixture
def imported(tmp_datasets: Path) -> Path:
    ingest_file(REGISTER, tmp_datasets, retrieved=date(2024, 12, 1))
    return tmp_datasets


def frame(name: str, directory: Path) -> pd.DataFrame:
    return store.read_frame(name, directory)



# --- recognising the file ----------------------------------------------------------------------

def test_register_is_recognised_and_other_toml_is_not():
    assert detect_format(REGISTER) is FORMAT
    for other in ("indicatoren.toml", "bronnen.toml"):
        path = REPO / "sources" / other
        if path.exists():
            assert not FORMAT.sniff(path, path.read_bytes()[:65536])
    assert not FORMAT.sniff(Path("x.csv"), b"[register]\n")


# --- projects ------------------------------------------------------------------------------------

def test_29_projects_per_themalijn(imported):
    projects = frame("projects", imported)
    assert len(projects) == 29
    assert projects["project_id"].is_unique
    assert projects.groupby("themalijn").size().to_dict() == {
        "bestaanszekerheid": 7, "preventie-en-gezondheid": 8, "mentale-gezondheid": 4, "ouderen": 10,
    }
    assert set(projects["source_id"]) == {"tk-jaarplan-2025"}


@pytest.mark.parametrize("project_id, start, expected", [
    ("maatwerk-multiproblematiek", "Initiatie", "Voorbereiding"),   # "Vorbereidingsfase" typo
    ("doorstroom-wlz", "Borging", "Borging"),
    ("kinderarmoede", "Definitie", "Realisatie"),
    ("welzijn-op-recept", "Realisatie", "Borging"),
    ("gezonde-koers-kinderen", "Voorbereiding", "Realisatie"),
    ("alcoholontmoediging", "Definitie", "Voorbereiding"),
    ("mentale-gezondheid-jongeren", "Ontwerp", "Realisatie"),
    ("technologie-in-woningen", "Definitie", "Voorbereiding"),
])
def test_real_phases_are_normalised(imported, project_id, start, expected):
    plans = frame("project_plans", imported).set_index("project_id")
    assert plans.loc[project_id, "phase_start"] == start
    assert plans.loc[project_id, "phase_expected"] == expected
    assert plans.loc[project_id, "plan_year"] == 2025
    assert (plans.loc[project_id, "plan_start"], plans.loc[project_id, "plan_end"]) == (date(2025, 1, 1),
                                                                                       date(2025, 12, 31))


def test_only_technologie_in_woningen_has_a_parent(imported):
    projects = frame("projects", imported)
    with_parent = projects[projects["parent_project_id"].notna()]
    assert with_parent[["project_id", "parent_project_id"]].values.tolist() == [
        ["technologie-in-woningen", "wonen-en-zorg"]]


def test_doelstelling_and_speerpunten(imported):
    projects = frame("projects", imported).set_index("project_id")
    beweging = projects.loc["in-beweging-met", "doelstelling"]
    assert beweging.startswith("1. Eind 2025") and "\n2. Eind 2026" in beweging
    assert len(projects.loc["kinderarmoede", "speerpunten"]) == 6
    assert projects.loc["welzijn-op-recept", "name"] == "Welzijn op recept"
    assert all(len(s) > 0 for s in projects["speerpunten"])


def test_every_project_has_a_start_event(imported):
    projects = frame("projects", imported)
    events = frame("phase_events", imported)
    assert len(events) == 29
    assert set(events["project_id"]) == set(projects["project_id"])
    assert (events["effective_date"] == date(2025, 1, 1)).all()
    assert (events["recorded_by"] == "Jaarplan 2025").all()
    assert (events["note"] == "Fase op 01-01-2025 volgens het Jaarplan 2025").all()
    recorded = pd.Timestamp(datetime(2024, 12, 1, tzinfo=timezone.utc))
    assert (events["recorded_at"] == recorded).all()
    merged = events.merge(frame("project_plans", imported), on="project_id")
    assert (merged["phase"] == merged["phase_start"]).all()
    assert set(events["event_id"]) == {f"{p}-start-2025" for p in projects["project_id"]}


# --- figures, targets, KPIs ----------------------------------------------------------------------

def test_regiobeeld_figures_are_quotes_not_observations(imported):
    """The jaarplan's Regiobeeld figures land in ``quotes`` with their own words and precision;
    ``observations`` gets none of them (a quote is never a point of a measured series)."""
    assert frame("observations", imported).empty
    quotes = frame("quotes", imported).set_index(["indicator_id", "region_code", "subgroup"])
    shown = {key: (row["figure"], row["value"], row["decimals"], None if pd.isna(row["qualifier"]) else row["qualifier"])
             for key, row in quotes.iterrows()}
    assert shown == {
        ("moeite_met_rondkomen", "GG_TWENTE", "totaal"): ("18%", 18, 0, None),
        ("overgewicht", "GG_TWENTE", "totaal"): ("56%", 56, 0, None),
        ("zware_drinker", "GG_TWENTE", "totaal"): ("12%", 12, 0, None),
        ("zware_drinker", "NL01", "totaal"): ("10%", 10, 0, None),
        ("eenzaam_65plus", "GG_TWENTE", "65+"): ("meer dan 50%", 50, 0, "meer dan"),
        ("werkenden_zorg_welzijn", "GG_TWENTE", "totaal"): ("55.400", 55400, 0, None),
        ("pensioen_zorg_welzijn_10jr", "GG_TWENTE", "totaal"): ("25%", 25, 0, None),
    }
    assert set(quotes["quoted_source"]) == {"Regiobeeld"} and set(quotes["quoted_edition"]) == {"2023"}
    assert set(quotes["cited_in"]) == {"Jaarplan 2025"} and set(quotes["source_id"]) == {"tk-jaarplan-2025"}
    assert all(figure in sentence for figure, sentence in zip(quotes["figure"], quotes["sentence"]))


def test_indicators_of_the_register_and_from_the_catalogue(imported):
    ind = frame("indicators", imported).set_index("indicator_id")
    assert ind.loc["moeite_met_rondkomen", "direction"] == "lower_is_better"
    assert ind.loc["eenzaam_65plus", "themalijn"] == "mentale-gezondheid"
    assert ind.loc["werkenden_zorg_welzijn", "unit"] == "aantal"
    assert ind.loc["pensioen_zorg_welzijn_10jr", "direction"] == "neutral"
    assert ind.loc["moeite_met_rondkomen", "source_id"] == "tk-jaarplan-2025"
    # Referenced but defined in the catalogue: taken from there, with the catalogue's source.
    assert {"overgewicht", "zware_drinker"} <= set(ind.index)
    assert ind.loc["overgewicht", "source_id"] != "tk-jaarplan-2025"


def test_target_moeite_met_rondkomen(imported):
    targets = frame("targets", imported)
    assert len(targets) == 1
    t = targets.iloc[0]
    assert (t["indicator_id"], t["region_code"], t["comparator"], t["target_value"]) == \
        ("moeite_met_rondkomen", "GG_TWENTE", "<", 17)
    assert t["deadline"] == date(2026, 12, 31)
    assert (t["baseline_value"], t["baseline_period"]) == (18, "2023")


@pytest.mark.parametrize("project_id, unit, value, deadline", [
    ("participatie-naar-vermogen", "aantal", 100, date(2025, 12, 31)),
    ("respijtzorg", "aantal", 7, date(2025, 12, 31)),
    ("alcoholontmoediging", "%", 25, date(2026, 12, 31)),
    ("gezond-zelfredzaam-ouder-worden", "%", 25, date(2025, 6, 30)),
    ("jongeren-en-schulden", "aantal", 5, date(2025, 12, 31)),
    ("samenwerken-in-de-wijk", "aantal", 4, date(2025, 12, 31)),
    ("doorstroom-wlz", "aantal", 3, date(2025, 12, 31)),
    ("kinderarmoede", "aantal", 14, date(2026, 12, 31)),
    ("artificial-intelligence", "aantal", 1, date(2025, 12, 31)),
])
def test_kpis(imported, project_id, unit, value, deadline):
    kpis = frame("project_kpis", imported)
    mine = kpis[kpis["project_id"] == project_id]
    assert len(mine) == 1
    row = mine.iloc[0]
    assert (row["unit"], row["target_value"], row["deadline"]) == (unit, value, deadline)


def test_kpis_deskundigheidsbevordering(imported):
    kpis = frame("project_kpis", imported)
    values = sorted(kpis.loc[kpis["project_id"] == "deskundigheidsbevordering-ho", "target_value"])
    assert values == [20, 5000]
    assert kpis["kpi_id"].is_unique
    assert set(kpis["project_id"]) <= set(frame("projects", imported)["project_id"])


# --- local assignments -------------------------------------------------------------------------

def test_local_assignments(imported):
    la = frame("local_assignments", imported).set_index(["region_code", "project_id"])
    assert "moeder-kind cafés" in la.loc[("GM0147", "kansrijke-start"), "description"]
    assert ("GM0141", "versterken-zelfstandigheid-lvb") in la.index
    # Dinkelland and Tubbergen (Noaberkracht) each get the same entries.
    dinkelland = la.loc["GM1774"]
    tubbergen = la.loc["GM0183"]
    assert len(dinkelland) >= 1
    assert dinkelland["description"].to_dict() == tubbergen["description"].to_dict()
    assert ("GM0164", "samenwerken-in-de-wijk") in la.index
    assert ("GG_TWENTE", "kansrijke-start") in la.index
    # Every gemeente has at least one assignment (the jaarplan has one for each).
    regions = set(la.index.get_level_values(0))
    assert set(GEMEENTE_CODES) <= regions
    assert regions <= set(GEMEENTE_CODES) | {"GG_TWENTE"}


# --- re-import -----------------------------------------------------------------------------------

def test_same_file_twice_changes_nothing(imported):
    before = snapshot(imported)
    report = ingest_file(REGISTER, imported, retrieved=date(2024, 12, 2))
    assert not report.changed
    assert snapshot(imported) == before


# --- the transcription is faithful -----------------------------------------------------------------

def test_transcription_matches_the_jaarplan(shared_dir):
    jaarplan = (shared_dir / "seeds" / "twentse-koers-jaarplan-2025.txt").read_text(encoding="utf-8")
    flat = re.sub(r"\s+", " ", jaarplan)
    data = tomllib.loads(REGISTER.read_text(encoding="utf-8"))

    def verbatim(text: str) -> bool:
        return re.sub(r"\s+", " ", text) in flat

    for project in data["project"]:
        # The phase-table row, exactly as printed (a corrected name keeps the printed one in source_name).
        printed = project.get("source_name", project["name"])
        assert f"{printed}\t{project['phase_start']}\t{project['phase_expected']}" in jaarplan
        for line in project["doelstelling"].splitlines():
            assert verbatim(line), (project["id"], line)
        for speerpunt in project["speerpunten"]:
            assert verbatim(speerpunt), (project["id"], speerpunt)
    for kind in ("quote", "target", "kpi"):
        for entry in data.get(kind, []):
            assert verbatim(entry["quote"]), (kind, entry["quote"])
    for entry in data["local_assignment"]:
        for piece in re.split(r"(?<=[.;:]) ", entry["description"]):
            assert verbatim(piece.rstrip(".;")), (entry["region"], entry["project"], piece)


# --- bad registers -------------------------------------------------------------------------------

def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


@pytest.mark.parametrize("name, needle, column, message", [
    ("onbekende-fase.toml", 'phase_start = "Uitvoeringsfase"', "phase_start", "onbekende fase 'Uitvoeringsfase'"),
    ("dubbel-project.toml", 'name = "Valpreventie (nogmaals)"', "id", "komt twee keer voor"),
    ("onbekend-project.toml", 'project = "kansrijke-start"', "project", "onbekend project 'kansrijke-start'"),
    ("syntaxfout.toml", 'phase_start = "Vorbereidingsfase', None, "geen geldige TOML"),
])
def test_bad_register_names_line_and_changes_nothing(imported, name, needle, column, message):
    path = BAD / name
    before = snapshot(imported)
    with pytest.raises(IngestError) as info:
        ingest_file(path, imported)
    err = info.value
    assert message in err.message
    assert err.file == str(path)
    assert err.column == column
    expected = _line_of(path, needle)
    if name == "dubbel-project.toml":
        expected -= 1  # the duplicate 'id' line directly above the name
    assert err.row == expected
    assert f"rij {expected}" in str(err)
    assert snapshot(imported) == before


# --- themalijnen -----------------------------------------------------------------------------------

HEADLINES = {
    "bestaanszekerheid": ["moeite_met_rondkomen"],
    "preventie-en-gezondheid": ["overgewicht", "zware_drinker", "voldoet_beweegrichtlijn"],
    "mentale-gezondheid": ["eenzaam_65plus"],
    "ouderen": ["aandeel_65plus", "mantelzorger", "zwaar_belaste_mantelzorger", "werkenden_zorg_welzijn"],
}


def test_four_themalijnen_with_ambition_and_headline_indicators(imported):
    themalijnen = frame("themalijnen", imported).set_index("themalijn")
    assert sorted(themalijnen.index) == sorted(HEADLINES)
    assert {t: list(v) for t, v in themalijnen["headline_indicators"].items()} == HEADLINES
    assert themalijnen.loc["preventie-en-gezondheid", "name"] == "Preventie & gezondheid"
    assert set(themalijnen["source_id"]) == {"tk-jaarplan-2025"}
    bestaan = themalijnen.loc["bestaanszekerheid"]
    assert bestaan["ambition"].startswith("Binnen de themalijn Bestaanszekerheid richten we ons op")
    assert "In Twente blijft de welvaart achter" in bestaan["ambition"]
    assert "willen we onder de 17% uitkomen." in bestaan["ambition"]
    assert bestaan["ambition_short"] == ("Met een versterkte regionale samenwerking en gepaste regelingen "
                                         "willen we onder de 17% uitkomen.")
    for row in themalijnen.itertuples():
        assert row.ambition_short in row.ambition
        assert "\n\n" in row.ambition  # paragraphs kept
        assert "\n" not in row.ambition_short


def test_headline_indicators_are_in_the_indicators_table(imported):
    indicators = set(frame("indicators", imported)["indicator_id"])
    for ids in frame("themalijnen", imported)["headline_indicators"]:
        assert set(ids) <= indicators


def test_ambitions_are_verbatim(shared_dir):
    jaarplan = (shared_dir / "seeds" / "twentse-koers-jaarplan-2025.txt").read_text(encoding="utf-8")
    lines = {line.strip() for line in jaarplan.splitlines()}
    data = tomllib.loads(REGISTER.read_text(encoding="utf-8"))
    assert len(data["themalijn"]) == 4
    for entry in data["themalijn"]:
        paragraphs = [p.strip() for p in entry["ambition"].strip().split("\n\n")]
        for paragraph in paragraphs:
            assert paragraph in lines, (entry["id"], paragraph[:60])
        # The whole introduction: the paragraph after the last one is the ambition figure's caption.
        following = jaarplan[jaarplan.index(paragraphs[-1]) + len(paragraphs[-1]):].lstrip()
        assert following.startswith("In het figuur hieronder staat de ambitie"), entry["id"]
        assert entry["ambition_short"] in paragraphs[0] + " " + " ".join(paragraphs[1:])


# --- duiding phrases -------------------------------------------------------------------------------

def test_indicators_carry_their_phrase(imported):
    ind = frame("indicators", imported).set_index("indicator_id")
    assert ind["phrase"].notna().all()
    assert ind["phrase"].str.contains("{waarde}", regex=False).all()
    sentence = "In Twente " + ind.loc["moeite_met_rondkomen", "phrase"].format(waarde="18%")
    assert sentence == "In Twente had 18% van de inwoners moeite met rondkomen"
    assert ind.loc["eenzaam_65plus", "phrase"] == "voelde {waarde} van de 65-plussers zich matig tot ernstig eenzaam"
    assert ind.loc["werkenden_zorg_welzijn", "phrase"] == "werkten {waarde} mensen in zorg en welzijn"
    # Borrowed from the catalogue, with the catalogue's phrase.
    assert ind.loc["overgewicht", "phrase"] == "had {waarde} van de volwassenen overgewicht"


# --- bad themalijn and phrase entries ----------------------------------------------------------------

def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = REGISTER.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "register.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, needle, column, message", [
    ('phrase = "had {waarde} van de inwoners moeite met rondkomen"',
     'phrase = "had 18% van de inwoners moeite met rondkomen"',
     'phrase = "had 18%', "phrase", "'phrase' moet {waarde} bevatten"),
    ('headline_indicators = ["moeite_met_rondkomen"]', 'headline_indicators = ["geluksindex"]',
     'headline_indicators = ["geluksindex"]', "headline_indicators", "onbekende indicator 'geluksindex'"),
    ('headline_indicators = ["eenzaam_65plus"]', 'headline_indicators = []',
     "headline_indicators = []", "headline_indicators", "niet-lege lijst"),
    ('ambition_short = "Vanuit de themalijn Preventie & gezondheid streven we naar een gezondere Twentse bevolking."',
     'ambition_short = "We streven naar een gezondere Twentse bevolking."',
     'ambition_short = "We streven', "ambition_short", "letterlijk een zin uit 'ambition'"),
    ('id = "mentale-gezondheid"\n', 'id = "jeugd"\n', 'id = "jeugd"', "id", "onbekende themalijn 'jeugd'"),
])
def test_bad_themalijn_or_phrase_names_line_and_changes_nothing(imported, tmp_path, old, new, needle, column,
                                                                 message):
    path = _variant(tmp_path, old, new)
    before = snapshot(imported)
    with pytest.raises(IngestError) as info:
        ingest_file(path, imported)
    err = info.value
    assert message in err.message
    assert err.column == column
    assert err.row == _line_of(path, needle)
    assert snapshot(imported) == before
