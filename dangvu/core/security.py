"""The client's address for login throttling, also behind the reverse proxy of a deployment."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind our one reverse proxy (DANGVU_BEHIND_PROXY) the address the proxy saw.

    The proxy appends the address it received the connection from to X-Forwarded-For, so only the
    last entry is trusted; entries before it come from the client and may be forged.
    """
    if getattr(settings, "DANGVU_BEHIND_PROXY", False):
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
