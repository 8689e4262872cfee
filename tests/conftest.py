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
