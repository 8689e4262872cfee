import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory) -> Path:
    """The whole pipeline run once on seeds/, as `make extract` runs it."""
    from pipeline.run import run_pipeline

    out = tmp_path_factory.mktemp("out")
    run_pipeline(ROOT / "seeds", out)
    return out


@pytest.fixture(scope="session")
def seed_facts(seed_run) -> pd.DataFrame:
    return pd.read_parquet(seed_run / "facts.parquet")


@pytest.fixture(scope="session")
def seed_gold() -> list[dict]:
    return [json.loads(line) for line in open(DATA / "seeds.gold.jsonl", encoding="utf-8")]


def lexicon_forms(*names: str) -> list[tuple[str, str, object]]:
    """Every form of these lexicons with the value it stands for: (lexicon, form, value), for
    tests that prove a new lexicon line is found without anyone writing an example for it."""
    from pipeline.rules import default_rules

    lexicons = default_rules().lexicons
    return [(name, form, lexicons[name].value(form)) for name in names for form in lexicons[name].forms]
