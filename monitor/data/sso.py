"""Single sign-on rules: roles from a claim of the ID token, and what a failed login means.

The roles of an OIDC login (Microsoft Entra ID, Keycloak) come from a claim of the ID token,
configured in ``.streamlit/secrets.toml``::

    [auth_roles]
    claims = ["roles", "groups"]          # optional; this is the default, checked in order
    redacteur = ["TwentseKoers.Redacteur", "3f1c9a7e-0b1d-4c2a-9e57-2d8f0c6b1a11"]
    lezer = ["TwentseKoers.Lezer"]
    ingetrokken = ["j.de.vries@hengelo.nl"]   # optional: e-mail addresses or subjects (sub)

``ingetrokken`` takes a role away from one person at once, whatever their ID token says: the
token's claims are kept in Streamlit's identity cookie until the next login (up to 30 days), so
a role withdrawn at the provider would otherwise still hold; the secrets are read again at every
recording.

A claim is a list of values (Entra: ``roles`` holds the values of the assigned app roles,
``groups`` the object ids of the user's groups), or one text; a dotted name reaches into a
nested claim (Keycloak's realm roles: ``realm_access.roles``). Values are compared without
regard to case; ``redacteur`` wins over ``lezer``. When no claim gives a role, the e-mail list
``[roles]`` is the fallback (``monitor.data.auth.role_for_email``).

A ``[auth_roles]`` that is not valid (a misspelt key, a number instead of a list) gives no
role at all, not even from the e-mail list: access fails closed, and ``role_config_problems``
names what is wrong for the log and the page.

Pure: plain dicts in, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping

SECTION = "auth_roles"
DEFAULT_CLAIMS: tuple[str, ...] = ("roles", "groups")
WITHDRAWN = "ingetrokken"

# Why a login through the provider did not succeed (the ``sso`` query parameter the callback
# sends the browser back with; monitor.serving.sso_routes), and what the visitor reads.
PROBLEM_PARAM = "sso"
UNREACHABLE = "onbereikbaar"
REFUSED = "geweigerd"
FAILED = "mislukt"
PROBLEM_MESSAGES = {
    UNREACHABLE: ("De aanmeldserver van uw organisatie is nu niet bereikbaar, dus inloggen lukt even "
                  "niet. Bekijken kan gewoon doorgaan waar dat zonder inloggen mag. Probeer het later "
                  "opnieuw; blijft het zo, meld het dan aan de beheerder van de monitor."),
    REFUSED: ("De aanmeldserver van uw organisatie heeft het inloggen geweigerd: u heeft (nog) geen "
              "toegang tot deze monitor, of het inloggen is afgebroken. Vraag de beheerder om toegang "
              "als u die nodig heeft."),
    FAILED: ("Inloggen is niet gelukt: de monitor kon uw aanmelding niet afronden bij de aanmeldserver. "
             "Probeer het opnieuw; blijft het misgaan, meld het dan aan de beheerder van de monitor."),
}
CONFIG_BROKEN = ("De rolinstelling van de monitor is ongeldig, daarom kunt u nu niets vastleggen. "
                 "Meld dit aan de beheerder.")


def problem_message(code: object) -> str | None:
    """The Dutch message for a login problem code, None for anything else (no message)."""
    return PROBLEM_MESSAGES.get(code) if isinstance(code, str) else None


def _text_list(value: object) -> list[str] | None:
    """A text or a list of texts as a list; None when it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def role_config_problems(secrets: Mapping, roles: tuple[str, ...]) -> list[str]:
    """What is wrong with ``[auth_roles]`` (Dutch, one line each); empty when it is valid or absent."""
    if SECTION not in secrets:
        return []
    section = secrets[SECTION]
    if not isinstance(section, Mapping):
        return [f"[{SECTION}] in secrets.toml hoort een tabel te zijn, geen {type(section).__name__}."]
    problems = []
    for key, value in section.items():
        if key == "claims":
            names = _text_list(value)
            if not names or any(not name.strip() for name in names):
                problems.append(f"[{SECTION}] claims hoort een claimnaam of een lijst van claimnamen te zijn "
                                f"(bijvoorbeeld [\"roles\", \"groups\"]), niet {value!r}.")
        elif key in roles or key == WITHDRAWN:
            if _text_list(value) is None:
                what = "e-mailadressen of subjects (sub)" if key == WITHDRAWN else "claimwaarden"
                problems.append(f"[{SECTION}] {key} hoort een lijst van {what} (teksten) te zijn, "
                                f"niet {value!r}.")
        else:
            problems.append(f"[{SECTION}] heeft een onbekende sleutel '{key}'; kies uit claims, "
                            f"{', '.join(roles)}, {WITHDRAWN}.")
    return problems


def _claim(user_info: Mapping, name: str) -> list[str]:
    """The values of one claim (a dotted name reaches into nested claims), as texts."""
    value: object = user_info
    for part in name.strip().split("."):
        if not isinstance(value, Mapping):
            return []
        value = value.get(part)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def withdrawn(email: str | None, sub: str | None, secrets: Mapping) -> bool:
    """Whether ``[auth_roles] ingetrokken`` names this person (e-mail without regard to case, or
    the exact subject)."""
    section = secrets.get(SECTION)
    listed = _text_list(section.get(WITHDRAWN)) if isinstance(section, Mapping) else None
    if not listed:
        return False
    wanted = {item.strip() for item in listed}
    return bool(sub and sub in wanted) or bool(email and email.strip().casefold() in {w.casefold() for w in wanted})


def claim_role(user_info: Mapping, secrets: Mapping, roles: tuple[str, ...]) -> str | None:
    """The role the ID token's claims give under ``[auth_roles]`` (``roles`` in order of rank,
    highest first), or None. Call ``role_config_problems`` first: with problems, no role."""
    section = secrets.get(SECTION)
    if not isinstance(section, Mapping):
        return None
    names = _text_list(section.get("claims")) or list(DEFAULT_CLAIMS)
    found = {value.strip().casefold() for name in names for value in _claim(user_info, name)}
    for role in roles:
        wanted = _text_list(section.get(role)) or []
        if any(value.strip().casefold() in found for value in wanted):
            return role
    return None


def metadata_url(auth_section: Mapping) -> str | None:
    """The provider's discovery URL (``server_metadata_url``) in an ``[auth]`` section: flat, or
    in its one provider subsection (``[auth.microsoft]``)."""
    url = auth_section.get("server_metadata_url")
    if isinstance(url, str) and url:
        return url
    urls = [value.get("server_metadata_url") for value in auth_section.values() if isinstance(value, Mapping)]
    urls = [url for url in urls if isinstance(url, str) and url]
    return urls[0] if len(urls) == 1 else None
