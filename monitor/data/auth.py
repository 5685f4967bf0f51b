"""Logging in and roles.

Configuration lives in ``.streamlit/secrets.toml`` (never committed):

* ``[auth]`` present → OIDC (for example Microsoft Entra ID) through Streamlit's
  ``st.login()`` / ``st.logout()`` / ``st.user``. Keys as Streamlit documents them:
  ``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``,
  ``server_metadata_url`` (or one named provider section such as ``[auth.microsoft]``).
  Roles come from a claim of the ID token (``[auth_roles]``, see ``monitor.data.sso``), else
  from ``[roles]``: ``redacteur = ["naam@gemeente.nl", ...]`` (e-mail addresses, compared
  case-insensitively).
* otherwise local accounts, ``[users.<naam>]`` with ``password_hash`` (argon2id, made by
  ``python -m monitor add-user``) and ``role``.
* ``require_login = true`` (top level): viewing needs a login too. Without it anyone may
  view; editing always needs the role ``redacteur``.

Pure: the functions take the secrets as a plain dict, so they are testable without Streamlit.
The Streamlit side (``st.secrets``, the login form, the session's user) is ``ui/login.py``.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from monitor.data import sso, store
from monitor.data.errors import MonitorError
from monitor.data.users import BEHEERDER_ROLE, EDITOR_ROLE, User

# In order of rank (a claim or list that gives several: the first wins). A beheerder names owners
# and records for every project; a redacteur records for projects without an owner; a lezer
# views. A named owner (projectleider, themaleider) records for their own projects whatever
# their role (monitor.data.rights).
ROLES: tuple[str, ...] = (BEHEERDER_ROLE, EDITOR_ROLE, "lezer")
SESSION_KEY = "monitor_user"
MIN_PASSWORD_LENGTH = 10
DEFAULT_SECRETS = store.REPO_ROOT / ".streamlit" / "secrets.toml"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
LOGIN_FAILED = "Onjuiste gebruikersnaam of wachtwoord."

_hasher = PasswordHasher()
_dummy_hash: str | None = None


# ---------------------------------------------------------------------------- plain functions

def hash_password(password: str) -> str:
    """A salted argon2id hash (PHC string, ``$argon2id$...``)."""
    return _hasher.hash(password)


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("geen-gebruiker-" + os.urandom(8).hex())
    return _dummy_hash


def parse_role(value: object) -> str | None:
    """The role named by a secrets value, or None (no editing) for anything unknown."""
    if not isinstance(value, str):
        return None
    role = value.strip().lower()
    return role if role in ROLES else None


def login_required(secrets: Mapping) -> bool:
    """``require_login = true`` at the top level of the secrets. Fails closed: anything but
    ``false`` or no key at all (``1``, ``"ja"``, ``0``) means a login is required; such a value
    also stops every page (``monitor.data.secrets_check``)."""
    value = secrets.get("require_login", False)
    return value if isinstance(value, bool) else True


def oidc_configured(secrets: Mapping) -> bool:
    auth = secrets.get("auth")
    return isinstance(auth, Mapping) and len(auth) > 0


def oidc_provider(secrets: Mapping) -> str | None:
    """The provider name for ``st.login``: None for a flat ``[auth]``, else the one subsection."""
    auth = secrets.get("auth") or {}
    if "client_id" in auth:
        return None
    providers = [key for key, value in auth.items() if isinstance(value, Mapping)]
    return providers[0] if len(providers) == 1 else None


def local_users(secrets: Mapping) -> Mapping:
    users = secrets.get("users")
    return users if isinstance(users, Mapping) else {}


def verify_password(secrets: Mapping, name: str, password: str) -> User | None:
    """The user when name and password match a local account, else None.

    An unknown name is checked against a dummy hash, so the answer takes as long as for a
    known name with a wrong password.
    """
    name = (name or "").strip()
    entry = local_users(secrets).get(name) if name else None
    stored = entry.get("password_hash") if isinstance(entry, Mapping) else None
    if not isinstance(stored, str) or not stored:
        try:
            _hasher.verify(_dummy(), password or "")
        except (VerificationError, InvalidHashError):
            pass
        return None
    try:
        _hasher.verify(stored, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    email = entry.get("email")
    return User(name=name, role=parse_role(entry.get("role")), email=email if isinstance(email, str) else None)


def role_for_email(secrets: Mapping, email: str | None) -> str | None:
    """The role ``[roles]`` gives an e-mail address (case-insensitive), highest rank first."""
    if not email:
        return None
    wanted = email.strip().lower()
    roles = secrets.get("roles")
    if not isinstance(roles, Mapping):
        return None
    for role in ROLES:
        members = roles.get(role) or []
        if isinstance(members, str):
            members = [members]
        if any(isinstance(m, str) and m.strip().lower() == wanted for m in members):
            return role
    return None


def user_from_oidc(user_info: Mapping, secrets: Mapping) -> User:
    """The user for an OIDC login (``st.user``: the ID token's claims); Entra ID may give only
    ``preferred_username``. The role comes from a claim (``[auth_roles]``, ``monitor.data.sso``),
    else from the e-mail list ``[roles]``; an invalid ``[auth_roles]`` gives no role at all."""
    email = user_info.get("email") or user_info.get("preferred_username") or user_info.get("upn")
    email = str(email).strip() if email else None
    sub = str(user_info["sub"]) if user_info.get("sub") else None
    name = user_info.get("name") or email or sub or "onbekend"
    blocked = bool(sso.role_config_problems(secrets, ROLES) or sso.withdrawn(email, sub, secrets))
    role = None if blocked else sso.claim_role(user_info, secrets, ROLES) or role_for_email(secrets, email)
    return User(name=str(name), role=role, email=email, sub=sub, blocked=blocked)


# ---------------------------------------------------------------------------- add-user CLI

def read_new_password(from_stdin: bool, stdin=None) -> str:
    """The new password: one line from stdin, or asked twice with getpass."""
    if from_stdin:
        line = (stdin or sys.stdin).readline()
        password = line.rstrip("\r\n")
    else:
        password = getpass.getpass("Wachtwoord: ")
        again = getpass.getpass("Herhaal het wachtwoord: ")
        if password != again:
            raise MonitorError("De wachtwoorden komen niet overeen.")
    check_password(password)
    return password


def check_password(password: str) -> None:
    if not password or not password.strip():
        raise MonitorError("Het wachtwoord mag niet leeg zijn.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise MonitorError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn.")


def add_user(name: str, role: str, password: str, secrets_path: str | Path | None = None) -> Path:
    """Add or update ``[users.<name>]`` in the secrets file, keeping everything else.

    The file is written to a temporary file (mode 0600) and renamed over the old one.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    if not _NAME.fullmatch(name or ""):  # not match with $: that allows a trailing newline
        raise MonitorError(f"Ongeldige gebruikersnaam {name!r}: gebruik letters, cijfers, '.', '_', "
                           "'-' of '@' (hoogstens 64 tekens).")
    if parse_role(role) is None:
        raise MonitorError(f"Onbekende rol '{role}'. Kies uit: {', '.join(ROLES)}.")
    check_password(password)
    path = Path(secrets_path) if secrets_path else DEFAULT_SECRETS
    if path.exists():
        try:
            doc = tomlkit.parse(path.read_text(encoding="utf-8"))
        except (TOMLKitError, UnicodeDecodeError) as exc:
            raise MonitorError(f"{path} is geen geldig TOML-bestand: {exc}") from None
    else:
        doc = tomlkit.document()
    users = doc.get("users")
    if users is None:
        users = tomlkit.table(is_super_table=True)
        doc["users"] = users
    elif not isinstance(users, Mapping):
        raise MonitorError(f"In {path} is 'users' geen tabel.")
    entry = users.get(name)
    if entry is None:
        entry = tomlkit.table()
        users[name] = entry
    entry["password_hash"] = hash_password(password)
    entry["role"] = parse_role(role)
    _write_private(path, tomlkit.dumps(doc))
    return path


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    store._fsync_dir(path.parent)


def load_secrets_file(path: str | Path) -> dict:
    """A secrets file as a plain dict (for the CLI and tests); empty when it does not exist."""
    import tomllib

    path = Path(path)
    if not path.exists():
        return {}
    with open(path, "rb") as handle:
        return tomllib.load(handle)
