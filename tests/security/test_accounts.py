"""A user name must match the whole pattern: ``$`` let a trailing newline through,
and the account written could never log in."""

from __future__ import annotations

import pytest

from monitor.data import auth
from monitor.__main__ import main as cli
from monitor.data.errors import MonitorError

PASSWORD = "correct paard batterij"


@pytest.mark.parametrize("name", ["alice\n", "alice\r\n", "\nalice", "alice\x00", "alice ", "al ice", "alice\t",
                                  "a" * 65, "", "-alice"])
def test_a_name_that_cannot_log_in_is_refused(tmp_path, name):
    secrets = tmp_path / "secrets.toml"
    with pytest.raises(MonitorError, match="Ongeldige gebruikersnaam"):
        auth.add_user(name, "redacteur", PASSWORD, secrets)
    assert not secrets.exists()


def test_the_cli_refuses_it_too(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / "secrets.toml"
    monkeypatch.setattr(auth, "read_new_password", lambda _stdin: PASSWORD)
    assert cli(["add-user", "alice\n", "--role", "redacteur", "--secrets", str(secrets)]) == 2
    assert "Ongeldige gebruikersnaam 'alice\\n'" in capsys.readouterr().err
    assert not secrets.exists()


def test_a_valid_name_is_written_and_logs_in(tmp_path):
    secrets = tmp_path / "secrets.toml"
    auth.add_user("alice.de-vries@enschede", "redacteur", PASSWORD, secrets)
    data = auth.load_secrets_file(secrets)
    assert auth.verify_password(data, "alice.de-vries@enschede", PASSWORD).can_edit
