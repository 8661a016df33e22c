"""The kit's fiches as content: seeding, changing with a revision, sanitising, rights."""

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.core.errors import DomainError, NotAllowed, NotFound
from app.core.models import AuditEntry
from app.core.sanitize import clean_html
from app.kit import fiches
from app.kit.models import PARTS, Fiche, FicheRevision, Phase
from app.kit.seed_content import EDITION, FICHES
from tests.factories import make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")


def _form_data(fiche: Fiche, **changes) -> dict:
    data = {name: getattr(fiche, name) for name in ("title", *PARTS, "easy", "source", "edition")}
    data.update(phase=fiche.phase.value, verified=fiche.verified)
    data.update(changes)
    return data


@pytest.fixture
def admin():
    return make_person(admin=True)


@pytest.fixture
def seeded():
    fiches.ensure_seeded()
    return fiches.get(5)


def test_seed_content_is_ten_unverified_fiches_in_three_phases():
    assert [f["number"] for f in FICHES] == list(range(1, 11))
    assert [f["number"] for f in FICHES] == list(range(1, 11))
    assert {f["phase"] for f in FICHES[:5]} == {"before"}
    assert {f["phase"] for f in FICHES[5:7]} == {"during"}
    assert {f["phase"] for f in FICHES[7:]} == {"after"}
    # what DOMAIN.md confirms of the 2021 edition: 5 logistics and costs, 7 preparing people
    assert "frais" in FICHES[4]["title"] and "accompagner" in FICHES[6]["title"]
    for fiche in FICHES:
        assert fiche["verified"] is False
        assert fiche["edition"] == EDITION
        assert fiche["source"] and fiche["easy"]
        for part in PARTS:
            # Already clean: the sanitiser keeps it as it is.
            assert str(clean_html(fiche[part])) == fiche[part]
            words = len(clean_html(fiche[part]).striptags().split())
            assert 80 <= words <= 200, (fiche["number"], part, words)


def test_seed_is_idempotent_and_never_overwrites_an_edit(admin):
    assert fiches.ensure_seeded() == 10
    fiche = fiches.get(3)
    fiches.update(admin, fiche, _form_data(fiche, title="Trouver les participants"))
    assert fiches.ensure_seeded() == 0
    assert db.session.scalar(select(func.count(Fiche.id))) == 10
    assert fiches.get(3).title == "Trouver les participants"
    assert [f.number for f in fiches.all_fiches()] == list(range(1, 11))


def test_seed_puts_back_a_missing_fiche_only(admin, seeded):
    fiches.update(admin, seeded, _form_data(seeded, title="Frais : ma version"))
    db.session.delete(fiches.get(9))
    db.session.flush()
    assert fiches.ensure_seeded() == 1
    assert fiches.get(9).title == FICHES[8]["title"]
    assert fiches.get(5).title == "Frais : ma version"


def test_update_keeps_a_revision_with_the_old_content(admin, seeded):
    old = {name: getattr(seeded, name) for name in ("title", *PARTS, "easy", "source")}
    fiches.update(
        admin,
        seeded,
        _form_data(seeded, title="Les frais", why="<p>Nouveau texte.</p>", verified=True),
    )
    assert seeded.title == "Les frais" and seeded.verified is True
    assert seeded.updated_by_id == admin.id
    revision = db.session.scalars(select(FicheRevision)).one()
    assert revision.fiche_id == seeded.id and revision.saved_by_id == admin.id
    for name, value in old.items():
        assert revision.content[name] == value
    assert revision.content["number"] == 5
    assert revision.content["phase"] == "before"
    assert revision.content["verified"] is False
    assert revision.content["edition"] == EDITION
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "kit.fiche_changed")
    ).one()
    assert entry.object_id == seeded.id and entry.actor_id == admin.id


def test_update_without_change_saves_no_revision(admin, seeded):
    fiches.update(admin, seeded, _form_data(seeded))
    assert db.session.scalar(select(func.count(FicheRevision.id))) == 0


def test_update_sanitises_the_four_parts(admin, seeded):
    dirty = '<p onclick="steal()">Bonjour</p><script>alert(1)</script><ul><li>Un</li></ul>'
    fiches.update(admin, seeded, _form_data(seeded, **dict.fromkeys(PARTS, dirty)))
    for part in PARTS:
        value = getattr(seeded, part)
        assert "<script" not in value and "alert(1)" not in value and "onclick" not in value
        assert "<p>Bonjour</p>" in value and "<li>Un</li>" in value


def test_only_platform_admins_change_a_fiche(seeded):
    org = make_org()
    for person in (make_person((org, Role.ADMIN)), make_person((org, Role.FACILITATOR))):
        with pytest.raises(NotAllowed):
            fiches.update(person, seeded, _form_data(seeded, title="Non"))
    with pytest.raises(NotAllowed):
        fiches.update(None, seeded, _form_data(seeded, title="Non"))
    assert seeded.title == FICHES[4]["title"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"phase": "someday"}, "phase"),
        ({"number": 7}, "number"),
        ({"edition": "x" * 101}, "edition"),
    ],
)
def test_update_refuses_bad_content(admin, seeded, changes, field):
    with pytest.raises(DomainError) as refused:
        fiches.update(admin, seeded, _form_data(seeded, **changes))
    assert refused.value.field == field
    assert db.session.scalar(select(func.count(FicheRevision.id))) == 0


def test_phase_can_change(admin, seeded):
    fiches.update(admin, seeded, _form_data(seeded, phase="during"))
    assert seeded.phase == Phase.DURING


def test_get_unknown_number_is_not_found():
    fiches.ensure_seeded()
    with pytest.raises(NotFound):
        fiches.get(11)
    assert fiches.find(11) is None


def test_history_shows_who_changed_what_newest_first(admin, seeded):
    first_title = seeded.title
    fiches.update(admin, seeded, _form_data(seeded, title="Deuxième titre"))
    fiches.update(admin, seeded, _form_data(seeded, how="<p>Une seule étape.</p>"))
    entries = fiches.history(seeded)
    assert [[c.name for c in e.changes] for e in entries] == [["how"], ["title"]]
    title = entries[1].changes[0]
    assert (title.before, title.after) == (first_title, "Deuxième titre")
    assert ("added", "Deuxième titre") in title.segments
    how = entries[0].changes[0]
    assert how.after == "Une seule étape."
    assert "Choisissez un lieu accessible" in how.before
    assert entries[0].saved_by.id == admin.id


def test_word_diff_shortens_long_unchanged_text():
    before = " ".join(f"mot{i}" for i in range(100))
    after = before.replace("mot50", "changé")
    segments = fiches.word_diff(before, after)
    assert ("removed", "mot50") in segments and ("added", "changé") in segments
    assert [op for op, _text in segments].count("gap") == 2
    assert sum(len(text.split()) for _op, text in segments) < 40


def test_plain_text_of_a_part():
    html = "<p>Un &amp; deux</p><ul><li>trois</li><li><strong>quatre</strong></li></ul>"
    assert fiches.plain_text(html) == "Un & deux\n• trois\n• quatre"
