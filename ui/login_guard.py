"""Login throttling for local accounts, the Streamlit side of ``monitor.data.throttle``: the
client's address and one password check behind the throttle. Never waits: a refusal is shown
at once, with how long to wait."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from monitor.data import throttle
from monitor.data.auth import LOGIN_FAILED, verify_password
from monitor.data.events import User


def client_address() -> str:
    """The visitor's address (``throttle.client_address``: headers only from the proxy on this
    machine)."""
    try:
        peer = st.context.ip_address
        headers = {key: value for key, value in st.context.headers.items()
                   if isinstance(key, str) and isinstance(value, str)}
    except Exception:  # no request context (a test without a browser)
        peer, headers = None, {}
    return throttle.client_address(peer if isinstance(peer, str) else None, headers)


def gate() -> throttle.Throttle:
    return throttle.Throttle(throttle.state_dir() / throttle.FILE_NAME)


def check_password(config: Mapping, name: str, password: str) -> tuple[User | None, str | None]:
    """(the user, None) when the password is right and neither the account nor the address is
    throttled; else (None, the Dutch message to show)."""
    counter, address = gate(), client_address()
    try:
        verdict = counter.begin(name, address)
        if not verdict.allowed:
            return None, verdict.message()
        user = verify_password(config, name, password)
        if user is None:
            later = counter.failed(name, address)
            return None, LOGIN_FAILED if later.allowed else f"{LOGIN_FAILED} {later.message()}"
        counter.succeeded(name, address)
    except throttle.ThrottleUnavailable as exc:
        return None, str(exc)
    return user, None
