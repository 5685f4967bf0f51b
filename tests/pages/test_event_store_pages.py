"""AppTest: foreign files and bad rows in datasets/events never take a page down, the valid
events still show, and the Bronnen page names every file left out.
A read-only events folder with the hidden .tmp of a killed recording renders too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from monitor.data import events
from monitor.data.auth import SESSION_KEY, hash_password
from monitor.domain.text import shown_text
from tests.helpers_events import BAD_ROWS, EDITOR, FOREIGN, PROJECT, folder, record_valid
from tests.pages.test_projecten import datasets  # noqa: F401 - a copy as MONITOR_DATASETS
from tests.pages.app import open_page

KPI_PROJECT = "artificial-intelligence"
SECRETS = {"users": {EDITOR.name: {"password_hash": hash_password("correct-horse-battery"), "role": "redacteur",
                                   "email": EDITOR.email}}}


def _open(page: str | None = None, query: dict | None = None, *, url_path: str | None = None,
          user: events.User | None = None) -> AppTest:
    at = open_page(page, query, url_path=url_path, secrets=SECRETS,
                   session={SESSION_KEY: user} if user is not None else None)
    assert not at.error, [e.value for e in at.error]
    return at


def _shown_once(at: AppTest, editor: bool) -> None:
    """The valid recorded phase change (Ontwerp per 01-06-2025) is in the history exactly once."""
    if editor:
        rows = [m.value for m in at.markdown if m.value.startswith("**Ontwerp per 01-06-2025**")]
        assert len(rows) == 1, rows
    else:
        history = next(t.value for t in at.table if "Door" in t.value.columns)
        mine = history[(history["Fase"] == "Ontwerp") & (history["Ingangsdatum"] == "01-06-2025")]
        assert len(mine) == 1, history
        assert [shown_text(cell) for cell in mine["E-mail"]] == ["anna@example.nl"]


def _render_every_page(user: events.User | None = None) -> None:
    """Overzicht, Projecten, the detail of the project and of the KPI with recorded events, and a
    themalijn page: no exception, no error box, the valid change shown once."""
    at = _open()
    assert at.title[0].value == "Overzicht"
    _open("projecten", user=user)
    _shown_once(_open("projecten", {"project": PROJECT}, user=user), editor=user is not None)
    _open("projecten", {"project": KPI_PROJECT}, user=user)
    _open(url_path="preventie-en-gezondheid")


def test_every_page_renders_next_to_every_kind_of_foreign_file_and_bad_row(datasets):
    record_valid(datasets)
    names = {make(datasets) for make in FOREIGN.values()} | {make(datasets)[1] for make in BAD_ROWS.values()}
    names.discard(None)
    _render_every_page()
    _render_every_page(EDITOR)
    bronnen = _open("bronnen")
    shown = next(df.value for df in bronnen.dataframe if "Reden" in df.value.columns)
    assert set(shown["Bestand"]) == names
    assert any("tellen niet mee" in w.value for w in bronnen.warning)


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_the_pages_survive_one_foreign_file(datasets, kind):
    record_valid(datasets)
    FOREIGN[kind](datasets)
    _render_every_page(EDITOR)


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_the_pages_survive_one_bad_row(datasets, kind):
    record_valid(datasets)
    BAD_ROWS[kind](datasets)
    _render_every_page()


def test_bronnen_says_when_nothing_is_left_out(datasets):
    record_valid(datasets)
    at = _open("bronnen")
    assert any("tellen mee" in c.value for c in at.caption)
    assert not any("Reden" in df.value.columns for df in at.dataframe)


def test_a_read_only_events_folder_with_a_leftover_tmp_file_renders_every_page(datasets, monkeypatch):
    """A disk that refuses every write (read-only or full) and the hidden .tmp file of a killed
    recording: reading must neither remove the file nor take the lock, so every page renders.
    (The writes are refused in the process, as the tests run as root, for whom chmod is no limit.)"""
    record_valid(datasets)
    leftover = folder(datasets) / f".{events._new_name()}.parquet.tmp"
    leftover.write_bytes(b"PAR1")
    real_open = os.open

    def read_only_open(path, flags, *args, **kwargs):
        if Path(path).is_relative_to(datasets) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(30, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    def read_only_unlink(self, *args, **kwargs):
        raise OSError(30, "Read-only file system", str(self))

    monkeypatch.setattr(os, "open", read_only_open)
    monkeypatch.setattr(Path, "unlink", read_only_unlink)
    _render_every_page()
    _open("bronnen")
    assert leftover.exists()
