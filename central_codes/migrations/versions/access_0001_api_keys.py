"""API keys: issued to partners and operators, stored as a hash, revocable.

Revision ID: access_0001
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "access_0001"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the api_keys table."""
    stamp = sa.DateTime(timezone=True)
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(16), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tier", sa.String(12), nullable=False),
        sa.Column("scopes", sa.String(400), nullable=False),
        sa.Column("rate_per_minute", sa.Integer, nullable=True),
        sa.Column("created_at", stamp, nullable=False),
        sa.Column("revoked_at", stamp, nullable=True),
    )


def downgrade() -> None:
    """Drop the api_keys table."""
    op.drop_table("api_keys")
