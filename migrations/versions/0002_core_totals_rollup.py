"""core: totals rollup table, and the pledge index for donor + date filters

The rollup starts empty: a database that already holds pledges runs
`tracker.services.totals.rebuild_totals` once after upgrading.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:28:28.564599
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('totals_rollup',
    sa.Column('dimension', sa.String(length=10), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('reviewed', sa.Boolean(), nullable=False),
    sa.Column('pledges', sa.BigInteger(), nullable=False),
    sa.Column('quantified', sa.BigInteger(), nullable=False),
    sa.Column('quantity_milli', sa.BigInteger(), nullable=False),
    sa.Column('quantity_lower_milli', sa.BigInteger(), nullable=False),
    sa.Column('eur_cents', sa.BigInteger(), nullable=False),
    sa.Column('eur_lower_cents', sa.BigInteger(), nullable=False),
    sa.Column('usd_cents', sa.BigInteger(), nullable=False),
    sa.Column('open_ended', sa.BigInteger(), nullable=False),
    sa.Column('approximate', sa.BigInteger(), nullable=False),
    sa.Column('unconverted', sa.BigInteger(), nullable=False),
    sa.Column('stale', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("dimension IN ('all', 'donor', 'item', 'category', 'month', 'currency')", name=op.f('ck_totals_rollup_dimension')),
    sa.PrimaryKeyConstraint('dimension', 'key_id', 'key', 'kind', 'stage', 'recipient_id', 'reviewed', name=op.f('pk_totals_rollup'))
    )
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.create_index('ix_pledge_donor_id_announced', ['donor_id', 'announced'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.drop_index('ix_pledge_donor_id_announced')

    op.drop_table('totals_rollup')
