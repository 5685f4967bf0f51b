"""Reading and checking the secrets file, failing closed.

A monitor whose ``.streamlit/secrets.toml`` does not parse, or holds a setting of the wrong
type, must never fall back to "no secrets" (open viewing): :func:`read` tells the three cases
apart,

* no secrets file at all → :attr:`SecretsState.found` is False, no problems: anyone may view,
  nobody can log in or edit;
* a file that parses and passes :func:`check` → its settings;
* anything else (TOML syntax error, a key given twice, a file that cannot be read, a folder in
  its place, ``require_login = 1``, ``users = "x"``, an unknown role, …) → a list of Dutch
  problems, each naming the file and the key (and for a TOML error its line and column). The
  page layer then stops every page with :data:`MISCONFIGURED` and refuses every write.

Pure (no Streamlit): the page side is ``ui/secrets_source.py``; ``python -m monitor
check-secrets`` prints the problems for the beheerder.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Kept in step with monitor.data.auth (which imports nothing from here).
KNOWN_ROLES: tuple[str, ...] = ("beheerder", "redacteur", "lezer")
TOP_LEVEL_KEYS: tuple[str, ...] = ("require_login", "auth", "roles", "users", "auth_roles")
USER_KEYS: tuple[str, ...] = ("password_hash", "role", "email")

MISCONFIGURED = ("De monitor is niet goed ingesteld: inloggen is uitgeschakeld. "
                 "Neem contact op met de beheerder.")
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


@dataclass(frozen=True)
class SecretsState:
    """What the secrets say: ``config`` is only to be used when ``problems`` is empty."""
    config: dict = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    found: bool = False
    sources: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def usable_config(self) -> dict:
        """The settings when they are valid; empty (nobody logs in, nobody edits) otherwise."""
        return self.config if self.ok else {}


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'de tekst "{value}"'
    if isinstance(value, (int, float)):
        return f"het getal {value}"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, Mapping):
        return "een tabel"
    return type(value).__name__


def _role_of(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    role = value.strip().lower()
    return role if role in KNOWN_ROLES else None


def _check_require_login(config: Mapping, where: str) -> list[str]:
    if "require_login" not in config or isinstance(config["require_login"], bool):
        return []
    return [f"{where}: 'require_login' moet true of false zijn (zonder aanhalingstekens), niet "
            f"{_type_name(config['require_login'])}."]


def _check_unknown_top_level(config: Mapping, where: str) -> list[str]:
    """A key that looks like a known one (``require_logn``, ``Require_Login``, ``user``) is a typo
    that would silently switch a setting off; other keys are left alone (Streamlit's own, or
    settings of other parts of the monitor)."""
    problems = []
    for key in config:
        if key in TOP_LEVEL_KEYS:
            continue
        folded = key.strip().lower().replace("-", "_").replace(" ", "_").replace("inloggen", "login")
        close = difflib.get_close_matches(folded, TOP_LEVEL_KEYS, n=1, cutoff=0.8)
        if not close and "login" in folded and ("requir" in folded or "verplicht" in folded):
            close = ["require_login"]  # login_required, inloggen_verplicht, …
        if close:
            problems.append(f"{where}: onbekende instelling '{key}'; bedoelt u '{close[0]}'?")
    return problems


def _check_auth(config: Mapping, where: str) -> list[str]:
    if "auth" in config and not isinstance(config["auth"], Mapping):
        return [f"{where}: 'auth' moet een tabel zijn ([auth]), niet {_type_name(config['auth'])}."]
    return []


def _check_roles(config: Mapping, where: str) -> list[str]:
    if "roles" not in config:
        return []
    roles = config["roles"]
    if not isinstance(roles, Mapping):
        return [f"{where}: 'roles' moet een tabel zijn ([roles]), niet {_type_name(roles)}."]
    problems = []
    for key, members in roles.items():
        if key not in KNOWN_ROLES:
            # A typo of a role (redacteuren) or a list of e-mail addresses under a name that is no
            # role; other keys may be settings of the OIDC role mapping and are left alone.
            mails = isinstance(members, list) and any(isinstance(m, str) and "@" in m for m in members)
            if mails or difflib.get_close_matches(key.strip().lower(), KNOWN_ROLES, n=1, cutoff=0.75):
                problems.append(f"{where}: onbekende rol 'roles.{key}'. Bekende rollen: {', '.join(KNOWN_ROLES)}.")
            continue
        if not isinstance(members, list):
            problems.append(f"{where}: 'roles.{key}' moet een lijst met e-mailadressen zijn "
                            f'(["naam@gemeente.nl"]), niet {_type_name(members)}.')
            continue
        for index, member in enumerate(members):
            if not isinstance(member, str) or not member.strip():
                problems.append(f"{where}: 'roles.{key}' element {index + 1} moet een e-mailadres zijn, "
                                f"niet {_type_name(member)}.")
    return problems


def _check_user(name: str, entry: object, where: str) -> list[str]:
    key = f"users.{name}"
    if not isinstance(entry, Mapping):
        return [f"{where}: '{key}' moet een tabel zijn ([{key}]), niet {_type_name(entry)}."]
    problems = []
    if "password_hash" in entry and not isinstance(entry["password_hash"], str):
        problems.append(f"{where}: '{key}.password_hash' moet tekst zijn, niet {_type_name(entry['password_hash'])}; "
                        "maak het account opnieuw met 'python -m monitor add-user'.")
    if "role" not in entry:
        problems.append(f"{where}: '{key}.role' ontbreekt; kies uit {', '.join(KNOWN_ROLES)}.")
    elif _role_of(entry["role"]) is None:
        problems.append(f"{where}: '{key}.role' is {_type_name(entry['role'])}, geen bekende rol; "
                        f"kies uit {', '.join(KNOWN_ROLES)}.")
    if "email" in entry and not isinstance(entry["email"], str):
        problems.append(f"{where}: '{key}.email' moet tekst zijn, niet {_type_name(entry['email'])}.")
    return problems


def _check_users(config: Mapping, where: str) -> list[str]:
    if "users" not in config:
        return []
    users = config["users"]
    if not isinstance(users, Mapping):
        return [f"{where}: 'users' moet een tabel zijn ([users.<naam>]), niet {_type_name(users)}."]
    problems = []
    for name, entry in users.items():
        problems.extend(_check_user(name, entry, where))
    return problems


def check(config: Mapping, where: str = "secrets.toml") -> list[str]:
    """The problems with settings that parsed (empty: fine). ``where`` names the file."""
    if not isinstance(config, Mapping):
        return [f"{where}: de instellingen zijn geen tabel."]
    problems: list[str] = []
    for part in (_check_require_login, _check_unknown_top_level, _check_auth, _check_roles, _check_users):
        problems.extend(part(config, where))
    return problems


def toml_problem(path: str | Path, exc: tomllib.TOMLDecodeError) -> str:
    """``<file>, regel 3, kolom 5: <what the parser says>``: where a TOML error is."""
    message = str(exc)
    found = _POSITION.search(message)
    if found:
        message = message[:found.start()]
        return f"{path}, regel {found.group(1)}, kolom {found.group(2)}: geen geldige TOML ({message})."
    return f"{path}: geen geldige TOML ({message})."


def read_file(path: str | Path) -> tuple[dict | None, list[str]]:
    """(settings, problems) of one file; (None, []) when there is no file at that path."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except IsADirectoryError:
        return {}, [f"{path} is een map, geen secrets.toml-bestand."]
    except OSError as exc:
        return {}, [f"{path} kan niet worden gelezen ({exc.strerror or type(exc).__name__})."]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {}, [f"{path}: geen UTF-8-tekst (byte {exc.start + 1})."]
    if not text.strip():  # a truncated file (an editor on a full disk) must not open the site
        return {}, [f"{path} is leeg; verwijder het als er geen instellingen nodig zijn."]
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, [toml_problem(path, exc)]
    return config, check(config, str(path))


def read(paths: Iterable[str | Path]) -> SecretsState:
    """Every secrets file in ``paths`` (Streamlit's ``secrets.files``; a later file's top-level
    keys replace an earlier one's, as in Streamlit), checked."""
    merged: dict = {}
    problems: list[str] = []
    sources: list[str] = []
    for path in paths:
        config, found = read_file(path)
        if config is None:
            continue
        sources.append(str(path))
        problems.extend(found)
        merged.update(config)
    if len(sources) > 1 and not problems:
        problems.extend(check(merged, " + ".join(sources)))
    return SecretsState(config=merged, problems=tuple(problems), found=bool(sources), sources=tuple(sources))


def from_mapping(config: Mapping, where: str) -> SecretsState:
    """Settings given as a mapping (AppTest's ``at.secrets``), checked like a file."""
    plain = dict(config)
    return SecretsState(config=plain, problems=tuple(check(plain, where)), found=True, sources=(where,))
