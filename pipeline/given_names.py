"""Iranian given names from a maintained data source: the `persian-gender-detection` package.

Its list (about 19,000 names, MIT licence) is read from the installed package's CSV without
importing the package. It is a word lookup, never compiled into a regex: a person finder asks
"is this word a given name?" once per word. The list is raw: names written with stray spaces
(`ا سماعیل`) and ordinary words that are also names (`شورا`, `پیام`, `روز`). Spaces are taken
out, and the caller decides which frequent words to distrust (rules/official.yaml options).
"""

from __future__ import annotations

import csv
import importlib.util
from functools import lru_cache
from pathlib import Path

from pipeline.normalize import name_key

PACKAGE = "persian_gender_detection"


def _names_file() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "gender" / "iranianNamesDataset.csv"


@lru_cache(maxsize=1)
def source_given_names() -> frozenset[str]:
    """The name keys (:func:`pipeline.normalize.name_key`) of every given name of the source; empty
    when the package is missing (the curated `given_name.yaml` still works alone)."""
    path = _names_file()
    if path is None or not path.exists():
        return frozenset()
    with open(path, encoding="utf-8") as fh:
        return frozenset(key for row in csv.DictReader(fh) if len(key := name_key(row["Names"])) >= 2)
