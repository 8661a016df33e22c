"""Cross-cutting code: permissions, audit, outbox, sanitising, errors, provenance."""
