"""A real OpenID Connect provider for the tests: ``tests/oidc/provider.js`` (panva's
oidc-provider, pinned in tests/oidc/package-lock.json, installed by ``npm ci`` in .ci/run) on
the machine's Node, as its own process.

Without Node or the installed package the tests that need it skip with the reason; with
``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from monitor.serving.netutil import stop_process, wait_until_answers

FOLDER = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "monitor"
CLIENT_SECRET = "monitor-test-secret"
# The two test accounts (tests/oidc/provider.js): name, password, what the ID token says.
EDITOR = ("redacteur", "wachtwoord-redacteur", "Rita Redacteur", "rita@gemeente.example", "7c1d2e3f-redacteur-0001")
READER = ("lezer", "wachtwoord-lezer", "Lex Lezer", "lex@gemeente.example", "9a8b7c6d-lezer-0002")
EDITOR_ROLE_VALUE = "TwentseKoers.Redacteur"


MIN_NODE = 20


def _major(node: str) -> int:
    try:
        version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
        return int(version.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return 0


def node_or_skip() -> str:
    node = shutil.which("node")
    installed = (FOLDER / "node_modules" / "oidc-provider" / "package.json").exists()
    if node and installed and _major(node) >= MIN_NODE:
        return node
    if node and installed:
        message = f"Node {MIN_NODE} of nieuwer is nodig voor oidc-provider; {node} is ouder."
    else:
        message = ("Node of het npm-pakket oidc-provider ontbreekt; installeer Debian's nodejs en npm en "
                   "draai 'npm ci' in tests/oidc (doen .ci/run en make test) om de single-sign-on-tests "
                   "te draaien.")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class Provider:
    """The provider process on ``port``; ``start`` and ``stop`` may be called again (a restart
    forgets its sessions)."""

    def __init__(self, port: int, redirect_uris: list[str], log: Path):
        self.port, self.redirect_uris, self.log = port, redirect_uris, log
        self.issuer = f"http://127.0.0.1:{port}"
        self.metadata_url = f"{self.issuer}/.well-known/openid-configuration"
        self.client_secret = CLIENT_SECRET  # another value: the monitor's secret is wrong
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        node = node_or_skip()
        args = [node, str(FOLDER / "provider.js"), "--port", str(self.port), "--client-secret", self.client_secret]
        for uri in self.redirect_uris:
            args += ["--redirect-uri", uri]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(args, cwd=FOLDER, stdout=out, stderr=subprocess.STDOUT)
        if not wait_until_answers(self.metadata_url, self.proc, 30):
            self.stop()
            pytest.fail(f"de OIDC-provider startte niet:\n{self.log.read_text(errors='replace')}", pytrace=False)

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)
            self.proc = None


def secrets_toml(redirect_uri: str, metadata_url: str, extra: str = "") -> str:
    """A secrets file for the monitor with this provider as its single sign-on."""
    return f"""[auth]
redirect_uri = "{redirect_uri}"
cookie_secret = "sso-browsertest-{os.urandom(8).hex()}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{metadata_url}"

[auth_roles]
redacteur = ["{EDITOR_ROLE_VALUE}"]
{extra}"""
