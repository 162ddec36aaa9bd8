"""Writes on accounts (core.User): password reset and change, language choice. Audited."""

import hashlib
import secrets

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import save_audited
from .models import ApiToken

# No 0/O, 1/l/I: the password is read off paper by older members.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def printable_password(length: int = 10) -> str:
    """A random initial password that is easy to copy from a printed sheet (50 bits)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


@transaction.atomic
def password_reset(*, actor, user) -> str:
    """A new printed password; the user must change it at the next login."""
    password = printable_password()
    user.set_password(password)
    user.must_change_password = True
    save_audited(
        user, actor=actor, reason="password reset", update_fields=["password", "must_change_password"]
    )
    axes_reset(username=user.username)  # a locked-out user gets in with the new password at once
    return password


@transaction.atomic
def password_changed(*, user) -> None:
    """The user chose their own password: the forced change is done."""
    if user.must_change_password:
        user.must_change_password = False
        save_audited(user, actor=user, reason="password changed", update_fields=["must_change_password"])


@transaction.atomic
def language_set(*, user, language: str) -> None:
    if language not in {"vi", "en"}:
        raise ValidationError(_("Unknown language."))
    user.language = language
    save_audited(user, actor=user, update_fields=["language"])


TOKEN_PREFIX = "dv_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned once and only its hash is stored."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the token a name, e.g. the program that will use it."))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=plain[:10], key_hash=token_hash(plain))
    save_audited(token, actor=actor, reason="token created")
    return token, plain


@transaction.atomic
def api_token_revoke(*, actor, token) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        save_audited(token, actor=actor, reason="token revoked", update_fields=["revoked_at"])
