"""The ``[smtp]`` table of the secrets and sending through it with :mod:`smtplib`.

::

    [smtp]
    host = "smtp-relay.example.nl"   # required
    port = 587                       # default: 587 (starttls), 465 (ssl), 25 (geen)
    security = "starttls"            # starttls | ssl | geen
    user = "monitor"                 # optional: no login without it
    password = "..."
    from = "Twentse Koers Monitor <monitor@example.nl>"   # required
    timeout_s = 20
    cafile = "/etc/ssl/certs/eigen-ca.pem"   # optional: trust this CA (a relay with an internal
                                             # certificate) instead of the system's

Read from the same files, by the same code, as the app's secrets
(:func:`monitor.data.secrets_check.read`); a wrong setting is a Dutch problem naming the file
and key, and nothing is sent. :func:`send` opens one connection for a batch of messages and
reports per message whether it went; a message that did not go is retried by the next run.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

SECURITY = ("starttls", "ssl", "geen")
DEFAULT_PORT = {"starttls": 587, "ssl": 465, "geen": 25}
KEYS = ("host", "port", "security", "user", "password", "from", "timeout_s", "cafile")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    user: str | None = None
    password: str | None = None
    timeout_s: float = 20.0
    cafile: str | None = None

    def describe(self) -> str:
        login = f", als {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({self.security}{login})"


class SmtpSettingsError(ValueError):
    """The ``[smtp]`` table is missing or wrong; the message is Dutch and names file and key."""


def _text(table: Mapping, key: str, where: str, required: bool) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise SmtpSettingsError(f"{where}: '[smtp] {key}' ontbreekt.")
        return None
    if not isinstance(value, str) or not value.strip():
        raise SmtpSettingsError(f"{where}: '[smtp] {key}' moet tekst zijn (tussen aanhalingstekens).")
    return value.strip()


def is_address(text: str) -> bool:
    """A plain check: one '@' with something before it and a dotted domain after it."""
    _name, address = parseaddr(text)
    local, at, domain = address.rpartition("@")
    return bool(at and local and "." in domain.strip(".") and not any(c.isspace() for c in address))


def from_config(config: Mapping, where: str = "secrets.toml") -> SmtpSettings:
    """The settings of ``config['smtp']``, or :class:`SmtpSettingsError`."""
    table = config.get("smtp")
    if table is None:
        raise SmtpSettingsError(f"{where}: geen [smtp]-tabel; zonder mailserver kan er niets worden "
                                "verstuurd (zie docs/operations.md).")
    if not isinstance(table, Mapping):
        raise SmtpSettingsError(f"{where}: 'smtp' moet een tabel zijn ([smtp]).")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise SmtpSettingsError(f"{where}: onbekende instelling '[smtp] {unknown[0]}'; bekend zijn "
                                f"{', '.join(KEYS)}.")
    security = (_text(table, "security", where, False) or "starttls").lower()
    if security not in SECURITY:
        raise SmtpSettingsError(f"{where}: '[smtp] security' moet {', '.join(SECURITY)} zijn, niet "
                                f"'{security}'.")
    port = table.get("port", DEFAULT_PORT[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise SmtpSettingsError(f"{where}: '[smtp] port' moet een poortnummer zijn (zonder "
                                "aanhalingstekens), zoals 587.")
    timeout = table.get("timeout_s", 20)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise SmtpSettingsError(f"{where}: '[smtp] timeout_s' moet een aantal seconden zijn.")
    sender = _text(table, "from", where, True)
    if not is_address(sender):
        raise SmtpSettingsError(f"{where}: '[smtp] from' is geen e-mailadres: '{sender}'.")
    user = _text(table, "user", where, False)
    password = _text(table, "password", where, False)
    if (user is None) != (password is None):
        raise SmtpSettingsError(f"{where}: '[smtp] user' en '[smtp] password' horen samen.")
    return SmtpSettings(host=_text(table, "host", where, True), port=port, security=security,
                        sender=sender, user=user, password=password, timeout_s=float(timeout),
                        cafile=_text(table, "cafile", where, False))


@dataclass(frozen=True)
class Outcome:
    """Whether one message went; ``error`` in Dutch when it did not."""
    key: str
    sent: bool
    error: str | None = None


def _context(settings: SmtpSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.cafile)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout_s,
                                                context=_context(settings))
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
    try:
        if settings.security == "starttls":
            server.starttls(context=_context(settings))
        if settings.user:
            server.login(settings.user, settings.password or "")
    except BaseException:
        server.close()
        raise
    return server


def _why(exc: BaseException, settings: SmtpSettings) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(f"{address} ({code} {reply.decode(errors='replace')})"
                            for address, (code, reply) in exc.recipients.items())
        return f"de mailserver weigert het adres: {refused}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"inloggen bij de mailserver {settings.describe()} mislukt ({exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"de mailserver antwoordt {exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
    if isinstance(exc, ssl.SSLError):
        return f"beveiligde verbinding met {settings.describe()} mislukt ({exc.reason or exc})"
    if isinstance(exc, (OSError, smtplib.SMTPException)):
        return f"de mailserver {settings.describe()} is niet bereikbaar ({exc.strerror or exc})" \
            if isinstance(exc, OSError) else f"fout van de mailserver {settings.describe()} ({exc})"
    return f"{type(exc).__name__}: {exc}"


def send(settings: SmtpSettings, messages: Iterable[tuple[str, EmailMessage]]) -> list[Outcome]:
    """Send each (key, message) over one connection (opened again for the next message after it
    failed); an outcome per message, in order. Never raises for a mail problem: it is in the outcome."""
    outcomes: list[Outcome] = []
    server: smtplib.SMTP | None = None
    try:
        for key, message in messages:
            try:
                if server is None:
                    server = _connect(settings)
                server.send_message(message)
                outcomes.append(Outcome(key, True))
            except (smtplib.SMTPException, OSError) as exc:
                outcomes.append(Outcome(key, False, _why(exc, settings)))
                if not isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)):
                    _quit(server)
                    server = None
    finally:
        _quit(server)
    return outcomes


def _quit(server: smtplib.SMTP | None) -> None:
    if server is None:
        return
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()
