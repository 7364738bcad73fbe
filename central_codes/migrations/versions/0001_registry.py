"""The registry: releases, areas, postal codes, code history, crosswalks.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the registry tables."""
    op.create_table(
        "registry_releases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version", sa.String(32), nullable=False, unique=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("source_version", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("provinces", sa.Integer, nullable=False),
        sa.Column("districts", sa.Integer, nullable=False),
        sa.Column("subdistricts", sa.Integer, nullable=False),
        sa.Column("abolished", sa.Integer, nullable=False),
    )
    op.create_table(
        "areas",
        sa.Column("code", sa.String(6), primary_key=True),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("parent_code", sa.String(6), sa.ForeignKey("areas.code"), nullable=True),
        sa.Column("name_th", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("abolished_on", sa.Date, nullable=True),
        sa.Column(
            "changed_in_release",
            sa.Integer,
            sa.ForeignKey("registry_releases.id"),
            nullable=False,
        ),
    )
    op.create_index("ix_areas_parent_code", "areas", ["parent_code"])
    op.create_table(
        "postal_codes",
        sa.Column("area_code", sa.String(6), sa.ForeignKey("areas.code"), primary_key=True),
        sa.Column("postal_code", sa.String(5), primary_key=True),
    )
    op.create_index("ix_postal_codes_postal_code", "postal_codes", ["postal_code"])
    op.create_table(
        "code_history",
        sa.Column("abolished_code", sa.String(6), sa.ForeignKey("areas.code"), primary_key=True),
        sa.Column("successor_code", sa.String(6), sa.ForeignKey("areas.code"), primary_key=True),
        sa.Column("abolished_on", sa.Date, nullable=False),
        sa.Column("in_force_on", sa.Date, nullable=True),
        sa.Column("basis", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=True),
    )
    op.create_table(
        "crosswalks",
        sa.Column("system", sa.String(32), primary_key=True),
        sa.Column("external_code", sa.String(32), primary_key=True),
        sa.Column("area_code", sa.String(6), sa.ForeignKey("areas.code"), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
    )
    op.create_index("ix_crosswalks_area_code", "crosswalks", ["area_code"])


def downgrade() -> None:
    """Drop the registry tables."""
    for table in ("crosswalks", "code_history", "postal_codes", "areas", "registry_releases"):
        op.drop_table(table)
