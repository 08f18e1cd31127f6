"""Schema version 9: a work plan's PIC contact sheet (WhatsApp links), the newest in use.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zi_contact_sheets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workplan_id", sa.Integer, sa.ForeignKey("zi_workplans.id"), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),  # of the file it was read from
        sa.Column("contacts", sa.Text, nullable=False),  # JSON: PIC -> phone number, as read
        sa.Column("by", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_zi_contact_sheets_workplan", "workplan_id", "id"),
    )


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: restore a backup taken before the upgrade")
