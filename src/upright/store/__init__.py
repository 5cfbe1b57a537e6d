"""Storage: SQLAlchemy 2 tables, repositories and Alembic migrations. SQLite by default, PostgreSQL by URL.

db.py            Database (engine + sessions), URL handling, SQLite pragmas, `migrate()`
tables.py        the *Row classes; every row that holds health data is keyed by person
repositories.py  small query functions; they flush, the caller (request or command) commits
person_refs.py   the person and their revision, read on the web server's event loop (no thread)
migrations/      Alembic; applied automatically when the app or a command opens the database
"""

from upright.store.db import Database, migrate, open_database

__all__ = ["Database", "migrate", "open_database"]
