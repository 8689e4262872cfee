"""What a run keeps for the next one in ``FACTS_CACHE_DIR`` (default ``~/.cache/persian-facts``):
things that cost seconds to make in every process and depend only on the installed software and
the rules. A missing or unwritable cache only costs time; nothing read from it changes a fact.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import re._compiler as sre_compiler
import re._parser as sre_parse
import sys
import time
from array import array
from pathlib import Path
from typing import Any, Callable

import _sre

KEEP_UNUSED_DAYS = 30  # entries no load has used for this long are dropped when the file is written


def cache_dir() -> Path:
    return Path(os.environ.get("FACTS_CACHE_DIR", Path.home() / ".cache" / "persian-facts"))


def replace_atomically(path: Path, write: Callable[[Path], Any]) -> Path:
    """Write ``path`` by ``write(tmp)`` to a hidden temporary file, then rename: readers see the
    old file or the new one, and a killed run leaves only a hidden ``.tmp`` (which ``facts run``
    removes from its output folder). Every file the pipeline writes goes through here."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_atomic(path: Path, data: bytes) -> bool:
    """A cache file, written whole or not at all; False if it could not be written."""
    try:
        replace_atomically(path, lambda tmp: tmp.write_bytes(data))
    except OSError:
        return False
    return True


class RuleCache:
    """Compiled rule regexes and their prefilter needs, by pattern.

    Rule patterns expand to most of a megabyte of regex (the lexicons inlined); Python's ``re``
    spends seconds parsing and compiling them in every process, each worker and each command.
    What it compiles to (sre's code, a list of numbers) depends only on the pattern and the
    Python build, so it is kept here, keyed by both, and handed back to sre as it is. The
    needs and least widths (``pipeline/prefilter.py``) are kept beside, keyed also by the version
    of the code that reads them."""

    def __init__(self, reader_version: str):
        version = f"{sys.implementation.cache_tag}-{_sre.MAGIC}"
        self.path = cache_dir() / f"rules-{version}.pickle"
        self.reader = reader_version
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        try:
            self.entries = pickle.loads(self.path.read_bytes())
        except Exception:  # noqa: BLE001 - no cache, another format, a torn file: start empty
            self.entries = {}

    def pattern(self, expanded: str) -> re.Pattern:
        entry = self._entry(expanded)
        if "code" in entry:
            flags, code, groups, groupindex, indexgroup = entry["code"]
            try:
                return _sre.compile(expanded, flags, code.tolist(), groups, groupindex, indexgroup)
            except Exception:  # noqa: BLE001 - a cache from another build: compile again
                pass
        parsed = sre_parse.parse(expanded, 0)
        code = sre_compiler._code(parsed, 0)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        flags, groups = parsed.state.flags, parsed.state.groups - 1
        entry["code"] = (flags, array("I", code), groups, groupindex, tuple(indexgroup))
        self.changed = True
        return _sre.compile(expanded, flags, code, groups, groupindex, tuple(indexgroup))

    def needs(self, expanded: str, read: Callable[[], tuple]) -> tuple:
        return self._read(expanded, "needs", read)

    def min_width(self, expanded: str, read: Callable[[], int | None]) -> int | None:
        """The fewest characters a match of the pattern spans."""
        return self._read(expanded, "min_width", read)

    def _read(self, expanded: str, what: str, read: Callable[[], Any]) -> Any:
        """``what`` the prefilter's reader read off the pattern: as kept, or ``read()`` now."""
        entry = self._entry(expanded)
        if entry.get("reader") != self.reader:  # read by other code: read again
            entry.pop("needs", None)
            entry.pop("min_width", None)
            entry["reader"] = self.reader
        if what not in entry:
            entry[what] = read()
            self.changed = True
        return entry[what]

    def _entry(self, expanded: str) -> dict[str, Any]:
        key = hashlib.sha256(expanded.encode()).hexdigest()
        entry = self.entries.setdefault(key, {})
        if entry.get("used", 0) < time.time() - 86400:
            entry["used"] = time.time()
            self.changed = True
        return entry

    def save(self) -> None:
        if not self.changed:
            return
        fresh = time.time() - KEEP_UNUSED_DAYS * 86400
        kept = {key: entry for key, entry in self.entries.items() if entry.get("used", 0) >= fresh}
        write_atomic(self.path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        self.changed = False
