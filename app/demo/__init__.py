"""Demonstration data: fictional people, organisations, rounds, costs and missions.

The top layer: it fills every domain through their services, and nothing imports it. Loaded by
`flask demo load [--scale N]` (`make run`, `make demo`); the browser tests load it too.

- `base.py`: organisations, people and their logins, then calls the others;
- `consultations.py`, `expenses.py`, `trainings.py`: each domain's demo records;
- `scale.py`: thousands of people for the load benchmark (`--scale N`).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the `flask demo` commands. Called once by `create_app`, after the domains."""
    from app.demo.cli import demo_cli

    app.cli.add_command(demo_cli)
