"""Authentication: password hashes, roles, OIDC role mapping, require_login, add-user CLI,
and the Streamlit login form (AppTest)."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from streamlit.testing.v1 import AppTest

from monitor.data import auth
from monitor.__main__ import main
from monitor.data.events import User

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct paard batterij"


@pytest.fixture(scope="module")
def anna_hash() -> str:
    return auth.hash_password(PASSWORD)


@pytest.fixture
def secrets(anna_hash) -> dict:
    return {"users": {
        "anna": {"password_hash": anna_hash, "role": "redacteur", "email": "anna@enschede.nl"},
        "lex": {"password_hash": anna_hash, "role": "lezer"},
        "kapot": {"password_hash": "geen-hash", "role": "redacteur"},
    }}


# ------------------------------------------------------------------------ hashes

def test_hash_is_salted_argon2id_and_verifies(anna_hash, secrets):
    assert anna_hash.startswith("$argon2id$")
    assert PASSWORD not in anna_hash
    assert auth.hash_password(PASSWORD) != anna_hash  # a fresh salt every time
    assert auth.verify_password(secrets, "anna", PASSWORD) == User("anna", "redacteur", "anna@enschede.nl")
    assert auth.verify_password(secrets, " anna ", PASSWORD).can_edit
    lex = auth.verify_password(secrets, "lex", PASSWORD)
    assert lex == User("lex", "lezer") and not lex.can_edit


@pytest.mark.parametrize("name, password", [
    ("anna", "correct paard batterij "), ("anna", "Correct paard batterij"), ("anna", ""),
    ("anna", None), ("Anna", PASSWORD), ("onbekend", PASSWORD), ("", PASSWORD), ("kapot", PASSWORD),
])
def test_wrong_password_unknown_user_or_broken_hash_is_refused(secrets, name, password):
    assert auth.verify_password(secrets, name, password) is None


def test_unknown_user_still_costs_a_hash_check(secrets, monkeypatch):
    calls = []
    real = auth._hasher

    class Counting:
        def verify(self, stored, password):
            calls.append(stored)
            return real.verify(stored, password)

        def hash(self, password):
            return real.hash(password)

    monkeypatch.setattr(auth, "_hasher", Counting())
    assert auth.verify_password(secrets, "onbekend", PASSWORD) is None
    assert auth.verify_password({}, "anna", PASSWORD) is None
    assert len(calls) == 2 and all(c.startswith("$argon2id$") for c in calls)


# ------------------------------------------------------------------------ roles, config

@pytest.mark.parametrize("raw, role", [
    ("redacteur", "redacteur"), (" Redacteur ", "redacteur"), ("lezer", "lezer"),
    ("beheerder", "beheerder"), ("Beheerders", None), ("", None), (None, None), (["redacteur"], None), (1, None),
])
def test_role_parsing(raw, role):
    assert auth.parse_role(raw) == role
    assert User("x", auth.parse_role(raw)).can_edit is (role in ("redacteur", "beheerder"))


def test_unknown_role_in_secrets_cannot_edit(anna_hash):
    config = {"users": {"piet": {"password_hash": anna_hash, "role": "admin"}}}
    user = auth.verify_password(config, "piet", PASSWORD)
    assert user == User("piet", None) and not user.can_edit


def test_oidc_role_mapping_is_case_insensitive():
    config = {"auth": {"client_id": "x"}, "roles": {"redacteur": ["Anna@Enschede.nl", "bert@hengelo.nl"],
                                                     "lezer": "vera@almelo.nl"}}
    anna = auth.user_from_oidc({"email": "anna@ENSCHEDE.NL", "name": "Anna Jansen"}, config)
    assert anna == User("Anna Jansen", "redacteur", "anna@ENSCHEDE.NL") and anna.can_edit
    # Entra ID may send only preferred_username (the UPN).
    bert = auth.user_from_oidc({"preferred_username": "bert@hengelo.nl"}, config)
    assert bert.role == "redacteur" and bert.name == "bert@hengelo.nl"
    assert auth.user_from_oidc({"email": "vera@almelo.nl", "name": "Vera"}, config).role == "lezer"
    stranger = auth.user_from_oidc({"email": "x@elders.nl", "name": "X"}, config)
    assert stranger.role is None and not stranger.can_edit
    assert auth.user_from_oidc({"name": "Zonder mail"}, config).role is None
    assert auth.user_from_oidc({"email": "anna@enschede.nl"}, {"auth": {}}).role is None


@pytest.mark.parametrize("config, required", [
    ({}, False), ({"require_login": True}, True), ({"require_login": False}, False),
    ({"require_login": "true"}, True), ({"require_login": "nee"}, True), ({"require_login": 1}, True),
    ({"require_login": 0}, True), ({"require_login": "false"}, True),  # wrongly typed: never open
    ({"auth": {"require_login": True}}, False),  # only the top-level key counts
])
def test_require_login_parsing(config, required):
    assert auth.login_required(config) is required


def test_oidc_mode_and_provider():
    assert not auth.oidc_configured({}) and not auth.oidc_configured({"auth": {}})
    flat = {"auth": {"client_id": "x", "redirect_uri": "http://localhost:8501/oauth2callback"}}
    assert auth.oidc_configured(flat) and auth.oidc_provider(flat) is None
    named = {"auth": {"redirect_uri": "r", "cookie_secret": "c", "microsoft": {"client_id": "x"}}}
    assert auth.oidc_configured(named) and auth.oidc_provider(named) == "microsoft"


# ------------------------------------------------------------------------ add-user CLI

EXISTING = """# Secrets van de monitor
require_login = true

