"""hazm's word and verb lists, read from its data files without importing the hazm package.

``import hazm`` costs several seconds (it loads scikit-learn, gensim and nltk), which every
worker process would pay; its lists are plain text files in the installed package.
"""

from __future__ import annotations

import importlib.util
import pickle
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def hazm_data_dir() -> Path:
    spec = importlib.util.find_spec("hazm")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("hazm is not installed; run `make` to build the environment")
    return Path(spec.submodule_search_locations[0]) / "data"


@lru_cache(maxsize=1)
def word_frequencies() -> dict[str, int]:
    """Every word of hazm's list with its corpus frequency; cached as a pickle per hazm version,
    as reading the list costs a second in every process."""
    from importlib import metadata

    from pipeline.cache import cache_dir, write_atomic

    cache = cache_dir() / f"hazm-{metadata.version('hazm')}-word-frequencies.pickle"
    try:
        return pickle.loads(cache.read_bytes())
    except Exception:  # noqa: BLE001 - no cache or an unreadable one: read the list again
        frequencies = {word: freq for word, freq, _ in words_list()}
        write_atomic(cache, pickle.dumps(frequencies, protocol=pickle.HIGHEST_PROTOCOL))
        return frequencies


def words_list() -> list[tuple[str, int, tuple[str, ...]]]:
    """(word, corpus frequency, parts of speech), as ``hazm.utils.words_list`` returns them."""
    with open(hazm_data_dir() / "words.dat", encoding="utf-8") as fh:
        items = [line.strip().split("\t") for line in fh]
    return [(item[0], int(item[1]), tuple(item[2].split(","))) for item in items if len(item) == 3]


def verbs_list() -> list[str]:
    """hazm's verbs as ``past#present`` stems, as ``hazm.utils.verbs_list`` returns them."""
    with open(hazm_data_dir() / "verbs.dat", encoding="utf-8") as fh:
        return [line.strip() for line in fh]
