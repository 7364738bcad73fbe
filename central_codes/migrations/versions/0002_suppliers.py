"""Supplier overrides: the water or electricity supplier of a subdistrict, where the province rule is wrong.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the supplier override table."""
    op.create_table(
        "supplier_overrides",
        sa.Column("area_code", sa.String(6), sa.ForeignKey("areas.code"), primary_key=True),
        sa.Column("kind", sa.String(12), primary_key=True),
        sa.Column("supplier", sa.String(8), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
    )


def downgrade() -> None:
    """Drop the supplier override table."""
    op.drop_table("supplier_overrides")
