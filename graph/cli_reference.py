"""The command reference (``docs/commands.md``), generated from every command's ``--help``.

Run ``python -m graph.cli_reference`` after changing a command; a test checks that the file is current, so
the reference cannot drift from the commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

HEADER = """# Command reference

Generated from `cmkg COMMAND --help` by `python -m graph.cli_reference` (a test checks that it is
current). For what each command is for, with examples and notes, see [usage.md](usage.md).
"""


def command_reference(group: click.Group) -> str:
    """Markdown: one section per command of ``group``, in alphabetical order, holding its help text."""
    sections = [HEADER]
    for name in sorted(group.commands):
        command = group.commands[name]
        with click.Context(group, info_name="cmkg", **group.context_settings) as parent:
            context = click.Context(command, info_name=name, parent=parent, terminal_width=100, max_content_width=100)
            text = command.get_help(context)
        sections.append(f"## `cmkg {name}`\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(sections)


def main(path: Path = Path("docs/commands.md")) -> None:
    """Write the reference of the ``cmkg`` commands to ``path``."""
    from graph.cli import cli

    path.write_text(command_reference(cli), encoding="utf-8")
    sys.stdout.write(f"written to {path}\n")


if __name__ == "__main__":  # pragma: no cover - script entry point
    main(*(Path(a) for a in sys.argv[1:2]))
