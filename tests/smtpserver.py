"""A real SMTP server for the tests: aiosmtpd, started by the test on a free port.

``MailServer`` collects every message it accepts (parsed with :mod:`email`), can refuse
given recipients (550), can go down in the middle of a session (``go_down_at_rcpt``: at
that recipient it stops listening and drops the connection, as a crashed relay does) and
can require STARTTLS and a login with a self-signed certificate made here with
``cryptography``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "monitor", "geheim-wachtwoord"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """(certificate, key) for localhost and 127.0.0.1, made now."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class _Handler:
    owner: MailServer
    refuse: set[str] = field(default_factory=set)
    go_down_at_rcpt: str | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() == (self.go_down_at_rcpt or "").lower():
            self.owner.controller.server.close()  # stop listening: the next connect is refused
            server.transport.close()               # and drop this session
            return "421 going down"
        if address.lower() in self.refuse:
            return "550 5.1.1 onbekende ontvanger"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content or envelope.content)
        self.owner.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self, port: int | None = None, *, tls_folder: Path | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self.handler = _Handler(self)
        self.cafile: Path | None = None
        kwargs: dict = {}
        if tls_folder is not None:
            cert, key = self_signed(tls_folder)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
            self.cafile = cert
            kwargs = {"tls_context": context, "require_starttls": True, "auth_required": True,
                      "authenticator": self._authenticate}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    @staticmethod
    def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == (
            USER, PASSWORD)
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

    def start(self) -> MailServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller._thread is not None:  # stopping twice is harmless
            self.controller.stop()

    def secrets_toml(self, *, security: str = "geen") -> str:
        lines = ["[smtp]", 'host = "localhost"' if self.cafile else 'host = "127.0.0.1"', f"port = {self.port}",
                 f'security = "{security}"', 'from = "Twentse Koers Monitor <monitor@twentsekoers.test>"',
                 "timeout_s = 10"]
        if self.cafile:
            lines += [f'user = "{USER}"', f'password = "{PASSWORD}"', f'cafile = "{self.cafile}"']
        return "\n".join(lines) + "\n"

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.recipients]
