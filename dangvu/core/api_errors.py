"""The API's error answers, one shape for every app: 404 (missing or outside the scope), 409 (a
stale version, with the current one), 422 (refused by a rule, with per-field errors if known)."""

from django.core.exceptions import ValidationError
from ninja import Schema
from ninja.responses import Status

from .audit import StaleVersionError


class ErrorOut(Schema):
    detail: str
    current_version: int | None = None
    errors: dict[str, list[str]] | None = None


ERRORS = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def refused(exc: StaleVersionError | ValidationError) -> Status:
    """A service's refusal as the API answers it; nothing was written."""
    if isinstance(exc, StaleVersionError):
        return Status(409, {"detail": str(exc), "current_version": exc.current_version})
    errors = getattr(exc, "message_dict", None)
    return Status(422, {"detail": " ".join(getattr(exc, "messages", [str(exc)])), "errors": errors})
