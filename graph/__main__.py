"""Run the command line with ``python -m graph``."""

from graph.cli import main

main()
