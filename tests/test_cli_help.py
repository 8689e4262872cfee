"""Every command's --help says what it reads, what it writes, and gives an example."""

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = [["run"], ["ingest"], ["normalize"], ["sentences"], ["match"], ["factsheet"], ["statements"], ["evaluate"], ["show"], ["review", "import"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_command_help_has_an_example(command):
    shown = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert f"Example: facts {command[0]}" in shown.output


def test_top_level_help_names_every_command():
    shown = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    for command in ("run", "show", "review", "evaluate", "Reads", "writes"):
        assert command in shown.output


def _help_texts() -> list[str]:
    """Every help text of the CLI: the app's, each command's and sub-command's, and each parameter's."""
    import typer

    def walk(command):
        yield command.help or ""
        yield from (getattr(param, "help", None) or "" for param in command.params)
        for sub in getattr(command, "commands", {}).values():
            yield from walk(sub)

    return list(walk(typer.main.get_command(app)))


def test_every_readme_section_a_help_text_names_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sections = {line.lstrip("#").strip() for line in readme.splitlines() if line.startswith("#")}
    named = {name for text in _help_texts() for name in re.findall(r"README \(([^)]+)\)", text)}
    assert {"Review", "Evaluate", "Rules are data"} <= named  # help texts point like this
    assert named <= sections, f"no such README section: {named - sections}"


def test_help_texts_name_no_document_a_clone_does_not_have():
    documents = {name for text in _help_texts() for name in re.findall(r"[\w./-]+\.md\b", text)}
    assert [name for name in documents if not (ROOT / name).exists()] == []
    assert not [text for text in _help_texts() if "shared/" in text]  # the development data is no part of a clone


def test_help_names_every_kind_of_input_and_the_rules_default():
    import typer

    assert "a JSONL, CSV or Parquet file" in typer.main.get_command(app).help
    shown = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "200"})
    assert "[default: (the project's rules/)]" in shown.output
