"""The catalogues are complete at all times."""

import pytest

from app.core.i18n_check import catalogue_problems, stale_entries


def test_messages_pot_is_up_to_date():
    new, gone = stale_entries()
    assert not new and not gone, (
        f"messages.pot is stale: run `make i18n`. New: {sorted(new)[:5]} Gone: {sorted(gone)[:5]}"
    )


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_catalogue_is_complete_without_fuzzy_or_placeholder_errors(locale):
    problems = catalogue_problems(locale)
    assert problems == [], "\n".join(problems[:20])


def test_placeholder_check_catches_a_renamed_placeholder(tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    import app.core.i18n_check as check

    pot, po = Catalog(), Catalog(locale="fr")
    pot.add("Hello %(name)s")
    po.add("Hello %(name)s", "Bonjour %(nom)s")
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    with (tmp_path / "messages.pot").open("wb") as handle:
        write_po(handle, pot)
    with (tmp_path / "fr" / "LC_MESSAGES" / "messages.po").open("wb") as handle:
        write_po(handle, po)
    monkeypatch.setattr(check, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(check, "POT", tmp_path / "messages.pot")
    assert any("placeholders differ" in p for p in check.catalogue_problems("fr"))
