"""An id, version, donor, item or package id in a table larger than a database integer
holds is refused with its row and column (on PostgreSQL the look-up itself failed)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tracker.importers.table import TableImportError, import_table

TOO_LARGE = st.integers(2**31, 10**30)
TABLES = {
    "id": "id,notes\n{n},x\n",
    "version": "id,version,notes\n1,{n},x\n",
    "donor_id": "donor_id,item,amount,currency,announced\n{n},aid,5,EUR,2025-07-10\n",
    "item_id": "donor,item_id,amount,currency,announced\nGermany,{n},5,EUR,2025-07-10\n",
    "package_id": "donor,item,amount,currency,announced,package_id,package\n"
    "Germany,aid,5,EUR,2025-07-10,{n},p\n",
}


@pytest.mark.parametrize("column", sorted(TABLES))
@settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=TOO_LARGE)
def test_a_number_past_the_integer_columns_is_refused(
    session: Session, column: str, number: int
) -> None:
    content = TABLES[column].format(n=number).encode()
    with pytest.raises(TableImportError) as raised:
        import_table(session, content, "ids.csv")
    [problem] = raised.value.problems
    assert (problem.row, problem.column) == (2, column)
    assert "larger than any id or version (2,147,483,647)" in problem.message
