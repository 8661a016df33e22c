"""seed the ten fiches of the participation kit (data only)

Inserts Parole's first version of the ten fiches (app/kit/seed_content.py), each marked as
not verified against the official kit. Fiches that already exist are left alone.

Freeze note: this migration imports the seed content instead of copying it, so a database
made later gets the text as it is in seed_content.py at that time. That is wanted for
content (the fiches are edited in the product afterwards, with their history), and the
migration only uses plain values from that module (no model, no session): the table is
described here with the columns of revision 0008, so a later change of the models cannot
break it. If seed_content.py ever loses a field used below, copy the content here.

The downgrade deletes fiches 1 to 10 and their history.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 18:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import app.db
from app.kit.seed_content import seed_fiches

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

kit_fiches = sa.table(
    "kit_fiches",
    sa.column("id", sa.Integer()),
    sa.column("number", sa.Integer()),
    sa.column("phase", sa.String(16)),
    sa.column("title", sa.String(200)),
    sa.column("why", sa.Text()),
    sa.column("how", sa.Text()),
    sa.column("tools", sa.Text()),
    sa.column("success_factors", sa.Text()),
    sa.column("easy", sa.Text()),
    sa.column("source", sa.Text()),
    sa.column("edition", sa.String(100)),
    sa.column("verified", sa.Boolean()),
    sa.column("updated_at", app.db.UTCDateTime()),
    sa.column("updated_by_id", sa.Integer()),
)
kit_fiche_revisions = sa.table(
    "kit_fiche_revisions",
    sa.column("fiche_id", sa.Integer()),
)
COLUMNS = (
    "number",
    "phase",
    "title",
    "why",
    "how",
    "tools",
    "success_factors",
    "easy",
    "source",
    "edition",
    "verified",
)


def upgrade() -> None:
    connection = op.get_bind()
    existing = set(connection.scalars(sa.select(kit_fiches.c.number)))
    now = datetime.now(UTC)
    rows = [
        {**{name: fiche[name] for name in COLUMNS}, "updated_at": now, "updated_by_id": None}
        for fiche in seed_fiches()
        if fiche["number"] not in existing
    ]
    if rows:
        op.bulk_insert(kit_fiches, rows)


def downgrade() -> None:
    numbers = kit_fiches.c.number.between(1, 10)
    ids = sa.select(kit_fiches.c.id).where(numbers)
    op.execute(kit_fiche_revisions.delete().where(kit_fiche_revisions.c.fiche_id.in_(ids)))
    op.execute(kit_fiches.delete().where(numbers))
