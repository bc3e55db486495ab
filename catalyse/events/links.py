"""The personal link that lets a registered person manage their registration without an account.

The token is `<registration id>:<signature>`, signed with the site's SECRET_KEY (django.core.signing) under a
salt that holds the registration's address. Why signed rather than a random token stored in a column: nothing
to migrate, nothing in the database that would open registrations if a backup leaked, and the link dies by
itself when the address leaves the row (the GDPR erasure overwrites it) or the row is deleted. It has no time
limit on purpose: withdrawing one's consent to appear on the public list of participants must stay possible
for as long as the name is shown, after the event too. The token carries no personal data (the id only), and
opens this one registration: the page shows nothing about anyone else.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Registration

SALT = "catalyse.events.registration-link"


def _signer(email: str) -> signing.Signer:
    return signing.Signer(salt=f"{SALT}:{email.strip().lower()}")


def registration_token(registration: Registration) -> str:
    return _signer(registration.email).sign(str(registration.pk))


def registration_by_token(slug: str, token: str) -> Registration | None:
    """The registration of the event `slug` this token opens; None for a bad, forged or revoked token."""
    pk, colon, _signature = token.partition(":")
    if not colon or not pk.isdigit():
        return None
    registration = (
        Registration.objects.select_related("event", "session", "organisation").filter(pk=int(pk), event__slug=slug)
    ).first()
    if registration is None:
        return None
    try:
        _signer(registration.email).unsign(token)
    except signing.BadSignature:
        return None
    return registration


def absolute(path: str) -> str:
    """A link for an e-mail, which may be sent outside any request (a promotion by a worker)."""
    return settings.SITE_URL + path


def registration_url(registration: Registration) -> str:
    return reverse("events:registration_link", args=[registration.event.slug, registration_token(registration)])
