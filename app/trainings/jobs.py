"""What time does to co-training missions (run by `flask jobs run`, see app/core/jobs.py):
remind confirmed co-trainers 2 days before each session, and pass on the places offered
from the waiting list that were not answered in time."""

from __future__ import annotations

from datetime import timedelta

from app.core.jobs import register_job
from app.trainings import services


def register() -> None:
    # Every 10 minutes: an offer of 48 hours that ran out goes to the next person soon after.
    register_job("trainings.expire_offers", timedelta(minutes=10), services.expire_offers)
    register_job("trainings.session_reminders", timedelta(hours=1), services.send_reminders)
