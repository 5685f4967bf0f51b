"""The secrets file fails closed (monitor/data/secrets_check.py): a file that does not
parse, or a setting of the wrong type, is a list of Dutch problems naming the file and the key,
never "no secrets"; and ``python -m monitor check-secrets`` prints them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from monitor.__main__ import main
from monitor.data import auth, secrets_check
from monitor.data.secrets_check import check, read

from tests.conftest import REPO

GOOD = """require_login = true

[roles]
redacteur = ["anna@enschede.nl"]
lezer = []

[users.bert]
password_hash = "$argon2id$v=19$m=65536,t=3,p=4$abc$def"
role = "Redacteur"
email = "bert@hengelo.nl"
"""
USER = '[users.bert]\npassword_hash = "$argon2id$x"\nrole = "redacteur"\n'


def _file(tmp_path, text: str | bytes):
    path = tmp_path / "secrets.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_and_no_file(tmp_path):
    found = read([_file(tmp_path, GOOD)])
    assert found.ok and found.found and found.config["require_login"] is True
    assert found.usable_config == found.config
    missing = read([tmp_path / "elders" / "secrets.toml"])
    assert missing.ok and not missing.found and missing.config == {}
    comments = read([_file(tmp_path, "# nog niets ingesteld\n")])
    assert comments.ok and comments.found and comments.config == {}


@pytest.mark.parametrize("text", ["", "\n  \n"])
def test_an_empty_file_is_a_problem_not_no_file(tmp_path, text):
    path = _file(tmp_path, text)
    assert read([path]).problems == (f"{path} is leeg; verwijder het als er geen instellingen nodig zijn.",)


@pytest.mark.parametrize("text, where, said", [
    ("require_login = true\n[users\nkapot", "regel 2, kolom 7", "geen geldige TOML"),
    (GOOD + GOOD, "regel 13, kolom 7", "('roles',) twice"),  # the whole file pasted twice
    ("require_login = true\nrequire_login = false\n", "regel 2, kolom", "Cannot overwrite a value"),
    (USER + USER, "regel 4, kolom", "twice"),  # one account pasted twice
    ("require_login = tru\n", "regel 1, kolom", "Invalid value"),
    ('require_login = "true\n', "regel 1, kolom", "geen geldige TOML"),
])
def test_toml_errors_name_the_file_line_and_column(tmp_path, text, where, said):
    path = _file(tmp_path, text)
    found = read([path])
    assert not found.ok and found.found and found.usable_config == {}
    [problem] = found.problems
    assert problem.startswith(f"{path}, regel ") and where in problem and said in problem


@pytest.mark.parametrize("config, key", [
    ({"require_login": 1}, "'require_login' moet true of false zijn"),
    ({"require_login": 0}, "'require_login' moet true of false zijn"),
    ({"require_login": "true"}, "niet de tekst \"true\""),
    ({"require_login": "ja"}, "'require_login'"),
    ({"require_login": [True]}, "'require_login'"),
    ({"require_login": {"aan": True}}, "'require_login'"),
    ({"require_logn": True}, "onbekende instelling 'require_logn'; bedoelt u 'require_login'?"),
    ({"Require_Login": True}, "onbekende instelling 'Require_Login'"),
    ({"login_required": True}, "bedoelt u 'require_login'?"),
    ({"auth_role": {"redacteur": ["TwentseKoers.Redacteur"]}}, "bedoelt u 'auth_roles'?"),
    ({"inloggen_verplicht": True}, "bedoelt u 'require_login'?"),
    ({"requireLogin": True}, "bedoelt u 'require_login'?"),
    ({"user": {"anna": {}}}, "bedoelt u 'users'?"),
    ({"users": "x"}, "'users' moet een tabel zijn"),
    ({"users": ["anna"]}, "'users' moet een tabel zijn"),
    ({"users": {"anna": "geheim"}}, "'users.anna' moet een tabel zijn"),
    ({"users": {"anna": {"password_hash": "$argon2id$x", "role": "beheerders"}}}, "'users.anna.role'"),
    ({"users": {"anna": {"password_hash": "$argon2id$x", "role": 1}}}, "'users.anna.role' is het getal 1"),
    ({"users": {"anna": {"password_hash": "$argon2id$x", "role": ["redacteur"]}}}, "'users.anna.role'"),
    ({"users": {"anna": {"password_hash": "$argon2id$x"}}}, "'users.anna.role' ontbreekt"),
    ({"users": {"anna": {"password_hash": 12, "role": "lezer"}}}, "'users.anna.password_hash' moet tekst zijn"),
    ({"users": {"anna": {"password_hash": "$a", "role": "lezer", "email": True}}}, "'users.anna.email'"),
    ({"roles": "redacteur"}, "'roles' moet een tabel zijn"),
    ({"roles": {"redacteur": "a@b.nl"}}, "'roles.redacteur' moet een lijst met e-mailadressen zijn"),
    ({"roles": {"redacteur": ["a@b.nl", 3]}}, "'roles.redacteur' element 2"),
    ({"roles": {"redacteur": [""]}}, "'roles.redacteur' element 1"),
    ({"roles": {"lezer": {"a": 1}}}, "'roles.lezer' moet een lijst"),
    ({"roles": {"beheerders": ["a@b.nl"]}}, "onbekende rol 'roles.beheerders'"),
    ({"roles": {"redacteuren": []}}, "onbekende rol 'roles.redacteuren'"),
    ({"roles": {"Lezer": "v@almelo.nl"}}, "onbekende rol 'roles.Lezer'"),
    ({"auth": 1}, "'auth' moet een tabel zijn"),
    ({"auth": "entra"}, "'auth' moet een tabel zijn"),
])
def test_wrong_settings_are_problems_naming_the_key(config, key):
    problems = check(config, "/etc/monitor/secrets.toml")
    assert problems and all(p.startswith("/etc/monitor/secrets.toml: ") for p in problems)
    assert any(key in p for p in problems), problems


@pytest.mark.parametrize("config", [
    {}, {"require_login": False}, {"require_login": True},
    {"auth": {"client_id": "x", "microsoft": {"client_id": "y"}}},
    {"roles": {"redacteur": [], "lezer": ["v@almelo.nl"]}},
    {"users": {"anna": {"password_hash": "$argon2id$x", "role": " Lezer "}}},
    {"users": {}}, {"connections": {"db": {"url": "x"}}},  # a key of something else: left alone
    {"roles": {"redacteur": ["a@b.nl"], "claim": "groups"}},  # a setting of the role mapping, not a role
    {"auth_roles": {"claims": ["roles"], "redacteur": ["TwentseKoers.Redacteur"]}},  # monitor.data.sso's
])
def test_right_settings_are_no_problem(config):
    assert check(config) == []


def test_a_wrong_setting_in_a_file_is_named_with_the_file(tmp_path):
    path = _file(tmp_path, "require_login = 1\n" + USER)
    found = read([path])
    assert found.problems == (f"{path}: 'require_login' moet true of false zijn (zonder aanhalingstekens), "
                              "niet het getal 1.",)
    assert found.usable_config == {}


def test_a_file_that_cannot_be_read_is_a_problem_not_no_file(tmp_path):
    folder = tmp_path / "secrets.toml"
    folder.mkdir()
    assert "is een map" in read([folder]).problems[0]
    binary = tmp_path / "binair.toml"
    binary.write_bytes(b"require_login = true\n\xff\xfe")
    assert "geen UTF-8" in read([binary]).problems[0]
    if os.getuid() != 0:  # root reads every file
        binary.chmod(0)
        assert "kan niet worden gelezen" in read([binary]).problems[0]


def test_two_files_merge_like_streamlit_and_each_is_checked(tmp_path):
    first = tmp_path / "a.toml"
    first.write_text('require_login = true\n', encoding="utf-8")
    second = tmp_path / "b.toml"
    second.write_text(USER, encoding="utf-8")
    found = read([first, tmp_path / "ontbreekt.toml", second])
    assert found.ok and found.sources == (str(first), str(second))
    assert found.config["require_login"] is True and "bert" in found.config["users"]
    second.write_text("[users\n", encoding="utf-8")
    assert str(second) in read([first, second]).problems[0]


def test_login_required_never_means_open_for_a_wrong_type():
    for value in (1, 0, "ja", "nee", "false", [], {}):
        assert auth.login_required({"require_login": value}) is True
    assert auth.login_required({}) is False and auth.login_required({"require_login": False}) is False


def test_check_secrets_command(tmp_path, capsys):
    good = _file(tmp_path, GOOD)
    assert main(["check-secrets", "--secrets", str(good)]) == 0
    assert "is in orde: inloggen via 1 lokale account(s); bekijken alleen na inloggen" in capsys.readouterr().out
    assert main(["check-secrets", "--secrets", str(tmp_path / "geen.toml")]) == 0
    assert "Geen secrets-bestand" in capsys.readouterr().out
    good.write_text(GOOD + GOOD, encoding="utf-8")
    assert main(["check-secrets", "--secrets", str(good)]) == 2
    err = capsys.readouterr().err
    assert f"{good}, regel 13, kolom 7" in err and "stopt elke pagina" in err


def test_check_secrets_from_the_command_line(tmp_path):
    path = _file(tmp_path, '[roles]\nredacteur = "anna@enschede.nl"\n')
    done = subprocess.run([sys.executable, "-m", "monitor", "check-secrets", "--secrets", str(path)],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 2
    assert f"{path}: 'roles.redacteur' moet een lijst met e-mailadressen zijn" in done.stderr


def test_the_message_for_the_visitor():
    assert secrets_check.MISCONFIGURED == ("De monitor is niet goed ingesteld: inloggen is uitgeschakeld. "
                                           "Neem contact op met de beheerder.")
