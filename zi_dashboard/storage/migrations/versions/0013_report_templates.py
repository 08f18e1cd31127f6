"""A unit's own Laporan monev template, its history, and the letter's details (issue 24).

zi_report_templates: every template a unit's editor stored (who, when, file name, size, bytes,
sha256); zi_report_template_uses: every choice of the template in use (NULL: the default one), so
the template in use at any moment can be told again; zi_report_details: the letter's number,
place and signer as last saved for a unit.  Append-only; keyed by the unit's name (every year).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zi_report_templates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit", sa.String(160), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("by", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_zi_report_templates_unit", "unit", "id"),
    )
    op.create_table(
        "zi_report_template_uses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit", sa.String(160), nullable=False),
        sa.Column("template_id", sa.Integer, sa.ForeignKey("zi_report_templates.id"), nullable=True),
        sa.Column("by", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_zi_report_template_uses_unit", "unit", "id"),
    )
    op.create_table(
        "zi_report_details",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("unit", sa.String(160), nullable=False),
        sa.Column("details", sa.Text, nullable=False),  # JSON: field -> text
        sa.Column("by", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_zi_report_details_unit", "unit", "id"),
    )


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: restore a backup taken before the upgrade")
