"""Peer groups of gemeenten by CBS's classification (size class and urbanity), on a synthetic
classification whose classes are CBS 85385NED's own names."""

from __future__ import annotations

import pandas as pd
import pytest

from monitor.domain.peers import MIN_GROUP, peer_group, rule_description, size_phrase

BIG = "150 000 tot 250 000 inwoners"
MID = "50 000 tot 100 000 inwoners"
SMALL = "20 000 tot 50 000 inwoners"


def classification() -> pd.DataFrame:
    rows = [
        # 6 big and sterk stedelijk, Enschede among them
        ("GM0153", "Enschede", 7, BIG, 2, "Sterk stedelijk"),
        ("GM0001", "Stad A", 7, BIG, 2, "Sterk stedelijk"),
        ("GM0002", "Stad B", 7, BIG, 2, "Sterk stedelijk"),
        ("GM0003", "Stad C", 7, BIG, 2, "Sterk stedelijk"),
        ("GM0004", "Stad D", 7, BIG, 2, "Sterk stedelijk"),
        ("GM0005", "Stad E", 7, BIG, 2, "Sterk stedelijk"),
        ("GM0006", "Stad F", 7, BIG, 1, "Zeer sterk stedelijk"),
        # 3 mid-size sterk stedelijk (Hengelo): too few, widens to size class
        ("GM0164", "Hengelo", 5, MID, 2, "Sterk stedelijk"),
        ("GM0011", "Midden A", 5, MID, 2, "Sterk stedelijk"),
        ("GM0012", "Midden B", 5, MID, 2, "Sterk stedelijk"),
        ("GM0013", "Midden C", 5, MID, 3, "Matig stedelijk"),
        ("GM0014", "Midden D", 5, MID, 4, "Weinig stedelijk"),
        # Tubbergen: small and niet stedelijk, alone in its size class too
        ("GM0183", "Tubbergen", 4, SMALL, 5, "Niet stedelijk"),
    ]
    return pd.DataFrame(rows, columns=["region_code", "region_name", "size_class", "size_class_name",
                                       "urbanity", "urbanity_name"])


def test_default_rule_is_same_size_class_and_urbanity():
    group = peer_group(classification(), "GM0153")
    assert group.rule == "standaard" and not group.widened and group.notice is None
    assert group.members == ("GM0153", "GM0001", "GM0002", "GM0003", "GM0004", "GM0005")
    assert "GM0006" not in group.members  # same size, other urbanity
    assert group.description == "gemeenten met 150.000–250.000 inwoners en sterk stedelijk (n = 6)"


def test_widenings_by_choice():
    frame = classification()
    assert peer_group(frame, "GM0153", "grootte").size == 7
    assert peer_group(frame, "GM0153", "stedelijkheid").members == (
        "GM0153", "GM0164", "GM0011", "GM0012", "GM0001", "GM0002", "GM0003", "GM0004", "GM0005")
    assert peer_group(frame, "GM0153", "stedelijkheid").description == "sterk stedelijke gemeenten (n = 9)"
    everyone = peer_group(frame, "GM0153", "alle")
    assert everyone.size == len(frame) and everyone.description == "alle gemeenten van Nederland (n = 13)"


def test_a_group_too_small_widens_and_says_so():
    group = peer_group(classification(), "GM0164")
    assert group.requested == "standaard" and group.rule == "grootte" and group.widened
    assert group.size == 5 and group.size >= MIN_GROUP
    assert group.notice == ("Te weinig gemeenten met zelfde grootte en stedelijkheid (n = 3, minimaal 5): "
                            "vergeleken met zelfde grootteklasse.")
    assert group.description == "gemeenten met 50.000–100.000 inwoners (n = 5)"
    # alone in its size class: widened twice, to all gemeenten
    alone = peer_group(classification(), "GM0183")
    assert alone.rule == "alle" and alone.size == 13
    assert "vergeleken met alle gemeenten" in alone.notice


def test_picked_gemeenten_always_include_the_gemeente_and_say_when_small():
    group = peer_group(classification(), "GM0153", "gekozen", picked=["GM0164", "GM9999", "GM0183"])
    assert group.members == ("GM0153", "GM0164", "GM0183")  # unknown code left out
    assert group.rule == "gekozen" and not group.widened and group.too_small
    assert group.notice.startswith("Een kleine groep (n = 3)")
    assert group.description == "zelf gekozen gemeenten (n = 3)"


def test_unknown_gemeente_or_rule_is_refused():
    with pytest.raises(ValueError, match="Onbekende gemeente"):
        peer_group(classification(), "GM9999")
    with pytest.raises(ValueError, match="Onbekende regel"):
        peer_group(classification(), "GM0153", "buren")


def test_size_classes_as_written():
    assert size_phrase("minder dan 5 000 inwoners") == "minder dan 5.000 inwoners"
    assert size_phrase("5 000 tot 10 000 inwoners") == "5.000–10.000 inwoners"
    assert rule_description("standaard", "100 000 tot 150 000 inwoners", "Sterk stedelijk", 12) == (
        "gemeenten met 100.000–150.000 inwoners en sterk stedelijk (n = 12)")
