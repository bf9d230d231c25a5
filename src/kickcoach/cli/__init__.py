"""The command line: ``main`` (the Typer app and its explicit tuple of command modules), ``support`` and ``commands/``."""
