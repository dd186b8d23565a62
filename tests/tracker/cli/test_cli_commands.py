"""The subcommand registry: the core's commands by name, and those from outside it (report)."""

import argparse
import subprocess
import sys
from pathlib import Path

import main
from tracker.cli import main as cli
from tracker.cli.commands import NAMES, modules

ROOT = Path(__file__).resolve().parents[3]


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(action.choices)


def test_names_are_the_modules_in_order():
    assert list(modules()) == list(NAMES)
    for name, module in modules().items():
        assert module.__name__.startswith("tracker.cli.commands."), name
        assert callable(module.add_arguments) and callable(module.run)


def test_the_core_parser_has_only_the_core_commands():
    assert _subcommands(cli.build_parser()) == list(NAMES)


def test_main_adds_the_ui_commands_after_the_core_ones():
    assert list(main.ui_commands()) == list(main.UI_COMMANDS)
    assert main.ui_commands()["report"].__name__ == "ui.report.command"
    parser = cli.build_parser(main.ui_commands())
    assert _subcommands(parser) == [*NAMES, *main.UI_COMMANDS]


def test_an_extra_command_runs_with_its_own_arguments(capsys):
    class Hello:
        """Say hello.

        More text that is not the help line."""

        @staticmethod
        def add_arguments(parser: argparse.ArgumentParser) -> None:
            parser.add_argument("--name", default="you")

        @staticmethod
        def run(args: argparse.Namespace) -> int:
            print(f"hello {args.name}")
            return 3

    assert cli.run(["hello", "--name", "Ann"], {"hello": Hello()}) == 3
    assert capsys.readouterr().out == "hello Ann\n"


def test_report_is_a_subcommand_of_main_py():
    result = subprocess.run(
        [sys.executable, "main.py", "report", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "--paper" in result.stdout and "--out" in result.stdout
