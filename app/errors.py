"""Typed errors.

Two families, kept apart as in qutebrowser's ``KnownError`` / ``BugError``:

* :class:`DomainError` — the user did something the rules do not allow, or typed
  something invalid. It carries a Chinese message for the person at the counter and,
  where it concerns one input, the key of that field so the UI can show it next to it.
* :class:`EnvironmentProblem` — the world is not as the program needs it (database
  unreachable, bad configuration, missing file). Shown as a clear message, never a
  traceback, and logged.

Anything else is a bug: logged with context and reported as an internal error.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule or input problem the user can fix. ``field`` names the input concerned."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """Input is not acceptable (format, range, missing)."""


class PermissionDenied(DomainError):
    """The actor's roles do not allow this action."""


class NotFound(DomainError):
    """The record asked for does not exist (or not in this hall)."""


class Conflict(DomainError):
    """Someone else changed the record first, or the state does not allow the change."""


class AuthenticationFailed(DomainError):
    """Wrong user name or password, or the account cannot log in now."""


class EnvironmentProblem(Exception):
    """The environment is not usable: configuration, database, files."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
