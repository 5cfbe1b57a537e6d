"""The answers of the read-only catalog commands (`upright exercises --json`, `exercise ID --json`,
`programs --json`, `program ID --json`), kept whole, so a repeated question is answered without
importing Typer, Pydantic or the catalog's models.

Why a cache of the finished answer: with the parse cache warm, `exercises --json` still spent about
0.45 s of CPU (30x `python -c pass`) importing Typer (a quarter) and Pydantic with the catalog's
models (half: building their validators). A stored answer costs reading and hashing the package's
code and the catalog files (about 1 MB, a few ms) and platformdirs (for the cache folder): measured
in bench/README.md. Lazy model building would still leave Pydantic's and Typer's imports.

The answer is made once, by the command itself (Typer, the catalog, the documents/ models); this
module only keeps the text it printed. It is never a source of truth:

- the key ("state") is a hash of everything the answer depends on: the command's arguments, the
  content of every .py and .yaml file of the upright package (its code and the built-in catalog),
  the content of every .yaml file in the UPRIGHT_CATALOG_DIRS folders (at their top and one folder
  down: all the loader reads), every UPRIGHT_* variable, the Python version and the installed
  distributions (the `NAME-VERSION.dist-info` names on sys.path: upright's own version and every
  library's). An edited, added or removed file is a new state: the answer is made again;
- only an answer that ended with exit status 0 is kept: an error (a broken catalog file, an unknown
  id) is printed by the command every time;
- an entry carries its state and the checksum of its text; anything else (cut short, edited, from
  another format) is a miss and is replaced;
- one file per argument list, written to a temporary file and renamed (a reader never sees half of
  one); a cache folder that is missing, read-only or not a folder only costs speed.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from pathlib import Path

import upright
from upright.environment import cache_folder, folder_list, upright_variables

__all__ = ["FORMAT", "answer", "body_of", "entry", "wanted"]

FORMAT = 1  # raise when the entry's layout or the state's parts change
_HEADER = "upright-answer"


def wanted(args: Sequence[str]) -> bool:
    """JSON, which does not depend on the terminal (tables and help are laid out for its width)."""
    return "--json" in args and "--help" not in args


def entry(state: str, body: str) -> str:
    """What is stored: a header line naming the state and the body's checksum, then the body."""
    return f"{_HEADER} {FORMAT} {state} {_digest(body.encode())}\n{body}"


def body_of(stored: str, state: str) -> str | None:
    """The body of an entry made in this state and still whole; None for anything else."""
    header, newline, body = stored.partition("\n")
    if not newline or header.split(" ") != [_HEADER, str(FORMAT), state, _digest(body.encode())]:
        return None
    return body


def answer(args: Sequence[str], run: Callable[[], None]) -> None:
    """Print the stored answer to `upright ARGS` if it is still right; otherwise `run()` the command,
    print what it printed and keep it if it succeeded."""
    try:
        state, path = _state(args), cache_folder() / "answers" / _digest("\0".join(args).encode())
    except (OSError, ValueError):  # a file that cannot be read now: the command itself will say so
        run()
        return
    kept = _read(path, state)
    if kept is not None:
        _emit(kept)
        return
    printed = io.StringIO()
    real, sys.stdout = sys.stdout, printed
    succeeded = False
    try:
        run()
        succeeded = True
    except SystemExit as done:  # Click ends every run with SystemExit
        succeeded = done.code in (0, None)
        raise
    finally:
        sys.stdout = real
        _emit(printed.getvalue())
        if succeeded:
            _write(path, entry(state, printed.getvalue()))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _state(args: Sequence[str]) -> str:
    state = hashlib.sha256()
    for part in _parts(args):
        state.update(len(part).to_bytes(8, "big") + part)  # length-prefixed: no two lists hash alike
    return state.hexdigest()


def _parts(args: Sequence[str]) -> Iterator[bytes]:
    yield f"format {FORMAT}\0python {sys.version}".encode()
    yield "\0".join(args).encode()
    variables = upright_variables()
    yield "\0".join(f"{k}={v}" for k, v in sorted(variables.items())).encode()
    package = Path(upright.__file__).resolve().parent
    yield from _files(package, sorted(_code_and_data(package)))
    for folder in folder_list(variables.get("catalog_dirs", "")):
        yield f"catalog folder {folder}".encode()
        if folder.is_dir():
            yield from _files(folder, sorted([*folder.glob("*.yaml"), *folder.glob("*/*.yaml")]))
    for place in sys.path:
        with suppress(OSError):
            yield "\0".join(sorted(n for n in os.listdir(place or ".") if n.endswith(".dist-info"))).encode()


def _code_and_data(package: Path) -> Iterator[Path]:
    for folder, _dirs, names in os.walk(package):
        yield from (Path(folder, n) for n in names if n.endswith((".py", ".yaml")))


def _files(base: Path, paths: list[Path]) -> Iterator[bytes]:
    for path in paths:
        yield str(path.relative_to(base)).encode()
        yield path.read_bytes()


def _read(path: Path, state: str) -> str | None:
    try:
        return body_of(path.read_bytes().decode("utf-8"), state)
    except (OSError, UnicodeDecodeError):
        return None


def _write(path: Path, stored: str) -> None:
    import tempfile  # here: a run answered from the cache never writes

    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".answer-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(stored.encode("utf-8"))
        os.replace(tmp, path)
    except (OSError, UnicodeError):  # a read-only or full cache folder only costs speed
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)


def _emit(text: str) -> None:
    """Print as Click's echo does: in the terminal's encoding, or UTF-8 where that is plain ASCII."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    sys.stdout.flush()
