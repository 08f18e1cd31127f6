"""Schema version 4: each upload's summary per plan row and its figures at its own date, built for
every upload already stored (summaries.rebuild_summaries).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from zi_dashboard.storage.summaries import rebuild_summaries

    op.create_table(
        "zi_snapshot_summary",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("zi_snapshots.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),  # the plan row's position in its plan
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        *[sa.Column(name, sa.Text, nullable=False) for name in ("pic", "evidence", "notes", "status_reported")],
    )
    op.create_table(
        "zi_snapshot_figures",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("zi_snapshots.id"), primary_key=True),
        sa.Column("part", sa.String(32), primary_key=True),  # "" overall, else a component code
        sa.Column("completion", sa.Float, nullable=False),
        sa.Column("planned", sa.Float, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("overdue", sa.Integer, nullable=False),
    )
    rebuild_summaries(op.get_bind(), corrected=False)  # no position date is corrected before 0006


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: restore a backup taken before the upgrade")
