"""The indicator catalogue (sources/indicatoren.toml): every indicator has a usable duiding phrase."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.data.catalogue import load_catalogue, phrase_problem
from monitor.data.errors import IngestError


def test_every_catalogue_indicator_has_a_phrase_with_waarde():
    catalogue = load_catalogue()
    assert len(catalogue.indicators) >= 29
    for indicator in catalogue.indicators.values():
        assert indicator.phrase, indicator.indicator_id
        assert "{waarde}" in indicator.phrase, indicator.indicator_id
        assert indicator.row()["phrase"] == indicator.phrase


@pytest.mark.parametrize("indicator_id, value, sentence", [
    ("overgewicht", "51,1%", "In Enschede had 51,1% van de volwassenen overgewicht"),
    ("zware_drinker", "9,0%", "In Enschede was 9,0% van de volwassenen een zware drinker"),
    ("aandeel_65plus", "21,3%", "In Enschede was 21,3% van de inwoners 65 jaar of ouder"),
    ("uren_mantelzorg_per_week", "11,6 uur per week",
     "In Enschede gaven mantelzorgers gemiddeld 11,6 uur per week mantelzorg"),
])
def test_phrases_read_as_a_sentence(indicator_id, value, sentence):
    phrase = load_catalogue().indicators[indicator_id].phrase
    assert "In Enschede " + phrase.format(waarde=value) == sentence


def test_phrase_problems():
    assert phrase_problem(None) is None
    assert phrase_problem("had {waarde} van de volwassenen overgewicht") is None
    assert "{waarde}" in phrase_problem("had 51% van de volwassenen overgewicht")
    assert phrase_problem("had {waarde} van {groep} overgewicht")
    assert phrase_problem("  ")


def test_catalogue_refuses_a_phrase_without_waarde(tmp_path: Path):
    path = tmp_path / "indicatoren.toml"
    path.write_text('[[indicator]]\nid = "x"\nname = "X"\ndescription = "X."\nphrase = "had veel X"\n'
                    'unit = "%"\ndirection = "neutral"\nsource_id = "s"\n', encoding="utf-8")
    with pytest.raises(IngestError, match=r"indicator 'x' in de catalogus: 'phrase' moet \{waarde\} bevatten"):
        load_catalogue(path)
