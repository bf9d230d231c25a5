"""CLI command modules. Each exposes ``register(app: typer.Typer)``; ``kickcoach.cli`` calls them all."""
