"""notebooks/explore.ipynb runs on a run's output, so it never goes stale."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from pipeline.schemas import write_table

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


@pytest.fixture
def python3_kernel(tmp_path, monkeypatch):
    """A ``python3`` kernel that is this interpreter, ahead of any the user has installed elsewhere."""
    from ipykernel.kernelspec import write_kernel_spec

    write_kernel_spec(tmp_path / "jupyter" / "kernels" / "python3")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))


def _execute(out: Path, monkeypatch) -> nbformat.NotebookNode:
    monkeypatch.setenv("FACTS_OUT", str(out))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    return notebook


def _outputs(notebook) -> str:
    return "\n".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def _images(notebook) -> int:
    return sum("image/png" in output.get("data", {}) for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs)


def test_notebook_runs_on_the_seed_output(seed_run, python3_kernel, monkeypatch):
    notebook = _execute(seed_run, monkeypatch)
    text = _outputs(notebook)
    assert "5 documents" in text
    assert "ایران" in text  # the seed officials, counted by country
    assert _images(notebook) == 3  # money by year and currency, officials by country, the seeds' trade series
    # Iran–Kazakhstan trade in order, each claim with its article; the target apart
    periods = ["2021-03-21 … 2022-03-20", "2025-01-01 … 2025-09-30", "2025-12-10 … 2025-12-10", "target   undated"]
    assert [text.index(p) for p in periods] == sorted(text.index(p) for p in periods)
    assert "265,200,000 USD  (004_9a4f045b5da87826)" in text and "300,000,000 – 400,000,000 USD  (001_dc0e3ef97df6e412)" in text
    assert "3,000,000,000 USD  (004_9a4f045b5da87826)" in text.split("target")[-1]


def test_notebook_plots_officials_when_a_run_has_them(seed_run, python3_kernel, monkeypatch, tmp_path):
    out = shutil.copytree(seed_run, tmp_path / "out")
    facts = pd.read_parquet(out / "facts.parquet")
    doc = "000_342ea1a21e0b3a4c"
    official = {"fact_id": f"{doc}:official:223-236", "doc_id": doc, "fact_type": "official", "start": 223, "end": 236,
                "text": "مسعود پزشکیان", "sentence_id": 1, "rule_id": "official.title_name",
                "name": "مسعود پزشکیان", "title": "رئیس‌جمهور", "country": "ایران"}
    percent = {"fact_id": f"{doc}:percent:0-4", "doc_id": doc, "fact_type": "percent", "start": 0, "end": 4,
               "text": "date", "sentence_id": 0, "rule_id": "percent.x", "value": 44.9}
    write_table("facts", pd.concat([facts, pd.DataFrame([official, official | {"start": 300, "end": 313}, percent])], ignore_index=True), out)
    notebook = _execute(out, monkeypatch)
    assert "ایران" in _outputs(notebook)
    assert _images(notebook) == 3


def test_notebook_runs_on_an_output_without_claims(seed_run, python3_kernel, monkeypatch, tmp_path):
    out = shutil.copytree(seed_run, tmp_path / "out")
    (out / "claims.parquet").unlink()
    notebook = _execute(out, monkeypatch)
    assert "no trade claims between" in _outputs(notebook)
    assert _images(notebook) == 2


def test_make_notebook_finds_the_run_above_the_notebooks_folder(seed_run, python3_kernel, monkeypatch, tmp_path):
    """What `make notebook` runs, in a project laid out like a clone and without FACTS_OUT:
    Jupyter runs the notebook in notebooks/, and the notebook finds ../data/out itself."""
    project = tmp_path / "project"
    shutil.copytree(seed_run, project / "data" / "out")
    (project / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, project / "notebooks")
    monkeypatch.delenv("FACTS_OUT", raising=False)
    command = ["execute", "notebooks/explore.ipynb", f"--output={project}/data/out/explore"]
    assert f"jupyter {' '.join(command[:2])}" in (ROOT / "Makefile").read_text(encoding="utf-8")
    subprocess.run([Path(sys.executable).parent / "jupyter", *command], cwd=project, env=os.environ, check=True, capture_output=True)
    executed = nbformat.read(project / "data" / "out" / "explore.ipynb", as_version=4)
    assert f"{project / 'data' / 'out'}: 5 documents" in _outputs(executed)


def test_without_a_run_the_notebook_says_how_to_make_one(python3_kernel, monkeypatch, tmp_path):
    monkeypatch.delenv("FACTS_OUT", raising=False)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.raises(CellExecutionError, match="run `make extract` in the project, or set FACTS_OUT"):
        NotebookClient(notebook, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(tmp_path)}}).execute()
