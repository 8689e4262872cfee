"""Every command's --help says what it reads, what it writes, and gives an example."""

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

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
