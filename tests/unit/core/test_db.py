from sqlalchemy import text

from app.db import make_engine


def test_sqlite_connections_use_wal_foreign_keys_full_sync_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
            }
        assert pragmas == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "synchronous": 2,
            "busy_timeout": 5000,
        }
    finally:
        engine.dispose()


def test_sqlite_write_transactions_begin_immediate(tmp_path):
    """A second writer waits for the first instead of failing on a lock upgrade."""
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        first = engine.connect()
        first.begin()
        # BEGIN IMMEDIATE took the write lock at once, before any write:
        raw = engine.raw_connection()
        raw.driver_connection.execute("PRAGMA busy_timeout=50")
        try:
            raw.driver_connection.execute("BEGIN IMMEDIATE")
            locked = False
        except Exception as exc:  # sqlite3.OperationalError: database is locked
            locked = "locked" in str(exc)
        finally:
            raw.close()
        first.rollback()
        first.close()
        assert locked
    finally:
        engine.dispose()
