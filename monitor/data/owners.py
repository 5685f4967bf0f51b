"""Naming owners: a projectleider per project, a themaleider per themalijn, a kpi-eigenaar per KPI
(optional: a KPI without one has its project's projectleider). Only a beheerder names them, on the
Beheer page (:func:`record_owner`) or from a declaration file (:func:`import_declaration`); every
change is an append-only ``owner_events`` event (email NULL removes the owner).

The declaration file is a CSV file (comma or semicolon, UTF-8, as a spreadsheet saves it) with
the columns ``soort`` (project, themalijn or kpi), ``id`` (the project_id, themalijn or kpi_id as
the monitor shows them), ``email`` and optionally ``naam``; an empty ``email`` removes the owner::

    soort;id;email;naam
    themalijn;bestaanszekerheid;a.jansen@enschede.nl;Anja Jansen
    project;kinderarmoede;p.devries@hengelo.nl;Piet de Vries
    kpi;kinderarmoede-gemeenten;;

The whole file is checked before anything is written; any bad row (unknown soort, a project
that is not or no longer in the register, a malformed e-mail address, an address outside the
organisations' mail domains when ``MONITOR_OWNER_DOMAINS`` lists them, a subject named twice)
refuses the whole file with a Dutch message naming the file, row and column. Rows that name the
owner already recorded are left as they are, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from monitor import settings
from monitor.data import events, rights, store
from monitor.data.contract import OWNER_ROLES
from monitor.data.events import ChangeRefused, User
from monitor.domain.owners import EmailError, check_domain, normalise_email, parse_domains

COLUMNS = ("soort", "id", "email", "naam")
MAX_NAME_LENGTH = 200
_SUBJECTS = {"project": ("projects", "project_id", "Onbekend project"),
             "themalijn": ("themalijnen", "themalijn", "Onbekende themalijn"),
             "kpi": ("project_kpis", "kpi_id", "Onbekende KPI")}


@dataclass(frozen=True)
class ImportResult:
    written: int
    unchanged: int


def _subject_ids(subject_type: str, dataset_dir) -> set[str]:
    table, column, _what = _SUBJECTS[subject_type]
    return set(store.read_frame(table, dataset_dir)[column].astype(str))


def _fields(user: User, subject_type: object, subject_id: object, email: object, name: object, note: object,
            known: dict[str, set[str]], current: dict[tuple[str, str], str]) -> dict | None:
    """The fields of one owner event; None when it would change nothing. ChangeRefused (field:
    the column) for a bad value."""
    kind = str(subject_type or "").strip().lower()
    if kind not in OWNER_ROLES:
        raise ChangeRefused(f"'{subject_type}' is geen soort; kies uit {', '.join(OWNER_ROLES)}.", "soort")
    subject = str(subject_id or "").strip()
    if subject not in known[kind]:
        raise ChangeRefused(f"{_SUBJECTS[kind][2]} '{subject}': staat niet (meer) in de monitor "
                            "(verwijderd of verkeerd gespeld).", "id")
    address = None
    if email is not None and str(email).strip():
        try:
            address = normalise_email(email)
            check_domain(address, parse_domains(settings.raw("MONITOR_OWNER_DOMAINS")))
        except EmailError as exc:
            raise ChangeRefused(str(exc), "email") from None
    label = str(name).strip() if name is not None and str(name).strip() else None
    if label is not None and len(label) > MAX_NAME_LENGTH:
        raise ChangeRefused(f"De naam is te lang (hoogstens {MAX_NAME_LENGTH} tekens).", "naam")
    if current.get((kind, subject)) == address:
        return None
    return {"subject_type": kind, "subject_id": subject, "role": OWNER_ROLES[kind], "email": address,
            "name": label if address else None, "note": events._note(note, False, ""),
            "source_id": events.REGISTRATION_SOURCE_ID, "undoes": None, **events._identity(user)}


def _state(dataset_dir) -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    known = {kind: _subject_ids(kind, dataset_dir) for kind in OWNER_ROLES}
    state = rights.owner_state(dataset_dir)
    return known, {(t, s): e for t, s, e in zip(state["subject_type"], state["subject_id"], state["email"])}


def record_owner(user: User, subject_type: str, subject_id: str, email: str | None, name: str | None = None,
                 note: str | None = None, *, dataset_dir: str | Path | None = None,
                 now: datetime | None = None) -> dict:
    """Name (or with ``email`` empty: remove) the owner of a project, themalijn or KPI."""
    rights.check_beheerder(events.check_user(user, dataset_dir))

    def validate(now: datetime) -> dict:
        rights.check_beheerder(user)
        fields = _fields(user, subject_type, subject_id, email, name, note, *_state(dataset_dir))
        if fields is None:
            who = str(email).strip() if email and str(email).strip() else "niemand"
            raise ChangeRefused(f"Eigenaar van '{subject_id}' is al {who}; er is niets gewijzigd.", "email")
        return {**fields, "recorded_at": now}

    return events.record("owner_events", validate, dataset_dir, now)


def read_declaration(path: str | Path) -> list[dict[str, str]]:
    """The rows of a declaration file (keys: COLUMNS; naam may be ""). ChangeRefused names the
    file when it is not a CSV file with the right columns."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ChangeRefused(f"{path.name}: kan niet worden gelezen ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise ChangeRefused(f"{path.name}: geen UTF-8-tekstbestand (sla het op als CSV UTF-8).") from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [str(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise ChangeRefused(f"{path.name}: kolom {', '.join(missing)} ontbreekt (verwacht: {', '.join(COLUMNS)}; "
                            f"gevonden: {', '.join(header) or 'niets'}).")
    reader.fieldnames = header
    rows = []
    for row in reader:
        extra = row.pop(None, None)
        if extra and any(str(v).strip() for v in extra):
            raise ChangeRefused(f"{path.name}, rij {reader.line_num}: meer waarden dan kolommen.")
        rows.append({c: str(row.get(c) or "").strip() for c in COLUMNS} | {"_line": reader.line_num})
    return rows


def import_declaration(user: User, path: str | Path, *, dataset_dir: str | Path | None = None,
                       now: datetime | None = None) -> ImportResult:
    """Import a declaration file (see the module docstring): all rows checked first, under the
    lock; then one owner event per row that changes an owner."""
    path = Path(path)
    rights.check_beheerder(events.check_user(user, dataset_dir))
    rows = read_declaration(path)
    plan: list[dict] = []

    def validate(_now: datetime) -> None:
        plan.clear()
        known, current = _state(dataset_dir)
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            where = f"{path.name}, rij {row['_line']}"
            key = (row["soort"].lower(), row["id"])
            if key in seen:
                raise ChangeRefused(f"{where}, kolom id: '{row['id']}' staat al in rij {seen[key]}.")
            seen[key] = row["_line"]
            try:
                fields = _fields(user, row["soort"], row["id"], row["email"], row["naam"], None, known, current)
            except ChangeRefused as exc:
                raise ChangeRefused(f"{where}, kolom {exc.field}: {exc.message}", exc.field) from None
            if fields is not None:
                plan.append(fields)

    validate(datetime.now())
    with events.dataset_lock(dataset_dir):
        validate(datetime.now())
        fields = list(plan)
    written = 0
    for item in fields:
        try:
            events.record("owner_events", lambda now, item=item: {**item, "recorded_at": now}, dataset_dir, now)
        except events.ChangeNotSaved as exc:
            raise events.ChangeNotSaved(f"{path.name}: {written} van de {len(fields)} wijzigingen vastgelegd, toen: "
                                        f"{exc.message} Importeer het bestand opnieuw: wat al is vastgelegd, blijft "
                                        "zoals het is.") from exc
        written += 1
    return ImportResult(written=written, unchanged=len(rows) - written)
