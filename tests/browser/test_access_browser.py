"""Access fails closed on a real server: a secrets file pasted twice, with
``require_login = true``, once read as "no secrets" and showed the project list to anyone. Now the
visitor sees only the Dutch message, the server's log names the file, line and column, and
after the repair the login is back without a restart (Chromium, ``python -m monitor serve``)."""

from __future__ import annotations

import pytest

from monitor.data.auth import hash_password
from monitor.data.secrets_check import MISCONFIGURED
from tests.browser.conftest import EDITOR, start_server, stop_server
from tests.browser.test_projecten_browser import TIMEOUT

pytestmark = pytest.mark.browser


def test_a_secrets_file_pasted_twice_closes_the_site_until_repaired(app_datasets, page, tmp_path):
    good = (f'require_login = true\n\n[users.{EDITOR[0]}]\npassword_hash = "{hash_password(EDITOR[1])}"\n'
            'role = "redacteur"\n')
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(good + "\n" + good, encoding="utf-8")
    log = tmp_path / "server.log"
    proc, url = start_server(app_datasets, secrets, log)
    try:
        page.goto(f"{url}/projecten")
        page.get_by_text(MISCONFIGURED).wait_for(timeout=TIMEOUT)
        body = page.locator("body").inner_text()
        assert "Kinderarmoede" not in body and "Inloggen" not in body and "Gebruikersnaam" not in body
        assert page.locator("[data-testid='stException']").count() == 0
        text = log.read_text(errors="replace")
        assert f"{secrets}, regel 9, kolom 22" in text and "De monitor is niet goed ingesteld" in text

        secrets.write_text(good, encoding="utf-8")  # repaired by the beheerder
        page.reload()
        page.get_by_text("Log in om de monitor te bekijken.").wait_for(timeout=TIMEOUT)
        assert "Kinderarmoede" not in page.locator("body").inner_text()  # require_login holds
    finally:
        stop_server(proc)
