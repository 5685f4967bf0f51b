"""Every ``MONITOR_*`` environment variable the monitor, its tests and its benchmark read.

One list (``SETTINGS``) with each variable's default and meaning, and the accessors code reads
them through, so a setting cannot be read without being listed here. ``docs/configuration.md``
holds the table ``markdown_table()`` prints (``python -m monitor.settings``);
``tests/unit/test_settings.py`` fails when a ``MONITOR_*`` name in the code is missing here, or
a setting here is missing from that table.

Pure: no Streamlit, no I/O beyond reading the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str          # as a reader sees it in the docs; "" when unset means "off"/"none"
    meaning: str
    kind: str = "text"    # text, path, url, number, seconds, flag, choice
    audience: str = "app"  # app: the running monitor; test: the test suite; bench: the benchmark


SETTINGS: tuple[Setting, ...] = (
    # --- where the data lives ---------------------------------------------------------------
    Setting("MONITOR_DATASETS", "`datasets/`",
            "The dataset folder the app reads and the importer writes.", "path"),
    Setting("MONITOR_DATA_URL", "unset: local disk",
            "Datasets on object storage instead: `s3://bucket/prefix` (see docs/operations.md, "
            "Datasets on S3).", "url"),
    Setting("MONITOR_SHARED", "`../shared`",
            "The folder with the real source files (CBS, GGD, register) a rebuild reads; also "
            "`--shared`.", "path"),
    Setting("MONITOR_STATE_DIR", "`<datasets>/.state`",
            "Where the login throttle keeps its state (beside the local S3 cache when the "
            "datasets are on S3).", "path"),
    # --- S3 ---------------------------------------------------------------------------------
    Setting("MONITOR_S3_ENDPOINT", "unset: AWS (or `AWS_ENDPOINT_URL`)",
            "The S3 endpoint, e.g. `http://minio:9000`.", "url"),
    Setting("MONITOR_CACHE_DIR", "`$XDG_CACHE_HOME/twentse-koers-monitor/s3` (else `~/.cache/…`)",
            "Local cache of S3 objects; `uit` (or `off`, `0`, `false`, `no`, `nee`) switches it "
            "off.", "path"),
    Setting("MONITOR_CACHE_MAX_MB", "2048",
            "Size bound of the local S3 object cache, in MB.", "number"),
    Setting("MONITOR_S3_POLL_S", "2",
            "How long a reader trusts what it last saw of the pointer and the events on S3.",
            "seconds"),
    Setting("MONITOR_S3_KEEP_S", "600",
            "How long a replaced generation's objects stay on S3 after the pointer left them.",
            "seconds"),
    Setting("MONITOR_S3_FETCH_WORKERS", "8",
            "How many objects a cold start fetches from S3 at once.", "number"),
    Setting("MONITOR_S3_CONNECT_TIMEOUT_S", "3", "S3 connect timeout.", "seconds"),
    Setting("MONITOR_S3_READ_TIMEOUT_S", "10", "S3 read timeout.", "seconds"),
    Setting("MONITOR_S3_ATTEMPTS", "2", "Attempts per S3 call (at least 1).", "number"),
    Setting("MONITOR_S3_RETRY_AFTER_S", "5",
            "After the S3 endpoint could not be reached, how long calls fail at once with the "
            "same message before it is tried again.", "seconds"),
    Setting("MONITOR_S3_LEASE_S", "60",
            "Lifetime of a writer's lease on the S3 datasets (renewed every third of it).",
            "seconds"),
    Setting("MONITOR_S3_LEASE_MAX_S", "300",
            "Cap on what any lease on S3 claims, counted from when the storage wrote it; past "
            "it the lease is taken over.", "seconds"),
    # --- writing, SQL, serving --------------------------------------------------------------
    Setting("MONITOR_LOCK_WAIT_S", "300",
            "How long a writer waits for the dataset folder's lock before giving up.", "seconds"),
    Setting("MONITOR_SQL_WORKERS", "2",
            "Worker processes of the SQL page (each answers one query at a time).", "number"),
    Setting("MONITOR_SQL_WORKER_MB", "1536",
            "Address-space limit of one SQL worker process, in MB.", "number"),
    Setting("MONITOR_OWNER_DOMAINS", "unset: any domain",
            "Comma-separated mail domains an owner's e-mail address must belong to (a subdomain "
            "counts), e.g. `enschede.nl,hengelo.nl,twentsekoers.nl`: an address outside them is "
            "refused as unknown when owners are named.", "text"),
    Setting("MONITOR_COOKIE_SECRET", "`.streamlit/cookie-secret` (made once, not in git)",
            "The secret all replicas sign cookies with."),
    Setting("MONITOR_STATIC", "`memory`",
            "`memory`: Streamlit's frontend files are served from memory in production; "
            "`disk`: from disk, as Streamlit does.", "choice"),
    # --- reminders and digest (python -m monitor herinneringen) -------------------------------
    Setting("MONITOR_PUBLIC_URL", "unset (required to send mail)",
            "The address users open the monitor at, e.g. `https://monitor.twentsekoers.nl`; the "
            "links in reminders and digests start with it.", "url"),
    Setting("MONITOR_CHECKIN_DAYS", "30",
            "A project needs a voortgangsmelding when it had none in this many days.", "number"),
    Setting("MONITOR_REMINDER_INTERVAL_DAYS", "7",
            "An owner gets a reminder at most once in this many days (at least 1: a second run "
            "the same day never sends again).", "number"),
    Setting("MONITOR_ESCALATION_DAYS", "14",
            "When an owner had a reminder for a project this many days ago and has not checked in "
            "since, the themaleider of its themalijn gets one mail listing those projects "
            "(`0`: never).", "number"),
    # --- tests and benchmark ----------------------------------------------------------------
    Setting("MONITOR_CHROMIUM", "`/usr/bin/chromium`",
            "The Chromium the browser tests and the benchmark drive.", "path", "test"),
    Setting("MONITOR_WRITE_A11Y", "unset",
            "`1`: the accessibility browser tests rewrite `sources/toegankelijkheid/resultaten.json` "
            "(`make toegankelijkheid`).", "flag", "test"),
    Setting("MONITOR_VERIFY_SHARED", "unset",
            "`1`: the page tests check that no page changed a cached result it shares.", "flag",
            "test"),
    Setting("MONITOR_KILL_AT", "unset",
            "Fault-test hook: `staged`, `committed` or `linked` makes a writer kill itself "
            "(SIGKILL) at that point. Not for anything else.", "choice", "test"),
    Setting("MONITOR_LOAD_SESSIONS", "6",
            "Browser sessions at once in the load test: a check that sessions under load see only their own "
            "choices and no errors, not a capacity measure (that is `python -m bench.loadgen`).", "number", "test"),
    Setting("MONITOR_LOAD_SECONDS", "60",
            "How long each session of the load test walks through the pages.", "seconds", "test"),
    Setting("MONITOR_LOAD_REPLICAS", "2", "Replicas in the load test behind nginx.", "number",
            "test"),
    Setting("MONITOR_LOAD_S3_SESSIONS", "6", "Sessions in the load test on S3.", "number", "test"),
    Setting("MONITOR_LOAD_S3_SECONDS", "15", "Duration of the load test on S3.", "seconds", "test"),
)

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def raw(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The variable's value as set, None when unset. A name not in ``SETTINGS`` is a KeyError."""
    if name not in BY_NAME:
        raise KeyError(f"{name} staat niet in monitor/settings.py")
    return (os.environ if environ is None else environ).get(name)


