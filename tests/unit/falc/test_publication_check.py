"""publication_check: what people receive is what is checked."""

from app.falc.services import publication_check

LONG = (
    "Le conseil départemental, qui a adopté le schéma départemental d'insertion, souhaite "
    "recueillir l'avis des personnes concernées par le revenu de solidarité active afin "
    "d'améliorer l'accompagnement proposé par les services."
)


def test_the_full_text_is_checked_when_the_easy_version_is_empty(app):
    check = publication_check(None, {"subject": ("Sujet", LONG, "")})
    (text,) = check.texts
    assert text.easy_missing and text.text == LONG and text.alerts >= 1
    assert text.warnings >= 1 and check.flagged == (text,)


def test_the_easy_version_is_checked_instead_of_the_full_text(app):
    check = publication_check(None, {"subject": ("Sujet", LONG, "Le bus passe le soir.")})
    assert check.clean and check.texts[0].text == "Le bus passe le soir."


def test_empty_texts_are_left_out_and_texts_without_easy_version_are_checked(app):
    check = publication_check(
        None,
        {
            "why": ("Pourquoi", "", ""),
            "contact": ("Contact", "   ", None),
            "costs": ("Frais", LONG, None),
        },
    )
    assert [t.key for t in check.texts] == ["costs"]
    assert not check.texts[0].easy_missing and check.alerts == check.texts[0].alerts >= 1
