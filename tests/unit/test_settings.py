"""Every ``MONITOR_*`` environment variable is listed in ``monitor/settings.py`` and documented in
``docs/configuration.md``, and code reads them through that module (as Datasette checks its
settings against its docs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor import settings

REPO = Path(__file__).resolve().parents[2]
WHERE = ("monitor", "ui", "pages", "bench", "tests", "deploy", ".ci", ".streamlit")
FILES = ("dashboard.py", "Makefile")
SUFFIXES = {".py", ".toml", ".sh", ".conf", ".template", ".yml", ".yaml", ".md", ".txt", ""}
NAME = re.compile(r"(?<![\w.])MONITOR_[A-Z0-9_]*[A-Z0-9]")
# A direct read of the environment by name, anywhere but the settings module.
DIRECT_READ = re.compile(r"(environ\.get\(|getenv\()\s*[\"']MONITOR_|environ\[[\"']MONITOR_\w+[\"']\](?!\s*=[^=])")
DOCS = REPO / "docs" / "configuration.md"


def _sources() -> list[Path]:
    found = [REPO / name for name in FILES]
    for top in WHERE:
        for path in sorted((REPO / top).rglob("*")):
            if (path.is_file() and path.suffix in SUFFIXES and "node_modules" not in path.parts
                    and "out" not in path.relative_to(REPO).parts[:2]):
                found.append(path)
    return found


def _python_constants() -> set[str]:
    """Module-level Python names that merely look like settings (``MONITOR_REGIONS = …``)."""
    names = set()
    for path in (REPO / "monitor").rglob("*.py"):
        names.update(re.findall(r"^(MONITOR_[A-Z0-9_]+)\s*[:=]", path.read_text(encoding="utf-8"), re.M))
    return names


def names_in_code() -> dict[str, str]:
    """Every MONITOR_* name the repository mentions (first file it appears in)."""
    constants = _python_constants()
    found: dict[str, str] = {}
    for path in _sources():
        if path == REPO / "monitor" / "settings.py" or path == Path(__file__):
            continue
        for name in NAME.findall(path.read_text(encoding="utf-8", errors="replace")):
            if name not in constants:
                found.setdefault(name, str(path.relative_to(REPO)))
    return found


def test_every_monitor_variable_in_the_code_is_a_setting():
    missing = {name: where for name, where in names_in_code().items() if name not in settings.BY_NAME}
    assert not missing, f"niet in monitor/settings.py: {missing}"


def test_every_monitor_variable_the_docs_name_is_a_setting():
    unknown = {}
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for name in NAME.findall(path.read_text(encoding="utf-8")):
            if name not in settings.BY_NAME:
                unknown.setdefault(name, str(path.relative_to(REPO)))
    assert not unknown, f"de documentatie noemt instellingen die monitor/settings.py niet kent: {unknown}"


def test_every_setting_is_still_used():
    unused = set(settings.BY_NAME) - set(names_in_code())
    assert not unused, f"in monitor/settings.py maar nergens gebruikt: {sorted(unused)}"


def test_the_docs_table_is_the_settings_table():
    text = DOCS.read_text(encoding="utf-8")
    for setting in settings.SETTINGS:
        assert f"| `{setting.name}` |" in text, f"{setting.name} staat niet in docs/configuration.md"
    assert settings.markdown_table() in text, (
        "docs/configuration.md wijkt af van monitor/settings.py: plak de uitvoer van "
        "`python -m monitor.settings` erin")


def _direct_read() -> re.Pattern:
    """A read of the environment by a MONITOR_* name or by a constant holding one (``STATE_DIR_ENV``)."""
    constants = set()
    for path in _sources():
        if path.suffix == ".py":
            constants.update(re.findall(r"^(\w+)\s*=\s*[\"']MONITOR_", path.read_text(encoding="utf-8"), re.M))
    names = "|".join(sorted(constants)) or "(?!)"
    return re.compile(DIRECT_READ.pattern + rf"|(\.get\(|getenv\(|environ\[)\s*(\w+\.)*({names})\b(?![^\]]*\]\s*=[^=])")


def test_code_reads_settings_through_the_module():
    reads = _direct_read()
    direct = []
    for path in _sources():
        if path.suffix != ".py" or path == REPO / "monitor" / "settings.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if reads.search(line):
                direct.append(f"{path.relative_to(REPO)}:{number}")
    assert not direct, f"lees MONITOR_*-instellingen via monitor.settings: {direct}"


def test_an_unlisted_name_cannot_be_read():
    with pytest.raises(KeyError, match="MONITOR_NIET_BESTAAND"):
        settings.raw("MONITOR_NIET_BESTAAND", {})


def test_accessors_keep_the_defaults_and_the_values():
    assert settings.integer("MONITOR_SQL_WORKERS", 2, {}) == 2
    assert settings.integer("MONITOR_SQL_WORKERS", 2, {"MONITOR_SQL_WORKERS": "5"}) == 5
    assert settings.number("MONITOR_S3_POLL_S", 2.0, {"MONITOR_S3_POLL_S": "0.5"}) == 0.5
    assert settings.text("MONITOR_STATIC", "memory", {}) == "memory"
    assert settings.flag("MONITOR_VERIFY_SHARED", {"MONITOR_VERIFY_SHARED": "1"})
    assert not settings.flag("MONITOR_VERIFY_SHARED", {"MONITOR_VERIFY_SHARED": "ja"})
    assert settings.seconds("MONITOR_S3_KEEP_S", 600.0, {"MONITOR_S3_KEEP_S": " "}) == 600.0
    with pytest.raises(ValueError, match="MONITOR_S3_KEEP_S='-1'"):
        settings.seconds("MONITOR_S3_KEEP_S", 600.0, {"MONITOR_S3_KEEP_S": "-1"})


def test_every_setting_has_a_default_and_a_meaning():
    for setting in settings.SETTINGS:
        assert setting.default and setting.meaning.endswith("."), setting.name
        assert setting.audience in settings.AUDIENCE, setting.name
