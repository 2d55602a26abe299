"""Helpers for the legacy importer tests: the fixture pages and a way to run the command."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FIXTURES = Path(__file__).parent / "fixtures"


class CommandRun:
    def __init__(self, output: str, exit_code: int, error: str = ""):
        self.output = output
        self.exit_code = exit_code
        self.error = error
        self.lines = output.splitlines()

    def line_for(self, name: str) -> str:
        """The page line naming `name` (the `missing` lines that name it as their page aside)."""
        matches = [line for line in self.lines if name in line and not line.startswith("missing ")]
        assert len(matches) == 1, f"expected one line naming {name}, got {matches}"
        return matches[0]


@pytest.fixture
def import_legacy(db):
    """Run `import_legacy` with the given paths and options; returns its output and exit status."""

    def run(*paths, **options) -> CommandRun:
        out = io.StringIO()
        try:
            call_command("import_legacy", *[str(p) for p in paths], stdout=out, no_color=True, **options)
        except CommandError as exc:
            return CommandRun(out.getvalue(), exc.returncode, str(exc))
        return CommandRun(out.getvalue(), 0)

    return run


@pytest.fixture
def fixture_page():
    def path(name: str) -> Path:
        return FIXTURES / name

    return path
