"""Signed links for receiving structures that have no account.

A link carries the orientation id and a nonce, signed with SECRET_KEY; it is
valid ORIENTATION_LINK_DAYS days after issue. Renewing issues a new nonce,
which revokes the previous links.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Orientation

SALT = "maillage.orientation.magic-link"


def issue(orientation: Orientation) -> str:
    orientation.link_nonce = secrets.token_hex(8)
    orientation.link_issued_at = timezone.now()
    orientation.save(update_fields=["link_nonce", "link_issued_at"])
    return signing.dumps({"o": orientation.pk, "n": orientation.link_nonce}, salt=SALT)


def resolve(token: str) -> Orientation | None:
    """The orientation a token opens, or None if invalid, expired or revoked."""
    max_age = settings.ORIENTATION_LINK_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    orientation = Orientation.objects.filter(pk=data.get("o")).first()
    if orientation is None or not orientation.link_nonce:
        return None
    if not secrets.compare_digest(orientation.link_nonce, str(data.get("n", ""))):
        return None
    return orientation
