"""Region codes and the names under which sources publish them.

The monitor keys every figure by a code: the CBS gemeente code (GM0153), ``GG_TWENTE`` for
the GGD region Twente, ``PV_OVERIJSSEL`` for the province and ``NL01`` for Nederland.
Sources use names, and not always the same ones; ``code_for_name`` maps them.
"""

from __future__ import annotations

import re
import unicodedata

TWENTE_GEMEENTEN: dict[str, str] = {
    "GM0141": "Almelo",
    "GM0147": "Borne",
    "GM1774": "Dinkelland",
    "GM0153": "Enschede",
    "GM0158": "Haaksbergen",
    "GM0163": "Hellendoorn",
    "GM0164": "Hengelo",
    "GM1735": "Hof van Twente",
    "GM0168": "Losser",
    "GM0173": "Oldenzaal",
    "GM1742": "Rijssen-Holten",
    "GM0183": "Tubbergen",
    "GM1700": "Twenterand",
    "GM0189": "Wierden",
}

TWENTE = "GG_TWENTE"
OVERIJSSEL = "PV_OVERIJSSEL"
NEDERLAND = "NL01"

# (region_code, name, level, parent_code) for the regions table, in display order.
REGION_ROWS: list[tuple[str, str, str, str | None]] = [
    (NEDERLAND, "Nederland", "land", None),
    (OVERIJSSEL, "Overijssel", "provincie", NEDERLAND),
    (TWENTE, "Twente (GGD-regio)", "ggd_regio", OVERIJSSEL),
] + [(code, name, "gemeente", TWENTE) for code, name in sorted(TWENTE_GEMEENTEN.items(), key=lambda kv: kv[1])]

# Twente as the kind of region that produced a figure (observations.region_kind): the same 14
# gemeenten, but a COROP figure is not the GGD's. The name a legend, table and source line show.
TWENTE_NAMES: dict[str, str] = {
    "ggd_regio": "Twente (GGD-regio)",
    "corop": "Twente (COROP-gebied)",
    "jeugdzorgregio": "Twente (jeugdzorgregio)",
    "vt_regio": "Twente (Veilig Thuis-regio)",
    "arbeidsmarktregio": "Twente (arbeidsmarktregio)",
}


def twente_name(kind: str | None) -> str:
    """The name of Twente as the region of ``kind`` that produced a figure.

    >>> twente_name("corop")
    'Twente (COROP-gebied)'
    >>> twente_name(None)
    'Twente (GGD-regio)'
    """
    return TWENTE_NAMES.get(kind or "ggd_regio", TWENTE_NAMES["ggd_regio"])


def twente_names_of(rows, known_only: bool = False) -> list[str]:
    """The names of Twente for the Twente rows of ``rows`` (columns region_code and, when the
    data have it, region_kind), in order of first appearance; [] without Twente rows.
    ``known_only``: only where the data say which Twente region it is (a source line claims
    nothing the data do not say)."""
    if rows is None or len(rows) == 0 or "region_code" not in rows:
        return []
    mine = rows[rows["region_code"] == TWENTE]
    if mine.empty:
        return []
    if "region_kind" in mine:
        kinds = [k if isinstance(k, str) else None for k in mine["region_kind"]]
        return list(dict.fromkeys(twente_name(k) for k in kinds if k is not None or not known_only))
    if "region_name" in mine and not known_only:
        return list(dict.fromkeys(n for n in mine["region_name"] if n in TWENTE_NAMES.values()))
    return []


def twente_focus_name(rows) -> str:
    """The name under which ``rows`` show Twente (the first, if there are several): what a
    sentence about Twente's figure calls it."""
    names = twente_names_of(rows)
    return names[0] if names else TWENTE_NAMES["ggd_regio"]


def title_with_twente(title: str, rows) -> str:
    """A source title followed by the Twente region(s) its Twente figures in ``rows`` come from,
    for the source line under a figure: 'CBS 81064NED · Twente (COROP-gebied)'.

    >>> import pandas as pd
    >>> title_with_twente("CBS 81064NED", pd.DataFrame({"region_code": ["GG_TWENTE"], "region_kind": ["corop"]}))
    'CBS 81064NED · Twente (COROP-gebied)'
    >>> title_with_twente("CBS 70072NED", pd.DataFrame({"region_code": ["GM0153"], "region_kind": ["gemeente"]}))
    'CBS 70072NED'
    """
    names = twente_names_of(rows, known_only=True)
    return " · ".join([title, *names]) if names else title


# Names as sources publish them. Keys are normalised with ``_norm``.
_ALIASES: dict[str, str] = {
    "nederland": NEDERLAND,
    "nl01": NEDERLAND,
    "overijssel": OVERIJSSEL,
    "overijssel (pv)": OVERIJSSEL,
    "pv23": OVERIJSSEL,  # CBS province code (PV20 Groningen, PV21 Fryslân, PV22 Drenthe, PV23 Overijssel)
    "twente": TWENTE,
    "regio twente": TWENTE,
    "twente (ggd-regio)": TWENTE,
    "ggd twente": TWENTE,
    "ggd twente (gg)": TWENTE,
    "ggd regio twente": TWENTE,
    "ggd regio twente (gg)": TWENTE,
    # CBS RegioS code of the GGD region Twente (GG1413 is GGD Noord- en Oost-Gelderland, not Twente).
    "gg1106": TWENTE,
    "hengelo (o.)": "GM0164",
    "hengelo (o)": "GM0164",
    "hengelo (ov.)": "GM0164",
}
for _code, _name in TWENTE_GEMEENTEN.items():
    _ALIASES[_name.lower()] = _code
    _ALIASES[_code.lower()] = _code
for _code in (TWENTE, OVERIJSSEL):
    _ALIASES[_code.lower()] = _code

# Names that look like a Twente gemeente but are not one. ``Hengelo (Gld.)`` is the village
# in Bronckhorst (a defunct gemeente code in old CBS tables), not Hengelo in Overijssel.
NOT_TWENTE: frozenset[str] = frozenset({"hengelo (gld.)", "hengelo (gld)", "hengelo (gelderland)"})


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFC", str(name)).strip().lower()
    return re.sub(r"\s+", " ", text)


def code_for_name(name: str) -> str | None:
    """The region code for a name or code as a source writes it, or None if unknown.

    >>> code_for_name("Hengelo (O.)")
    'GM0164'
    >>> code_for_name("GGD Regio Twente (GG)")
    'GG_TWENTE'
    >>> code_for_name("Hengelo (Gld.)") is None
    True
    """
    key = _norm(name)
    if key in NOT_TWENTE:
        return None
    return _ALIASES.get(key)


def region_name(code: str) -> str:
    for row_code, name, _level, _parent in REGION_ROWS:
        if row_code == code:
            return name
    return code


def regions_text(codes, rows=None) -> str:
    """The regions' names, comma separated; Twente named as the region that produced the
    figures in ``rows`` ('Twente (COROP-gebied)' for a COROP figure).

    >>> regions_text(["GM0153", "NL01"])
    'Enschede, Nederland'
    """
    twente = twente_focus_name(rows) if rows is not None else region_name(TWENTE)
    return ", ".join(twente if c == TWENTE else region_name(c) for c in codes)


GEMEENTE_CODES: tuple[str, ...] = tuple(code for code, _n, level, _p in REGION_ROWS if level == "gemeente")
KNOWN_CODES: frozenset[str] = frozenset(code for code, *_ in REGION_ROWS)
