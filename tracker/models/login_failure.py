"""Failed sign-in attempts, kept so that every server process applies the same limit."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base
from tracker.models._types import Timestamp, utcnow


class LoginFailure(Base):
    """One failed sign-in: which account name was tried, from which address, when."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(45), index=True)
