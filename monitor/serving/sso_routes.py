"""Streamlit's login routes with a Dutch answer when the provider is down or refuses.

Streamlit (``st.login``) serves ``/auth/login`` (to the provider), ``/oauth2callback`` (back
from it) and ``/auth/logout``. When something goes wrong it only logs: a provider whose
discovery document cannot be fetched gives the visitor a bare "Authentication error" page in
English; a refusal (``error=access_denied``) or a failed token exchange (token endpoint down,
wrong client secret) sends the visitor back to the start page with no word of what happened.

``wrap_auth_routes`` wraps the first two: on such a failure the browser goes to the start page
with ``?sso=<code>`` (``monitor.data.sso.PROBLEM_MESSAGES``: onbereikbaar, geweigerd,
mislukt), where ``ui.login`` shows the Dutch message, and one clear line goes to the log for
the beheerder. A successful login, the provider's return after a logout (no ``state``, no
``code``) and ``/auth/logout`` are left exactly as Streamlit answers them.

Starlette only; no Streamlit import (the hook that puts this in place is
``ui.streamlit_private.answer_login_failures_in_dutch``).
"""

from __future__ import annotations

import asyncio
import logging
import urllib.request
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from monitor.data.sso import FAILED, PROBLEM_PARAM, REFUSED, UNREACHABLE

LOG = logging.getLogger("monitor.sso")
USER_COOKIE = b"_streamlit_user="
PROBE_TIMEOUT_S = 5.0


def with_problem(location: str, code: str) -> str:
    """``location`` with ``?sso=code`` added (other query parameters kept)."""
    parts = urlsplit(location or "/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PROBLEM_PARAM]
    query.append((PROBLEM_PARAM, code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def sets_user_cookie(raw_headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a response logs the browser in: it sets Streamlit's identity cookie to a value
    (a cleared cookie is set to the empty value)."""
    for name, value in raw_headers:
        if name.lower() == b"set-cookie" and value.startswith(USER_COOKIE):
            rest = value[len(USER_COOKIE):]
            if rest and not rest.startswith((b";", b'"";', b'""')):
                return True
    return False


def probe(url: str | None, timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """Why the provider's discovery document cannot be fetched (Dutch), None when it can."""
    if not url:
        return "er is geen server_metadata_url ingesteld in [auth]"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - the configured URL
            answer.read(1)
        return None
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        return f"{url} is niet op te halen ({type(exc).__name__}: {exc})"


def callback_problem(params, answered_login: bool) -> str | None:
    """The problem code for a callback request (its query parameters) whose answer did or did
    not log the browser in; None when there is nothing to report."""
    if answered_login:
        return None
    if params.get("error"):
        return REFUSED if params.get("error") == "access_denied" else FAILED
    if params.get("state") or params.get("code"):
        return FAILED
    return None  # the provider's return after a logout (post_logout_redirect_uri)


def _clean(text: object, limit: int = 300) -> str:
    return str(text).replace("\r", " ").replace("\n", " ")[:limit]


def wrap_login(endpoint: Callable, metadata_url: Callable[[], str | None], start: str) -> Callable:
    async def login(request):
        try:
            response = await endpoint(request)
            failure = f"HTTP {response.status_code}" if response.status_code >= 400 else None
        except Exception as exc:  # noqa: BLE001 - e.g. an [auth] Authlib cannot use
            failure = f"{type(exc).__name__}: {_clean(exc)}"
        if failure is None:
            return response
        from starlette.responses import RedirectResponse

        reason = await asyncio.to_thread(probe, metadata_url())
        LOG.error("Inloggen via OIDC: doorsturen naar de aanmeldserver mislukt (%s); %s. "
                  "De bezoeker krijgt de melding '%s'.", failure,
                  reason or "de discovery-URL antwoordt nu wel; zie Streamlit's waarschuwing hierboven",
                  UNREACHABLE)
        return RedirectResponse(with_problem(start, UNREACHABLE), status_code=302)
    return login


def wrap_callback(endpoint: Callable, metadata_url: Callable[[], str | None], start: str) -> Callable:
    async def callback(request):
        from starlette.responses import RedirectResponse

        try:
            response = await endpoint(request)
        except Exception as exc:  # noqa: BLE001 - e.g. an [auth] Authlib cannot use
            LOG.error("Inloggen via OIDC: de terugkeer van de aanmeldserver gaf een fout: %s: %s",
                      type(exc).__name__, _clean(exc))
            response = RedirectResponse(start, status_code=302)
        params = request.query_params
        code = callback_problem(params, sets_user_cookie(response.raw_headers))
        if code is None:
            return response
        if code == REFUSED or params.get("error"):
            LOG.error("Inloggen via OIDC geweigerd door de aanmeldserver: error=%s (%s).",
                      _clean(params.get("error")), _clean(params.get("error_description") or "geen omschrijving"))
        else:
            reason = await asyncio.to_thread(probe, metadata_url())
            if reason:
                code = UNREACHABLE
            LOG.error("Inloggen via OIDC: de aanmelding kon niet worden afgerond (token-uitwisseling of "
                      "ID-token mislukt). %s", reason or "De aanmeldserver is bereikbaar: controleer "
                      "client_id en client_secret in [auth] en de klok van deze server; of de bezoeker "
                      "gebruikte een oude terugkeer-URL (terugknop).")
        location = response.headers.get("location") or start
        response.headers["location"] = with_problem(location, code)
        return response
    return callback


def wrap_auth_routes(routes: list, metadata_url: Callable[[], str | None]) -> list:
    """Streamlit's auth routes with the login and callback endpoints wrapped."""
    from starlette.routing import Route

    wrapped = []
    for route in routes:
        path = getattr(route, "path", "")
        if isinstance(route, Route) and path.endswith("/auth/login"):
            start = path[:-len("auth/login")]
            route = Route(path, wrap_login(route.endpoint, metadata_url, start), methods=["GET"])
        elif isinstance(route, Route) and path.endswith("/oauth2callback"):
            start = path[:-len("oauth2callback")]
            route = Route(path, wrap_callback(route.endpoint, metadata_url, start), methods=["GET"])
        wrapped.append(route)
    return wrapped
