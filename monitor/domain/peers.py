"""Comparable gemeenten: the peer group of a gemeente by CBS's classification of gemeenten.

Pure functions, no Streamlit. The classification is CBS Gebieden in Nederland (85385NED): each
gemeente has a size class (``size_class``, e.g. "150 000 tot 250 000 inwoners") and an urbanity
class (``urbanity``, "Zeer sterk stedelijk" … "Niet stedelijk").

Rules (:data:`RULES`; the Dutch names are shown on the Vergelijken page):

- ``standaard``: the gemeenten with the same size class AND the same urbanity (the default);
- ``grootte``: the same size class only;
- ``stedelijkheid``: the same urbanity only;
- ``alle``: every gemeente of the Netherlands;
- ``gekozen``: the gemeenten a user picked (the gemeente itself is always in the group).

A group counts the gemeente itself. A group of fewer than :data:`MIN_GROUP` gemeenten is too
small to compare with: a rule the monitor chose widens (standaard → grootte → alle, stedelijkheid
→ alle), and the group says so; a picked group is never changed, it says that it is small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

MIN_GROUP = 5

RULES: dict[str, str] = {
    "standaard": "zelfde grootte en stedelijkheid",
    "grootte": "zelfde grootteklasse",
    "stedelijkheid": "zelfde stedelijkheid",
    "alle": "alle gemeenten",
    "gekozen": "zelf gekozen gemeenten",
}

# The next, wider rule when a group is too small.
WIDER: dict[str, str] = {"standaard": "grootte", "grootte": "alle", "stedelijkheid": "alle"}

CLASSIFICATION_COLUMNS = ("region_code", "region_name", "size_class", "size_class_name",
                          "urbanity", "urbanity_name")


@dataclass(frozen=True)
class PeerGroup:
    """A gemeente's peer group: who is in it, by which rule, and the rule in Dutch."""

    gemeente: str                 # region code of the gemeente compared
    gemeente_name: str
    rule: str                     # the rule that made the group (after any widening)
    requested: str                # the rule asked for
    members: tuple[str, ...]      # region codes, the gemeente itself included, by name
    description: str              # "gemeenten met 150.000–250.000 inwoners en sterk stedelijk (n = 12)"
    notice: str | None = None     # Dutch: why the group was widened, or that it is small

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def widened(self) -> bool:
        return self.rule != self.requested

    @property
    def too_small(self) -> bool:
        return self.size < MIN_GROUP


def size_phrase(size_class_name: str) -> str:
    """CBS's size class as a reader writes it: thousands with a dot, a range with a dash.

    >>> size_phrase("150 000 tot 250 000 inwoners")
    '150.000–250.000 inwoners'
    >>> size_phrase("minder dan 5 000 inwoners")
    'minder dan 5.000 inwoners'
    >>> size_phrase("250 000 inwoners of meer")
    '250.000 inwoners of meer'
    """
    text = re.sub(r"(?<=\d)[\s\u00a0.](?=\d{3}\b)", ".", str(size_class_name).strip())
    return re.sub(r"(\d[\d.]*) tot (\d[\d.]*)", r"\1–\2", text)


def urbanity_phrase(urbanity_name: str) -> str:
    """'Sterk stedelijk' → 'sterk stedelijk'."""
    text = str(urbanity_name).strip()
    return text[:1].lower() + text[1:]


def rule_description(rule: str, size_class_name: str | None, urbanity_name: str | None, n: int) -> str:
    """The rule in Dutch with the group's size.

    >>> rule_description("standaard", "100 000 tot 150 000 inwoners", "Sterk stedelijk", 12)
    'gemeenten met 100.000–150.000 inwoners en sterk stedelijk (n = 12)'
    >>> rule_description("stedelijkheid", None, "Niet stedelijk", 49)
    'niet stedelijke gemeenten (n = 49)'
    """
    if rule == "standaard":
        text = f"gemeenten met {size_phrase(size_class_name)} en {urbanity_phrase(urbanity_name)}"
    elif rule == "grootte":
        text = f"gemeenten met {size_phrase(size_class_name)}"
    elif rule == "stedelijkheid":
        text = f"{urbanity_phrase(urbanity_name)}e gemeenten"
    elif rule == "alle":
        text = "alle gemeenten van Nederland"
    elif rule == "gekozen":
        text = "zelf gekozen gemeenten"
    else:
        raise ValueError(f"Onbekende regel voor vergelijkbare gemeenten: {rule!r}")
    return f"{text} (n = {n})"


def _members(classification: pd.DataFrame, own: dict, rule: str, picked: tuple[str, ...]) -> pd.DataFrame:
    frame = classification
    if rule == "standaard":
        keep = (frame["size_class"] == own["size_class"]) & (frame["urbanity"] == own["urbanity"])
    elif rule == "grootte":
        keep = frame["size_class"] == own["size_class"]
    elif rule == "stedelijkheid":
        keep = frame["urbanity"] == own["urbanity"]
    elif rule == "alle":
        keep = pd.Series(True, index=frame.index)
    else:
        keep = frame["region_code"].isin(set(picked) | {own["region_code"]})
    return frame[keep.fillna(False)]


def peer_group(classification: pd.DataFrame, gemeente: str, rule: str = "standaard",
               picked: tuple[str, ...] | list[str] = (), min_group: int = MIN_GROUP) -> PeerGroup:
    """The peer group of ``gemeente`` (a region code) under ``rule``.

    ``classification``: one row per gemeente with :data:`CLASSIFICATION_COLUMNS`. ``picked``:
    region codes for the rule ``gekozen`` (unknown codes are left out). A missing class of the
    gemeente itself counts as a group of one, which then widens.
    Raises ValueError for an unknown gemeente or rule.
    """
    if rule not in RULES:
        raise ValueError(f"Onbekende regel voor vergelijkbare gemeenten: {rule!r}")
    rows = classification[classification["region_code"] == gemeente]
    if rows.empty:
        raise ValueError(f"Onbekende gemeente: {gemeente!r}")
    own = rows.iloc[0].to_dict()
    requested, current, notice = rule, rule, None
    members = _members(classification, own, current, tuple(picked))
    while len(members) < min_group and current in WIDER:
        small = len(members)
        current = WIDER[current]
        members = _members(classification, own, current, tuple(picked))
        notice = (f"Te weinig gemeenten met {RULES[requested]} (n = {small}, minimaal {min_group}): "
                  f"vergeleken met {RULES[current]}.")
    if len(members) < min_group:
        notice = (f"Een kleine groep (n = {len(members)}): met minder dan {min_group} gemeenten zegt een "
                  "vergelijking weinig.")
    members = members.sort_values("region_name", kind="stable")
    return PeerGroup(
        gemeente=gemeente, gemeente_name=str(own["region_name"]), rule=current, requested=requested,
        members=tuple(members["region_code"].tolist()),
        description=rule_description(current, own.get("size_class_name"), own.get("urbanity_name"),
                                     len(members)),
        notice=notice)
