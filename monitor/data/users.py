"""Who records a change: the user of a login, the roles, and the refusal when they may not."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.data.errors import MonitorError

EDITOR_ROLE = "redacteur"
BEHEERDER_ROLE = "beheerder"


class PermissionDenied(MonitorError):
    """The user may not record this change (not logged in, or no right to it: ``monitor.data.rights``)."""


@dataclass(frozen=True)
class User:
    """Who records a change. ``sub`` is the OIDC subject (stable id at the provider), None for a
    local account. ``blocked``: the login holds no rights at all (withdrawn under ``[auth_roles]
    ingetrokken``, or an invalid role configuration), not even those of a named owner."""
    name: str
    role: str | None
    email: str | None = None
    sub: str | None = None
    blocked: bool = False

    @property
    def can_edit(self) -> bool:
        """Whether the role records for projects in general (a redacteur: those without an owner;
        a beheerder: all). A named owner records for their own projects whatever the role
        (``monitor.data.rights``)."""
        return not self.blocked and self.role in (EDITOR_ROLE, BEHEERDER_ROLE)
