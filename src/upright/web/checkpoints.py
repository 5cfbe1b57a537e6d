"""SQLite's checkpoints, run beside the requests instead of inside one (store/db.py says why).

While the server runs, a task copies the write-ahead log into the main file a few times a second
(PASSIVE: it waits for no one, and writers go on meanwhile). When nobody is writing, the log then
starts again from nothing at the next write. When writes never pause long enough for that and the
log grows past WAL_MAX_PAGES, the task takes this process's turn at writing (patient_deps.write_slots)
and empties it (TRUNCATE): a short wait for the writers of the moment, and the file stays small. At
stop the whole log goes into the main file. PostgreSQL needs none of this."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import DBAPIError

from upright.store import Database
from upright.web.patient_deps import write_slots

__all__ = ["CHECKPOINT_EVERY_SECONDS", "WAL_MAX_PAGES", "checkpoint_once", "checkpoints_beside_requests"]

CHECKPOINT_EVERY_SECONDS: Final = 0.2
WAL_MAX_PAGES: Final = 16_384  # 64 MiB of 4 KiB pages


async def checkpoint_once(app: FastAPI, *, max_pages: int = WAL_MAX_PAGES) -> int:
    """One round: copy what can be copied; empty the log when it has grown past `max_pages`. Returns
    the log's length in pages after the round."""
    database: Database = app.state.db
    pages = await run_in_threadpool(database.checkpoint, whole=False)
    if pages > max_pages:
        async with write_slots(app):  # this process's writers wait here, woken as soon as it is done
            pages = await run_in_threadpool(database.checkpoint, whole=True)
    return pages


async def _keep_checkpointing(app: FastAPI) -> None:
    while True:
        await asyncio.sleep(CHECKPOINT_EVERY_SECONDS)
        # Another process holding the lock past the busy timeout: the next round tries again.
        with contextlib.suppress(DBAPIError):
            await checkpoint_once(app)


@asynccontextmanager
async def checkpoints_beside_requests(app: FastAPI) -> AsyncIterator[None]:
    """For the life of the server (its lifespan): on SQLite, commits stop checkpointing and a task
    does it instead; at stop the whole log goes into the main file."""
    database: Database = app.state.db
    if database.backend != "sqlite":
        yield
        return
    database.take_over_checkpoints()
    task = asyncio.create_task(_keep_checkpointing(app))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await run_in_threadpool(database.hand_back_checkpoints)
