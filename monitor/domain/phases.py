"""Project phases (TwynstraGudde): names, order and normalisation of how documents write them."""

from __future__ import annotations

import re

# The six phases in order (projects.phase, phase_events.phase).
PHASES: tuple[str, ...] = (
    "Initiatie",
    "Definitie",
    "Ontwerp",
    "Voorbereiding",
    "Realisatie",
    "Borging",
)

_ALIASES = {
    "initiatie": "Initiatie",
    "definitie": "Definitie",
    "ontwerp": "Ontwerp",
    "voorbereiding": "Voorbereiding",
    "vorbereiding": "Voorbereiding",  # the jaarplan 2025's own typo ("Vorbereidingsfase")
    "realisatie": "Realisatie",
    "borging": "Borging",
}


def normalise_phase(raw: object) -> str | None:
    """The phase name for how a document writes it, or None when it is not a phase.

    >>> normalise_phase("Realisatiefase")
    'Realisatie'
    >>> normalise_phase("Vorbereidingsfase")
    'Voorbereiding'
    >>> normalise_phase("Uitvoering") is None
    True
    """
    if raw is None:
        return None
    text = re.sub(r"\s+", "", str(raw)).lower()
    text = re.sub(r"s?fase$", "", text)
    return _ALIASES.get(text)


def phase_rank(phase: str) -> int:
    """0 for Initiatie … 5 for Borging."""
    return PHASES.index(phase)
