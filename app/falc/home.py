"""What easy-read puts in the home page's "For you now" (core's registry, app/core/home.py):
the texts waiting for the person's proofreading."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.core.home import WaitingItem, register_home_section
from app.falc.proofreading import assignments_for


def texts_to_proofread(actor: Any) -> list[WaitingItem]:
    """The texts the person was asked to proofread and has not finished, oldest first."""
    return [
        WaitingItem(
            key=f"falc.proofreading:{p.id}",
            text=_("A text waits for your proofreading: %(label)s", label=p.label)
            if p.label
            else _("A text waits for your proofreading."),
            endpoint="falc.proofread",
            values={"proofreading_id": p.id},
        )
        for p in assignments_for(actor)
    ]


def register() -> None:
    register_home_section("proofreadings", 50, texts_to_proofread, "falc/_home_proofreadings.html")
