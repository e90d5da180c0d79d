"""Who is making the current request.

The one place the views ask for the signed-in user; the accounts module
replaces `current_user_or_none` (and adds role checks to the write routes).
Until then every request is anonymous and services record no user.
"""

from __future__ import annotations

from tracker.models import User


def current_user_or_none() -> User | None:
    """The signed-in user of this request, or None when nobody is signed in."""
    return None
