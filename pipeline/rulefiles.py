"""The files of ``rules/``: where they are and how they are read (YAML, with errors that name the file).

The bottom of the imports: text folding (``pipeline/normalize.py``) reads its tables here, and the
lexicons and rules are built on it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

# libyaml's loader when PyYAML was built with it: the rules load several times faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
# a name in a pattern, a macro or a probe: `{office}` stands for the lexicon or macro office
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class RuleError(ValueError):
    """A rule file that cannot be used; the message says which file, which rule and why."""


def load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: cannot read YAML: {exc}") from exc
