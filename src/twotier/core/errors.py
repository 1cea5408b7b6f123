"""Domain errors shared by every app. DomainErrorMiddleware maps a Conflict to HTTP 409."""


class DomainError(Exception):
    """A business rule refused the request; the message is shown to the user."""


class Conflict(DomainError):
    """The request conflicts with the current state (stale version, duplicate, rule violated)."""
