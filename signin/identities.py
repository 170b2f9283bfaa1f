"""Portal users from an OpenID provider's claims."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from signin.models import OidcIdentity

NAME_LENGTH = 150  # Django's first_name, last_name and username
EMAIL_LENGTH = 254


def user_from_claims(*, issuer: str, claims: Mapping[str, Any]) -> AbstractUser:
    """The portal user whom the provider `issuer` vouches for as ``claims["sub"]``.

    The subject id is the key: the first sign-in creates the user (with no usable password),
    every later one finds them by it, whatever their e-mail address has become. Each sign-in
    copies the name and e-mail address from the claims, and, when a staff claim is configured
    (``OIDC_STAFF_CLAIM``), whether the user is staff, so that taking someone out of the group at
    the provider takes the administration from them at their next sign-in. Memberships of units
    are the portal's own and are never touched here."""
    subject = str(claims["sub"])
    with transaction.atomic():
        identity = (
            OidcIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is None:
            identity = _first_sign_in(issuer=issuer, subject=subject, claims=claims)
        user = identity.user
        changed = _copy_claims(user, claims)
        if changed:
            user.save(update_fields=changed)
        identity.last_sign_in = timezone.now()
        identity.save(update_fields=["last_sign_in"])
    return user


def _first_sign_in(*, issuer: str, subject: str, claims: Mapping[str, Any]) -> OidcIdentity:
    for username in _usernames(issuer, subject, claims):
        try:
            # A savepoint each: two first sign-ins of one person at once meet the unique
            # constraint on the subject id, and the later takes the earlier's user; two people of
            # one user name at once meet the user name's, and the later takes the suffixed name.
            with transaction.atomic():
                user = get_user_model().objects.create_user(username)
                return OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        except IntegrityError:
            existing = (
                OidcIdentity.objects.select_for_update()
                .select_related("user")
                .filter(issuer=issuer, subject=subject)
                .first()
            )
            if existing is not None:
                return existing
    raise IntegrityError(f"No free user name for the subject id {subject} of {issuer}")


def _usernames(issuer: str, subject: str, claims: Mapping[str, Any]) -> Iterator[str]:
    """The provider's user name for the person, or their e-mail address, if no one has it yet;
    else that name with a suffix made from the issuer and subject id, which no one else gets. A
    local account of the same name is never taken over."""
    wanted = str(claims.get("preferred_username") or claims.get("email") or subject)[:NAME_LENGTH]
    if not get_user_model().objects.filter(username=wanted).exists():
        yield wanted
    suffix = hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()[:12]
    yield f"{wanted[: NAME_LENGTH - len(suffix) - 1]}-{suffix}"


def _copy_claims(user: AbstractUser, claims: Mapping[str, Any]) -> list[str]:
    """Set the user's fields from the claims; return the names of those that changed."""
    given, family = _names(claims)
    wanted: dict[str, Any] = {}
    if given or family:
        wanted["first_name"] = given[:NAME_LENGTH]
        wanted["last_name"] = family[:NAME_LENGTH]
    if claims.get("email"):
        wanted["email"] = str(claims["email"])[:EMAIL_LENGTH]
    staff = is_staff_by_claims(claims)
    if staff is not None:
        wanted["is_staff"] = staff
    changed = [field for field, value in wanted.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, wanted[field])
    return changed


def _names(claims: Mapping[str, Any]) -> tuple[str, str]:
    """Given and family name; from `name` when the provider sends no parts (Entra ID without the
    optional claims sends only `name`)."""
    given, family = str(claims.get("given_name") or ""), str(claims.get("family_name") or "")
    if not (given or family) and claims.get("name"):
        given, _space, family = str(claims["name"]).strip().partition(" ")
    return given.strip(), family.strip()


def is_staff_by_claims(claims: Mapping[str, Any]) -> bool | None:
    """Whether the claims make the user staff, or None when no staff claim is configured (staff
    is then set in the portal's administration). With ``OIDC_STAFF_VALUE`` the claim must be that
    value or a list holding it (a group or app role); without, the claim must be true."""
    claim = settings.OIDC_STAFF_CLAIM
    if not claim:
        return None
    value = claims.get(claim)
    wanted = settings.OIDC_STAFF_VALUE
    if not wanted:
        return value is True
    if isinstance(value, list | tuple):
        return wanted in value
    return value == wanted
