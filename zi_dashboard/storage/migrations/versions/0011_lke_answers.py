"""Schema version 11: a work plan's LKE answers, one set per save, and the LKE instruments an
editor added.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zi_lke_answer_sets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workplan_id", sa.Integer, sa.ForeignKey("zi_workplans.id"), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),  # unit | tpi
        sa.Column("instrument_year", sa.Integer, nullable=False),
        sa.Column("answers", sa.Text, nullable=False),  # JSON
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("by", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_zi_lke_answer_sets_workplan", "workplan_id", "level", "id"),
    )
    op.create_table(
        "zi_lke_instruments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content", sa.Text, nullable=False),  # the questions CSV, as given
        sa.Column("by", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: restore a backup taken before the upgrade")
