"""What a run keeps for the next one in ``FACTS_CACHE_DIR`` (default ``~/.cache/persian-facts``):
things that cost seconds to make in every process and depend only on the installed software and
the rules. A missing or unwritable cache only costs time; nothing read from it changes a fact.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

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


@lru_cache(maxsize=1024)
def compiled(regex: str) -> re.Pattern:
    """``regex`` compiled once per process (rules of several files share a pattern or a trigger;
    ``re``'s own cache keeps the last 512 patterns, which the rules alone may nearly fill)."""
    return re.compile(regex)


class RuleCache:
    """What the rule loader learns of each expanded pattern: that it compiles, its prefilter needs
    and its least width (``pipeline/prefilter.py``), kept by pattern and by the version of the
    code that read them. The patterns themselves are compiled by ``re.compile`` in every process
    that uses them; a pattern known to compile is not compiled to check it."""

    def __init__(self, reader_version: str):
        self.path = cache_dir() / f"rules-{sys.implementation.cache_tag}.pickle"
        self.reader = reader_version
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        try:
            self.entries = pickle.loads(self.path.read_bytes())
        except Exception:  # noqa: BLE001 - no cache, another format, a torn file: start empty
            self.entries = {}

    def check(self, expanded: str) -> str:
        """``expanded``, compiled now unless it compiled before (raises ``re.error`` if it does
        not): a broken rule is told when the rules load, a good one compiles when first used."""
        self._kept(expanded, "compiles", lambda: compiled(expanded) is not None)
        return expanded

    def needs(self, expanded: str, read: Callable[[], tuple]) -> tuple:
        return self._kept(expanded, "needs", read)

    def min_width(self, expanded: str, read: Callable[[], int | None]) -> int | None:
        """The fewest characters a match of the pattern spans."""
        return self._kept(expanded, "min_width", read)

    def _kept(self, expanded: str, what: str, read: Callable[[], Any]) -> Any:
        """``what`` of the pattern as kept, or as ``read()`` now (then kept)."""
        key = hashlib.sha256(expanded.encode()).hexdigest()
        entry = self.entries.setdefault(key, {})
        if entry.get("reader") != self.reader:  # read by other code: read again
            entry.clear()
            entry["reader"] = self.reader
        if what not in entry:
            entry[what] = read()
            self.changed = True
        if entry.get("used", 0) < time.time() - 86400:
            entry["used"] = time.time()
            self.changed = True
        return entry[what]

    def save(self) -> None:
        if not self.changed:
            return
        fresh = time.time() - KEEP_UNUSED_DAYS * 86400
        kept = {key: entry for key, entry in self.entries.items() if entry.get("used", 0) >= fresh}
        write_atomic(self.path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        self.changed = False
