"""payment preferences

How a person is paid: `payment_preferences` (one per person: the method, and for a guardian
or curator their name, role, encrypted IBAN and the judge's decision stored like a receipt)
and `expense_payees` (who a sent request is paid to, as chosen at sending; the supplier of a
direct purchase). Direct purchases are a kind of request (a value of `kind`) and routing is
computed from the memberships: neither needs a column.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_preferences",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("third_party_name", sa.String(length=200), nullable=False),
        sa.Column("third_party_role", sa.String(length=16), nullable=True),
        sa.Column("iban_encrypted", sa.Text(), nullable=False),
        sa.Column("iban_country", sa.String(length=2), nullable=False),
        sa.Column("iban_last4", sa.String(length=4), nullable=False),
        sa.Column("document_key", sa.String(length=64), nullable=False),
        sa.Column("document_mime", sa.String(length=40), nullable=False),
        sa.Column("document_size", sa.Integer(), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_payment_preferences_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_payment_preferences")),
    )
    op.create_table(
        "expense_payees",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("iban_encrypted", sa.Text(), nullable=False),
        sa.Column("iban_last4", sa.String(length=4), nullable=False),
        sa.Column("recorded_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["expense_requests.id"],
            name=op.f("fk_expense_payees_request_id_expense_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_expense_payees")),
    )


def downgrade() -> None:
    op.drop_table("expense_payees")
    op.drop_table("payment_preferences")
