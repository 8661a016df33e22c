"""Moderation: every domain that publishes user text calls `services.submit(actor, content)`."""
