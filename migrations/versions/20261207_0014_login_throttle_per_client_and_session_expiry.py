"""login throttle per client and session expiry

Login throttle per identifier and client: `login_throttles.window_started_at` (the start of
the hourly or daily count) and new keys; the rows counted under the old keys (identifier
only) are deleted: they would never be read again, and a wait in progress simply ends.
Login sessions: `last_used_at`, filled with `created_at` for the logins already open, so that
a login unused for 30 days ends (see `app.accounts.services.person_for_token`).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM login_throttles")
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("window_started_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_used_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE login_sessions SET last_used_at = created_at")
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.alter_column(
            "last_used_at", existing_type=app.db.UTCDateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
    op.execute("DELETE FROM login_throttles")
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.drop_column("window_started_at")
