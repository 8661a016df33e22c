"""People, organisations, roles, login, assisted accounts, preferences."""
