"""Write a new migration from the difference between tables.py and the current head:

    uv run python -m upright.store.revision "what changed"

It builds a scratch SQLite database at head and lets Alembic autogenerate against it.
Read the generated file before committing it; autogenerate misses renames and some constraints."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from upright.store.db import alembic_config, make_engine, migrate


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].strip():
        print('usage: python -m upright.store.revision "what changed"', file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        migrate(engine)
        cfg = alembic_config()
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.revision(cfg, message=argv[0], autogenerate=True)
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