def text(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    """The value as set (even empty), else ``default``."""
    value = raw(name, environ)
    return default if value is None else value


def integer(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    value = raw(name, environ)
    return default if value is None else int(value)


def number(name: str, default: float, environ: Mapping[str, str] | None = None) -> float:
    value = raw(name, environ)
    return default if value is None else float(value)


def flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the variable is ``1``."""
    return raw(name, environ) == "1"


def seconds(name: str, default: float, environ: Mapping[str, str] | None = None) -> float:
    """A number of seconds (0 or more; empty or unset: ``default``), a Dutch error for anything else."""
    value = (raw(name, environ) or "").strip()
    if not value:
        return default
    try:
        found = float(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: verwacht een aantal seconden") from None
    if not found >= 0 or found == float("inf"):
        raise ValueError(f"{name}={value!r}: verwacht een aantal seconden (0 of meer)")
    return found


AUDIENCE = {"app": "the monitor", "test": "tests only", "bench": "benchmark only"}


def markdown_table() -> str:
    """The table in ``docs/configuration.md`` (kept equal by ``tests/unit/test_settings.py``)."""
    lines = ["| variable | default | meaning | read by |", "|---|---|---|---|"]
    for setting in SETTINGS:
        lines.append(f"| `{setting.name}` | {setting.default} | {setting.meaning} | "
                     f"{AUDIENCE[setting.audience]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
