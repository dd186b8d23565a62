"""One module per command-line subcommand (see tracker/cli.py)."""
