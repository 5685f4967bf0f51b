"""What the S3 store's calls fail with, for a user: a Dutch message naming the
object, the technical detail in the log, never a stack trace on a page.

* The endpoint cannot be reached (connection refused, a name that does not resolve, no answer
  within the client's timeouts): ``StorageUnreachable`` with ``unreachable`` set; the store
  then answers at once for :data:`RETRY_AFTER_S` seconds with the same message instead of
  waiting for every call of a page again.
* The storage refuses (access denied, a wrong key, a bucket that does not exist, no
  credentials) or fails otherwise: ``StorageUnreachable`` with the reason.
* A conditional PUT or DELETE that lost is not a failure but an answer:
  :class:`PreconditionFailed`, handled by the caller.
"""

from __future__ import annotations

import logging

from monitor import settings
from monitor.data.errors import StorageError

log = logging.getLogger("monitor.data.objectstore")


seconds_setting = settings.seconds


# The client's bounds: an endpoint that does not answer fails a call within about
# ATTEMPTS × (CONNECT_TIMEOUT_S or READ_TIMEOUT_S) seconds, not minutes.
CONNECT_TIMEOUT_S = seconds_setting("MONITOR_S3_CONNECT_TIMEOUT_S", 3.0)
READ_TIMEOUT_S = seconds_setting("MONITOR_S3_READ_TIMEOUT_S", 10.0)
ATTEMPTS = max(1, int(seconds_setting("MONITOR_S3_ATTEMPTS", 2)))
RETRY_AFTER_S = seconds_setting("MONITOR_S3_RETRY_AFTER_S", 5.0)

# Answers a caller handles itself: a missing object, a conditional request that lost.
PASSED_ON = frozenset({"NoSuchKey", "404", "PreconditionFailed", "ConditionalRequestConflict", "412", "409",
                       "NotImplemented"})
ACCESS_DENIED = frozenset({"AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch",
                           "AllAccessDisabled", "ExpiredToken", "InvalidToken", "AccountProblem"})


class PreconditionFailed(Exception):
    """A conditional PUT or DELETE lost: the object exists, or changed since it was read."""


class StorageUnreachable(StorageError):
    """The object store could not be reached or refused a call; the message names the object."""

    def __init__(self, message: str, url: str, unreachable: bool = False) -> None:
        self.url = url
        self.unreachable = unreachable
        super().__init__(message)


def code(exc: BaseException) -> str:
    response = getattr(exc, "response", {}) or {}
    error = response.get("Error", {}) or {}
    return str(error.get("Code") or response.get("ResponseMetadata", {}).get("HTTPStatusCode") or "")


def passed_on(exc: BaseException) -> bool:
    """An S3 answer the caller handles (a missing object, a conditional request that lost)."""
    return code(exc) in PASSED_ON


def failure(exc: BaseException, url: str, doing: str, endpoint: str | None) -> StorageUnreachable:
    """The Dutch error for a failed call on the object ``url`` (``doing``: "gelezen",
    "geschreven", "verwijderd", "opgesomd"); the technical detail is logged here."""
    import botocore.exceptions as bx

    where = endpoint or "AWS S3"
    found = code(exc)
    unreachable = isinstance(exc, (bx.ConnectionError, bx.HTTPClientError))
    if unreachable:
        reason = unreachable_reason(endpoint)
    elif isinstance(exc, (bx.NoCredentialsError, bx.PartialCredentialsError, bx.CredentialRetrievalError)):
        reason = ("er zijn geen (volledige) inloggegevens voor de opslag ingesteld "
                  "(AWS_ACCESS_KEY_ID en AWS_SECRET_ACCESS_KEY, een profiel of een rol)")
    elif found in ACCESS_DENIED:
        reason = f"de opslag ({where}) weigert de toegang ({found})"
    elif found == "NoSuchBucket":
        reason = f"de bucket bestaat niet in de opslag ({where})"
    else:
        reason = f"de opslag ({where}) gaf een fout ({found or type(exc).__name__})"
    log.warning("opslag: %s kon niet worden %s: %s: %s", url, doing, type(exc).__name__, exc)
    return message(url, doing, reason, unreachable)


def unreachable_reason(endpoint: str | None) -> str:
    return f"de opslag ({endpoint or 'AWS S3'}) is niet bereikbaar of antwoordt niet op tijd"


def message(url: str, doing: str, reason: str, unreachable: bool = False) -> StorageUnreachable:
    """The error for object ``url`` that could not be ``doing`` for ``reason``."""
    if doing == "geschreven":
        tail = ("Controleer als de opslag weer werkt of de wijziging er staat, en voer haar anders "
                "opnieuw uit.")
    else:
        tail = ("Wat dit object nodig heeft, wordt niet getoond. Probeer het over een minuut opnieuw; "
                "blijft de fout, geef deze melding dan door aan de beheerder.")
    return StorageUnreachable(f"Het object {url} kon niet worden {doing}: {reason}. {tail}", url, unreachable)
