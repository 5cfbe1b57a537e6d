"""`people.revision`: a value that changes in the same transaction as every write to a person's rows,
so a cache of what a page shows (the Today page) can tell, from one column, that it is out of date.
Server processes share nothing but the database, so the database itself keeps the value: triggers,
which no write path (the web app, a command, an import, another process) can forget.

The value is random, not a counter: a counter starts again after a person is deleted and made anew
(SQLite reuses the id) or after a backup is restored, and a cache could then mistake new data for old.

A table whose rows belong to a person gets triggers with `add_person_triggers` (in the migration that
creates it). SQLite drops a table's triggers when a batch migration copies the table: such a migration
must call `add_person_triggers` again. tests/integration/test_today_cache.py fails for any person's
table without them."""

from __future__ import annotations

from alembic import op

__all__ = [
    "add_person_triggers",
    "define_revision_functions",
    "define_revision_functions_per_row",
    "drop_person_triggers",
    "setup_revision",
    "teardown_revision",
]

# Random values stay below 2**53 on PostgreSQL (random() is a double); SQLite's random() is 64-bit.
_PG_RANDOM = "floor(random() * 9007199254740991)::bigint"
_OPS = ("insert", "update", "delete")


def _dialect() -> str:
    return str(op.get_bind().dialect.name)


# How each trigger function finds the person of the row it was called for.
_FINDERS = (
    ("upright_touch_person", "pid := row.person_id;"),
    ("upright_touch_session_person", "SELECT person_id INTO pid FROM sessions WHERE id = row.session_id;"),
)

# 0011: a transaction gives each person one new revision, not one per row it writes. The triggers are
# deferred, so they all run at commit after every write; the first one for a person marks that person
# in a setting that lasts until the transaction ends (set_config's third argument), and the others
# skip the UPDATE. Other transactions see the new value only together with all the writes.
_ONCE = """
  IF pid IS NULL THEN RETURN NULL; END IF;
  mark := 'upright.revised_' || pid;
  IF current_setting(mark, true) = 'y' THEN RETURN NULL; END IF;
  PERFORM set_config(mark, 'y', true);"""


def _define_functions(verb: str, *, once: bool) -> None:
    mark = "\n  mark text;" if once else ""
    skip = _ONCE if once else ""
    for name, find in _FINDERS:
        op.execute(f"""
{verb} FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row record;
  pid bigint;{mark}
BEGIN
  IF TG_OP = 'DELETE' THEN row := OLD; ELSE row := NEW; END IF;
  {find}{skip}
  UPDATE people SET revision = {_PG_RANDOM} WHERE id = pid;
  RETURN NULL;
END $$""")


def define_revision_functions() -> None:
    """PostgreSQL (0011): the trigger functions that give a person one new revision per transaction."""
    if _dialect() == "postgresql":
        _define_functions("CREATE OR REPLACE", once=True)


def define_revision_functions_per_row() -> None:
    """PostgreSQL: 0008's trigger functions, one new revision for every row written."""
    if _dialect() == "postgresql":
        _define_functions("CREATE OR REPLACE", once=False)


def setup_revision() -> None:
    """The column (a fresh random value for each new person) and PostgreSQL's trigger functions (as
    0008 made them: 0011 replaces them)."""
    if _dialect() == "postgresql":
        op.execute(f"ALTER TABLE people ADD COLUMN revision bigint NOT NULL DEFAULT {_PG_RANDOM}")
        _define_functions("CREATE", once=False)
    else:
        op.execute("ALTER TABLE people ADD COLUMN revision BIGINT NOT NULL DEFAULT 0")
        op.execute("UPDATE people SET revision = random()")
        # SQLite cannot add a column with a random default: a new person gets one from a trigger.
        op.execute(
            "CREATE TRIGGER people_new_revision AFTER INSERT ON people BEGIN "
            "UPDATE people SET revision = random() WHERE id = NEW.id; END"
        )


def teardown_revision() -> None:
    if _dialect() == "postgresql":
        op.execute("DROP FUNCTION upright_touch_session_person()")
        op.execute("DROP FUNCTION upright_touch_person()")
    else:
        op.execute("DROP TRIGGER people_new_revision")
    # Never a batch (copy) migration here: on SQLite, dropping the old `people` table would delete
    # every person's rows through the foreign keys' ON DELETE CASCADE. SQLite 3.35+ drops a column.
    op.execute("ALTER TABLE people DROP COLUMN revision")


def add_person_triggers(table: str, *, via_session: bool = False) -> None:
    """Every insert, update and delete on `table` gives its person a new revision. `via_session`: the
    rows name their session (session_items), not their person.

    PostgreSQL runs the trigger at commit (a deferred constraint trigger): the person's row is locked
    only for the commit's last moment, so two writers never wait on each other for it mid-transaction."""
    if _dialect() == "postgresql":
        function = "upright_touch_session_person" if via_session else "upright_touch_person"
        op.execute(
            f'CREATE CONSTRAINT TRIGGER "{table}_touch_person" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        return
    for what in _OPS:
        row = "OLD" if what == "delete" else "NEW"
        person = (
            f"(SELECT person_id FROM sessions WHERE id = {row}.session_id)"
            if via_session
            else f"{row}.person_id"
        )
        op.execute(
            f'CREATE TRIGGER "{table}_touch_person_{what}" AFTER {what.upper()} ON "{table}" BEGIN '
            f"UPDATE people SET revision = random() WHERE id = {person}; END"
        )


def drop_person_triggers(table: str) -> None:
    if _dialect() == "postgresql":
        op.execute(f'DROP TRIGGER "{table}_touch_person" ON "{table}"')
        return
    for what in _OPS:
        op.execute(f'DROP TRIGGER "{table}_touch_person_{what}"')
