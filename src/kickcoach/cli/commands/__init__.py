"""CLI command modules. Each exposes ``register(app: typer.Typer)``; ``kickcoach.cli.main`` calls them all."""
