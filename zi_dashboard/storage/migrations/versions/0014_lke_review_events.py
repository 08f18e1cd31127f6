"""The TPI review of a work plan's LKE (issue 23): its moves and deadlines, append-only.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zi_lke_review_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workplan_id", sa.Integer, sa.ForeignKey("zi_workplans.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),  # state | deadline (counting.lke_review)
        sa.Column("state", sa.String(32), nullable=False),  # the state moved to, or a deadline's stage
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("by", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_zi_lke_review_events_workplan", "zi_lke_review_events", ["workplan_id", "id"])


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: restore a backup taken before the upgrade")
