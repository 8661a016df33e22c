"""Personal data, tagged where it is declared, erased in one place.

A column that holds personal data about a person is declared with `info=personal(...)`: the
argument is what it becomes when the person's data is erased (None by default). The model that
holds such a column says which of its rows belong to a person, as a SQL condition on `:pid` (the
person's id) and `:email` (their address before erasure):

    class Signup(Base):
        personal_rows: ClassVar[str] = "person_id = :pid"
        personal_erase: ClassVar[str] = "blank"   # or "delete": the whole row goes
        why: Mapped[str] = mapped_column(Text, info=personal(""))

`erase_person()` walks every mapped table, so a column tagged tomorrow is erased tomorrow
without anyone remembering to add it here; a tagged column on a model without `personal_rows`
stops the erasure (and the test suite) with its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, text, update

ANONYMOUS_NAME = "Personne anonyme"
# Not a hash any password can match: check_password_hash() returns False for it.
CLOSED_SECRET = "closed-account"  # noqa: S105 - a marker, not a secret


def personal(replacement: Any = None) -> dict[str, Any]:
    """The `info` of a column holding personal data, and what erasure writes in it."""
    return {"personal": True, "erased_value": replacement}


@dataclass(frozen=True)
class PersonalTable:
    table: Table
    rows: str  # SQL condition on :pid and :email
    mode: str  # "blank" or "delete"
    columns: tuple[Any, ...]


class UntaggedOwner(RuntimeError):
    pass


def personal_tables() -> list[PersonalTable]:
    """Every table with a column tagged personal, children before parents (for deletes)."""
    from app.db import Base

    found = []
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        table = mapper.local_table
        columns = tuple(c for c in table.columns if c.info.get("personal"))
        if not columns:
            continue
        rows = getattr(cls, "personal_rows", None)
        if not rows:
            names = ", ".join(c.name for c in columns)
            raise UntaggedOwner(
                f"{cls.__name__} ({table.name}) has personal columns ({names}) "
                "but no `personal_rows` saying whose rows they are."
            )
        found.append(PersonalTable(table, rows, getattr(cls, "personal_erase", "blank"), columns))
    order = {t: i for i, t in enumerate(Base.metadata.sorted_tables)}
    return sorted(found, key=lambda p: order[p.table], reverse=True)


def erase_person(session: Any, person_id: int, email: str | None) -> dict[str, int]:
    """Blank or delete every personal column of this person's rows. Returns rows touched
    per table. The caller handles what is not a column (files, sessions) and commits."""
    touched: dict[str, int] = {}
    values_by_name = {"pid": person_id, "email": email or ""}
    for entry in personal_tables():
        condition = text(entry.rows).bindparams(
            *(bindparam(k, v) for k, v in values_by_name.items() if f":{k}" in entry.rows)
        )
        if entry.mode == "delete":
            stmt = delete(entry.table).where(condition)
        else:
            values = {c.name: c.info["erased_value"] for c in entry.columns}
            stmt = update(entry.table).where(condition).values(**values)
        result = session.execute(stmt)
        touched[entry.table.name] = result.rowcount or 0
    return touched
