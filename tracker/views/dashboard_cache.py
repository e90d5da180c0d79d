"""Per-process caches for the dashboard, keyed by the data version, and its ETag.

Only user-independent things are cached: the page's content fragment (tables, charts,
the filter form) per normalised query string, and the reference names per names
version (tracker.services.data_version).
The shell around the fragment (header with the current user, flashed messages,
tokens) is rendered for every request of a signed-in account; for a visitor nobody
signed in as, with no message waiting, the shell holds nothing of its own, so the
whole page is kept too (`page_for_anyone`), per path and query as sent. An entry of
an older data version is never served: a read of a newer version drops the older
entries.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from flask import Flask, current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from tracker.views.formatting import rates_in_use

__all__ = [
    "DashboardCaches",
    "VersionedCache",
    "args_key",
    "dashboard_caches",
    "dashboard_etag",
    "page_for_anyone",
]

EXTENSION = "tracker.dashboard_cache"
DEFAULT_SIZE = 128
Value = TypeVar("Value")


class VersionedCache(Generic[Value]):
    """A bounded least-recently-used map of (key, data version) to a value; thread-safe."""

    def __init__(self, size: int) -> None:
        """Keep at most `size` entries (0 keeps nothing)."""
        self.size = size
        self._entries: OrderedDict[Hashable, Value] = OrderedDict()
        self._version = -1
        self._lock = threading.Lock()

    def _see(self, version: int) -> None:
        """Forget every entry when a newer data version shows up (lock held)."""
        if version > self._version:
            self._entries.clear()
            self._version = version

    def get(self, key: Hashable, version: int) -> Value | None:
        """The value cached for `key` at `version`, or None."""
        with self._lock:
            self._see(version)
            if version != self._version or key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: Hashable, version: int, value: Value) -> None:
        """Remember `value` for `key` at `version` (not when a newer version is known)."""
        with self._lock:
            self._see(version)
            if self.size <= 0 or version != self._version:
                return
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        """How many entries are held."""
        return len(self._entries)


class DashboardCaches:
    """The rendered content fragments and the reference names of one app."""

    def __init__(self, size: int) -> None:
        """Fragments and whole pages: at most `size` each; names: the newest version's only."""
        self.fragments: VersionedCache[str] = VersionedCache(size)
        self.pages: VersionedCache[bytes] = VersionedCache(size)
        self.names: VersionedCache[Any] = VersionedCache(1)


def args_key(args: MultiDict[str, str]) -> tuple[tuple[str, str], ...]:
    """The query string as a sorted tuple: different filters never give the same key."""
    return tuple(sorted(args.items(multi=True)))


def dashboard_etag(key: Hashable, version: int) -> str:
    """An ETag for the page: the query, the data version and who is asking.

    The signed-in account and the session's CSRF secret are part of it, so one browser
    never gets a 304 for a page rendered for another account or session; so is a time
    slot of half the CSRF token lifetime, so a revalidated page never carries an
    expired token.
    """
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
    slot = int(time.time() // (limit / 2)) if limit else 0
    user_id = session.get("_user_id")
    if user_id is not None and current_app.config.get("WTF_CSRF_ENABLED", True):
        generate_csrf()  # the header's sign-out form will carry it: settle it before the tag
    who = (user_id, session.get("csrf_token"))
    digest = hashlib.sha256(repr((key, version, who, slot)).encode()).hexdigest()
    return digest[:32]


def _anyone_key() -> Hashable | None:
    """The key of the whole page when the shell is the same for every such visitor: nobody
    signed in and no flashed message waiting. The shell then depends on the endpoint, the
    path and query as sent (the sign-in link leads back to them), the mount point and the
    last day of the rates in the footer; None otherwise."""
    if session.get("_flashes") or current_user.is_authenticated:
        return None
    footer = rates_in_use()["rates_until"]
    return (request.endpoint, request.script_root, request.full_path, footer)


def page_for_anyone(
    pages: VersionedCache[bytes], version: int, render: Callable[[], tuple[str, bool]]
) -> bytes:
    """The page `render` draws (with whether it may be kept) as UTF-8, kept whole in `pages`
    for `version` when nobody is signed in and no message waits (`_anyone_key`); drawn
    afresh otherwise. Kept encoded: encoding a 60 kB page was a tenth of a kept page's CPU."""
    key = _anyone_key() if pages.size > 0 else None
    page = pages.get(key, version) if key is not None else None
    if page is None:
        text, keep = render()
        page = text.encode()
        if keep and key is not None:
            pages.put(key, version, page)
    return page


def dashboard_caches() -> DashboardCaches:
    """The current app's dashboard caches."""
    caches: DashboardCaches = current_app.extensions[EXTENSION]
    return caches


def init_app(app: Flask) -> None:
    """Give the app its caches; DASHBOARD_CACHE_SIZE entries of content (0: no content cache)."""
    app.extensions[EXTENSION] = DashboardCaches(int(app.config.get("DASHBOARD_CACHE_SIZE",
                                                                   DEFAULT_SIZE)))  # fmt: skip
