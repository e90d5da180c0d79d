"""The data version: one row whose counter goes up with every write the dashboard can see.

Pledge writes (through the services, the bulk path or a rollup rebuild) and changes to
donors, groups, items, categories and recipients add one to `version` in their own
transaction, so a reader that sees a version sees every write before it. Caches of
rendered totals are keyed by it (tracker.services.data_version). `names_version` goes up
only with the writes to donors, aliases, items, item aliases, categories and recipients:
the extractor's vocabulary and the dashboard's reference names, read from those tables,
are cached under it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Integer
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base

DATA_VERSION_ROW = 1


class DataVersion(Base):
    """The single counter row (id 1)."""

    __tablename__ = "data_version"
    __table_args__ = (CheckConstraint(f"id = {DATA_VERSION_ROW}", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)
    names_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