[roles]
redacteur = ["anna@enschede.nl"]

[users.bert]
password_hash = "$argon2id$oud"
role = "lezer"
email = "bert@hengelo.nl"
"""


def _add(tmp_path, monkeypatch, *args, password=PASSWORD + "\n"):
    monkeypatch.setattr(sys, "stdin", io.StringIO(password))
    return main(["add-user", *args, "--secrets", str(tmp_path / ".streamlit" / "secrets.toml"),
                 "--password-stdin"])


def test_add_user_writes_valid_toml_0600_and_keeps_other_keys(tmp_path, monkeypatch):
    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    path.write_text(EXISTING, encoding="utf-8")
    os.chmod(path, 0o644)
    assert _add(tmp_path, monkeypatch, "carla", "--role", "redacteur") == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert text.startswith(EXISTING)  # comment, order and other keys preserved
    config = tomllib.loads(text)
    assert config["require_login"] is True and config["roles"] == {"redacteur": ["anna@enschede.nl"]}
    assert config["users"]["bert"]["password_hash"] == "$argon2id$oud"
    assert auth.verify_password(config, "carla", PASSWORD) == User("carla", "redacteur")
    assert not list(path.parent.glob("*.tmp"))
    # Updating an account: new hash and role, its other keys kept.
    assert _add(tmp_path, monkeypatch, "bert", "--role", "redacteur", password="nieuw wachtwoord 1\n") == 0
    config = auth.load_secrets_file(path)
    assert auth.verify_password(config, "bert", "nieuw wachtwoord 1") == User("bert", "redacteur", "bert@hengelo.nl")
    assert set(config["users"]) == {"bert", "carla"}


def test_add_user_creates_the_file_and_defaults_to_lezer(tmp_path, monkeypatch):
    assert _add(tmp_path, monkeypatch, "vera") == 0
    path = tmp_path / ".streamlit" / "secrets.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert auth.verify_password(auth.load_secrets_file(path), "vera", PASSWORD) == User("vera", "lezer")


@pytest.mark.parametrize("args, password, message", [
    (["dirk", "--role", "redacteur"], "\n", "mag niet leeg zijn"),
    (["dirk", "--role", "redacteur"], "          \n", "mag niet leeg zijn"),
    (["dirk", "--role", "redacteur"], "kort12345\n", "minstens 10 tekens"),
    (["dirk zonder", "--role", "redacteur"], PASSWORD + "\n", "Ongeldige gebruikersnaam"),
])
def test_add_user_refusals_change_nothing(tmp_path, monkeypatch, capsys, args, password, message):
    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    path.write_text(EXISTING, encoding="utf-8")
    assert _add(tmp_path, monkeypatch, *args, password=password) == 2
    err = capsys.readouterr().err
    assert message in err and "Er is niets gewijzigd." in err
    assert path.read_text(encoding="utf-8") == EXISTING
    assert sorted(p.name for p in path.parent.iterdir()) == ["secrets.toml"]


def test_add_user_refuses_a_broken_secrets_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    path.write_text("[users\nkapot", encoding="utf-8")
    assert _add(tmp_path, monkeypatch, "dirk") == 2
    assert "geen geldig TOML-bestand" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "[users\nkapot"


def test_add_user_asks_twice_without_stdin(tmp_path, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt: next(answers))
    target = tmp_path / "secrets.toml"
    assert main(["add-user", "eva", "--secrets", str(target)]) == 2
    assert "komen niet overeen" in capsys.readouterr().err and not target.exists()
    answers = iter([PASSWORD, PASSWORD])
    assert main(["add-user", "eva", "--secrets", str(target)]) == 0
    assert auth.verify_password(auth.load_secrets_file(target), "eva", PASSWORD) is not None


def test_add_user_command_line_end_to_end(tmp_path):
    target = tmp_path / "secrets.toml"
    done = subprocess.run([sys.executable, "-m", "monitor", "add-user", "fred", "--role", "redacteur",
                           "--secrets", str(target), "--password-stdin"], input=PASSWORD + "\n",
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "fred" in done.stdout
    assert auth.verify_password(auth.load_secrets_file(target), "fred", PASSWORD).can_edit
    assert auth.DEFAULT_SECRETS == REPO / ".streamlit" / "secrets.toml"


# ------------------------------------------------------------------------ Streamlit (AppTest)

def _login_page():
    import streamlit as st

    from ui import login as auth

    user = auth.require_viewer()
    st.markdown("inhoud zichtbaar")
    if user is None:
        auth.login_form()
    else:
        auth.logout_button()
        st.markdown(f"gebruiker={user.name} rol={user.role} redacteur={user.can_edit}")


def _app(config: dict) -> AppTest:
    at = AppTest.from_function(_login_page, default_timeout=30)
    for key, value in config.items():
        at.secrets[key] = value
    return at.run()


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_login_form_logs_in_and_out(secrets):
    at = _app(secrets)
    assert "inhoud zichtbaar" in _texts(at)  # viewing needs no login by default
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    at.text_input[0].input("anna")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.error
    assert "gebruiker=anna rol=redacteur redacteur=True" in _texts(at)
    assert at.session_state[auth.SESSION_KEY] == User("anna", "redacteur", "anna@enschede.nl")
    assert any("Ingelogd als anna" in c.value for c in at.caption)
    [logout] = [b for b in at.button if b.label == "Uitloggen"]
    logout.click().run()
    assert not any(t.startswith("gebruiker=") for t in _texts(at))
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]


def test_login_form_refuses_a_wrong_password(secrets):
    at = _app(secrets)
    at.text_input[0].input("anna")
    at.text_input[1].input("fout wachtwoord")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Onjuiste gebruikersnaam of wachtwoord."]
    assert not any(t.startswith("gebruiker=") for t in _texts(at))


def test_require_login_hides_the_page_until_logged_in(secrets):
    at = _app({**secrets, "require_login": True})
    assert "inhoud zichtbaar" not in _texts(at)
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    at.text_input[0].input("lex")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert "inhoud zichtbaar" in _texts(at)
    assert "gebruiker=lex rol=lezer redacteur=False" in _texts(at)


def test_oidc_mode_shows_a_login_button_instead_of_the_form():
    at = _app({"auth": {"client_id": "x", "client_secret": "y", "redirect_uri": "http://localhost/oauth2callback",
                        "cookie_secret": "z", "server_metadata_url": "https://login.example/.well-known"}})
    assert not at.text_input
    assert [b.label for b in at.button] == ["Inloggen"]
