"""`flask demo load` (what `make run` runs first) prints who can log in: one login for every
role of the demo, so a newcomer can try each part of Parole, finance included."""

from __future__ import annotations

import re

from tests.conftest import login


def test_demo_load_prints_a_working_login_for_every_role_including_finance(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    printed = dict(
        (role, (who, secret))
        for role, who, secret in re.findall(r"^  (.+?)\s{2,}(\S+)\s+(\S+)$", result.output, re.M)
    )
    for role in ("platform admin", "facilitator", "moderator", "finance", "participant"):
        assert role in printed, (role, result.output)
    who, secret = printed["finance"]
    assert who == "finances@demo.parole.invalid"
    client = app.test_client()
    login(client, who, secret)
    page = client.get("/expenses/")
    assert page.status_code == 200, page.status_code
