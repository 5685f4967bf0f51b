"""The secrets as the monitor uses them: read, checked, and failing closed.

Streamlit's ``st.secrets`` raises the same exception for a missing file and for one that does
not parse, keeps a parsed file until its polling watcher notices a change, and knows nothing of
the monitor's settings. So the monitor reads the files of Streamlit's ``secrets.files`` itself
(``monitor.data.secrets_check.read``): a missing file means open viewing and no login; a file
that does not parse or holds a wrong setting stops every page (:func:`stop_if_misconfigured`)
and is logged once, naming the file and the problem. In AppTest, ``at.secrets`` is used
instead (``ui.streamlit_private.injected_secrets``), checked the same way.

:func:`state` is read once per page run (``monitor.data.snapshot``); :func:`read_now` reads
the files again, for the moment a change is written (``ui.record_forms``).
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

from monitor.data import secrets_check, snapshot
from monitor.data.secrets_check import MISCONFIGURED, SecretsState
from ui import streamlit_private

log = logging.getLogger(__name__)
_last_logged: list[tuple[str, ...]] = [()]
_log_lock = threading.Lock()


def read_now() -> SecretsState:
    """The secrets as they are on disk now (or AppTest's ``at.secrets``), checked."""
    injected = streamlit_private.injected_secrets()
    if injected is not None:
        found = secrets_check.from_mapping(injected, "st.secrets")
    else:
        found = secrets_check.read(st.get_option("secrets.files") or [])
    _log(found)
    return found


def state() -> SecretsState:
    """The secrets for this page run (read once per run)."""
    return snapshot.remembered(("secrets-state",), read_now)


def _log(found: SecretsState) -> None:
    """One line per change of the problems (not one per page view)."""
    with _log_lock:
        if found.problems == _last_logged[0]:
            return
        _last_logged[0] = found.problems
    if found.problems:
        log.error("De monitor is niet goed ingesteld; inloggen en vastleggen zijn uitgeschakeld en elke "
                  "pagina is gestopt: %s", " | ".join(found.problems))
    else:
        log.warning("De instellingen in %s zijn weer in orde.", ", ".join(found.sources) or "secrets.toml")


def stop_if_misconfigured() -> None:
    """With secrets that do not parse or hold a wrong setting: the Dutch message and nothing
    else (no data, no login) for this page run."""
    if not state().ok:
        st.error(MISCONFIGURED, icon=":material/lock:")
        st.stop()
