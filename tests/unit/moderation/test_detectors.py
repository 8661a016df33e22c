"""Moderation detectors: each kind on French positives and negatives, offsets, redaction,
highlighting segments and what a moderator removed."""

from __future__ import annotations

import dataclasses

import pytest

from app.moderation.detectors import (
    ABUSE,
    DEFAULT_DISTRESS,
    DEFAULT_INSULTS,
    KINDS,
    PERSONAL,
    URGENT,
    Finding,
    detect,
    kinds,
    normalise,
    redact,
    removed_parts,
    segments,
)

STAFF = ("Sophie Martin", "Karim Benali", "Claire Rose")

# The textbook example "1 85 05 78 006 084 36" does not have a valid key: 97 - (1850578006084
# mod 97) = 91. The valid number below uses key 91; "... 36" has a wrong key, and is held all
# the same (a typing mistake in someone's number is still their number).
NIR_VALID = "1 85 05 78 006 084 91"
# Corsica: 2A counts as 19 for the key, 97 - (2901219123456 mod 97) = 44.
NIR_CORSICA = "2 90 12 2A 123 456 44"
IBAN_VALID = "FR76 3000 6000 0112 3456 7890 189"


def found(text: str, kind: str) -> list[str]:
    return [f.text for f in detect(text, staff_names=STAFF) if f.kind == kind]


# (text, kind, expected matched texts); an empty list is a negative.
CASES = [
    # phone
    ("Appelez-moi au 06 12 34 56 78 svp", "phone", ["06 12 34 56 78"]),
    ("mon numéro 0612345678.", "phone", ["0612345678"]),
    ("06.12.34.56.78", "phone", ["06.12.34.56.78"]),
    ("06-12-34-56-78", "phone", ["06-12-34-56-78"]),
    ("tel +33 6 12 34 56 78", "phone", ["+33 6 12 34 56 78"]),
    ("tel +33612345678", "phone", ["+33612345678"]),
    ("tel 0033 6 12 34 56 78", "phone", ["0033 6 12 34 56 78"]),
    ("tel +33 (0)6 12 34 56 78", "phone", ["+33 (0)6 12 34 56 78"]),
    ("fixe 01 23 45 67 89 ou 05 12 34 56 78", "phone", ["01 23 45 67 89", "05 12 34 56 78"]),
    ("box 09 87 65 43 21", "phone", ["09 87 65 43 21"]),
    ("07 12 34 56 78", "phone", ["07 12 34 56 78"]),
    ("06\u00a012\u00a034\u00a056\u00a078", "phone", ["06\u00a012\u00a034\u00a056\u00a078"]),
    ("06 123 456 78", "phone", ["06 123 456 78"]),
    ("J'habite dans le 75011.", "phone", []),
    ("En 2026 on recommence.", "phone", []),
    ("Le repas coûte 12,50 €.", "phone", []),
    ("Rendez-vous le 12/05/2026.", "phone", []),
    ("Le dossier 1234567890 est complet.", "phone", []),
    ("Appelez le 115 si vous dormez dehors.", "phone", []),
    ("Le 3919 écoute les femmes victimes.", "phone", []),
    ("Numéro vert 0800 05 95 95", "phone", []),
    ("06 12 34 56", "phone", []),
    ("06 12 34 56 78 90", "phone", []),
    # email
    ("écrivez à prenom.nom@exemple.fr merci", "email", ["prenom.nom@exemple.fr"]),
    ("paul+ccas@mairie-lille.gouv.fr", "email", ["paul+ccas@mairie-lille.gouv.fr"]),
    ("Jean-Luc.Dupont@Exemple.FR", "email", ["Jean-Luc.Dupont@Exemple.FR"]),
    ("nom [at] exemple.fr", "email", ["nom [at] exemple.fr"]),
    ("nom(at)exemple.fr", "email", ["nom(at)exemple.fr"]),
    ("nom (AT) exemple [dot] fr", "email", ["nom (AT) exemple [dot] fr"]),
    ("nom arobase exemple point fr", "email", ["nom arobase exemple point fr"]),
    ("Élodie Arobase Exemple Point Com", "email", ["Élodie Arobase Exemple Point Com"]),
    ("Merci @paul pour ton aide", "email", []),
    ("bonjour @ tous", "email", []),
    ("a@b", "email", []),
    ("rendez-vous at home", "email", []),
    # address
    ("12 rue des Lilas", "address", ["12 rue des Lilas"]),
    ("12 rue des lilas", "address", ["12 rue des lilas"]),
    ("3 bis avenue Jean Jaurès", "address", ["3 bis avenue Jean Jaurès"]),
    ("j'habite au 5, allée des Roses à Lille", "address", ["5, allée des Roses"]),
    ("résidence Les Pins bâtiment B", "address", ["résidence Les Pins bâtiment B"]),
    ("12 rue des Lilas, 59000 Lille", "address", ["12 rue des Lilas, 59000 Lille"]),
    ("59000 Lille", "address", ["59000 Lille"]),
    ("59650 Villeneuve d'Ascq", "address", ["59650 Villeneuve d'Ascq"]),
    ("Place du Marché", "address", ["Place du Marché"]),
    ("on se voit place de la République", "address", ["place de la République"]),
    ("4 impasse du moulin", "address", ["4 impasse du moulin"]),
    ("12 bd Voltaire", "address", ["12 bd Voltaire"]),
    ("12 cours Victor Hugo", "address", ["12 cours Victor Hugo"]),
    ("cité des Fleurs", "address", ["cité des Fleurs"]),
    ("la rue est bruyante", "address", []),
    ("je prends la route demain", "address", []),
    ("sur la place du marché", "address", []),
    ("au cours de Français", "address", []),
    ("il reste 1 place pour toi", "address", []),
    ("J'ai marché dans la rue. Ensuite je suis rentré.", "address", []),
    ("En 2026 il y aura une fête", "address", []),
    ("75 personnes sont venues", "address", []),
    ("Le projet coûte 15000 Euros.", "address", []),
    # iban
    (IBAN_VALID, "iban", [IBAN_VALID]),
    ("IBAN : FR7630006000011234567890189.", "iban", ["FR7630006000011234567890189"]),
    ("fr76 3000 6000 0112 3456 7890 189", "iban", ["fr76 3000 6000 0112 3456 7890 189"]),
    # One wrong digit: the checksum fails but it is still a French IBAN.
    ("FR76 3000 6000 0112 3456 7890 188", "iban", ["FR76 3000 6000 0112 3456 7890 188"]),
    ("DE89 3704 0044 0532 0130 00", "iban", ["DE89 3704 0044 0532 0130 00"]),
    (f"{IBAN_VALID} la radio", "iban", [IBAN_VALID]),
    ("DE89 3704 0044 0532 0130 01", "iban", []),
    ("FR76", "iban", []),
    ("J'écoute FR2 la radio", "iban", []),
    ("mot de passe ABCD1234", "iban", []),
    # nir
    (NIR_VALID, "nir", [NIR_VALID]),
    ("185057800608491", "nir", ["185057800608491"]),
    ("sécu 1850578006084", "nir", ["1850578006084"]),
    (NIR_CORSICA, "nir", [NIR_CORSICA]),
    # A wrong key is still someone's number (a typing mistake): held all the same.
    ("1 85 05 78 006 084 36", "nir", ["1 85 05 78 006 084 36"]),
    ("1 85 05 78 006 084 99", "nir", ["1 85 05 78 006 084 99"]),
    ("1 2 3 4 5", "nir", []),
    ("5 85 05 78 006 084", "nir", []),
    ("1 85 15 78 006 084", "nir", []),
    ("06 12 34 56 78", "nir", []),
    ("+33 6 12 34 56 78", "nir", []),
    # staff_name
    ("Merci à Sophie Martin", "staff_name", ["Sophie Martin"]),
    ("merci à sophie martin", "staff_name", ["sophie martin"]),
    ("MARTIN Sophie", "staff_name", ["MARTIN Sophie"]),
    ("Martin m'a aidé", "staff_name", ["Martin"]),
    ("Mme martin", "staff_name", ["martin"]),
    ("Madame Rose", "staff_name", ["Rose"]),
    ("M. Benali", "staff_name", ["Benali"]),
    ("karim benali", "staff_name", ["karim benali"]),
    ("BENALI", "staff_name", ["BENALI"]),
    ("Sophie-Martin", "staff_name", ["Sophie-Martin"]),
    ("Le martinet chante", "staff_name", []),
    ("martin-pêcheur", "staff_name", []),
    ("une robe rose", "staff_name", []),
    ("Sophie est venue", "staff_name", []),
    ("le saint martin", "staff_name", []),
    # insult
    ("Espèce de connard", "insult", ["connard"]),
    ("bande de connards", "insult", ["connards"]),
    ("t'es qu'un con", "insult", ["con"]),
    ("quelle CONNE", "insult", ["CONNE"]),
    ("FERME   TA GUEULE", "insult", ["FERME   TA GUEULE"]),
    ("ta gueule", "insult", ["ta gueule"]),
    ("l'enculé", "insult", ["enculé"]),
    ("des enculées", "insult", ["enculées"]),
    ("sale arabe", "insult", ["sale arabe"]),
    ("Bâtard !", "insult", ["Bâtard"]),
    ("les crétins", "insult", ["crétins"]),
    ("Le contrat est signé", "insult", []),
    ("Le conseil municipal", "insult", []),
    ("une belle rencontre", "insult", []),
    ("à Mâcon", "insult", []),
    ("un cône de glace, des cônes", "insult", []),
    ("le député", "insult", []),
    ("une dispute", "insult", []),
    # distress
    ("je veux me suicider", "distress", ["me suicider"]),
    ("j’ai envie d’en finir", "distress", ["en finir"]),
    ("j'ai envie d'en  finir", "distress", ["en  finir"]),
    ("Je n’en peux plus", "distress", ["Je n’en peux plus"]),
    ("j'en peux plus", "distress", ["j'en peux plus"]),
    ("Mettre fin à mes jours", "distress", ["Mettre fin à mes jours"]),
    ("il me frappe tous les soirs", "distress", ["il me frappe"]),
    ("il m'a frappée", "distress", ["il m'a frappée"]),
    ("J'ai peur pour ma vie", "distress", ["J'ai peur pour ma vie"]),
    ("j ai peur pour ma vie", "distress", ["j ai peur pour ma vie"]),
    ("on m'a violée", "distress", ["on m'a violée"]),
    ("je vais dormir dehors ce soir", "distress", ["dormir dehors ce soir"]),
    ("je suis à la rue ce soir", "distress", ["à la rue ce soir"]),
    ("plus rien à manger", "distress", ["plus rien à manger"]),
    ("VIOLENCES CONJUGALES", "distress", ["VIOLENCES CONJUGALES"]),
    ("Merci pour la réunion, c'était bien.", "distress", []),
    ("La rue est calme le soir.", "distress", []),
    ("Nous avons fini le dossier.", "distress", []),
]


@pytest.mark.parametrize(
    ("text", "kind", "expected"), CASES, ids=[f"{c[1]}:{c[0][:40]}" for c in CASES]
)
def test_detectors(text: str, kind: str, expected: list[str]) -> None:
    assert found(text, kind) == expected


CLEAN = [
    "Merci pour la réunion, c'était bien.",
    "Le contrat du conseil départemental arrive en 2026, nous serons 75 personnes.",
    "La rue est bruyante, je prends la route demain pour la place du marché.",
    "J'ai payé 12,50 € le 12/05/2026. En cas d'urgence, appelez le 115.",
    "Le cours de Français avait lieu salle 12 avec les bénévoles du CCAS.",
]


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_texts_have_no_finding(text: str) -> None:
    assert detect(text, staff_names=STAFF) == []


def test_constants() -> None:
    assert KINDS == ("distress", "phone", "email", "address", "iban", "nir", "staff_name", "insult")
    assert set(KINDS) == PERSONAL | URGENT | ABUSE
    assert not PERSONAL & (URGENT | ABUSE)
    for entries in (DEFAULT_INSULTS, DEFAULT_DISTRESS):
        assert len(set(entries)) == len(entries) >= 40
        assert all(entry == normalise(entry)[0] for entry in entries)


def test_finding_offsets_point_into_the_original_text() -> None:
    text = "Élodie écrit à Sophie Martin : 06 12 34 56 78, sophie.martin@ccas-lille.fr"
    findings = detect(text, staff_names=STAFF)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    assert [(f.kind, f.text) for f in findings] == [
        ("staff_name", "Sophie Martin"),
        ("phone", "06 12 34 56 78"),
        # Different kinds may overlap: the e-mail address contains a staff name.
        ("email", "sophie.martin@ccas-lille.fr"),
        ("staff_name", "sophie.martin"),
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        findings[0].start = 3  # type: ignore[misc]


def test_findings_are_sorted_by_start_then_kind_order() -> None:
    text = "Connard, je veux en finir, appelle le 06 12 34 56 78"
    findings = detect(text)
    assert [f.kind for f in findings] == ["insult", "distress", "phone"]
    assert kinds(findings) == ["distress", "phone", "insult"]
    assert kinds([]) == []


def test_offsets_after_accents_ligatures_and_decomposed_letters() -> None:
    # "E" + combining acute accent, "œ" (two letters) and the "ﬁ" ligature before the number.
    text = "E\u0301lodie, cœur ﬁni : 06 12 34 56 78"
    (finding,) = detect(text)
    assert finding == Finding("phone", 20, 34, "06 12 34 56 78")
    assert text[finding.start : finding.end] == finding.text


def test_custom_lists_replace_the_defaults() -> None:
    text = "Quel zigoto, je veux en finir"
    assert kinds(detect(text, insults=["zigoto"], distress=[])) == ["insult"]
    assert kinds(detect(text, insults=[])) == ["distress"]
    # Custom entries are normalised like the text.
    assert [f.text for f in detect("un Zigotô", insults=["ZIGOTO"])] == ["Zigotô"]


def test_phone_inside_an_iban_is_not_reported() -> None:
    # "061 2345 678" alone would be a phone number; here it is part of a French IBAN.
    assert found("061 2345 678", "phone") == ["061 2345 678"]
    text = "FR76 3000 6000 A061 2345 678B C12"
    assert [(f.kind, f.text) for f in detect(text)] == [("iban", text)]


@pytest.mark.parametrize(
    ("text", "normalised", "origin"),
    [
        ("Élodie", "elodie", [0, 1, 2, 3, 4, 5]),
        ("E\u0301lodie", "elodie", [0, 2, 3, 4, 5, 6]),
        ("cœur", "coeur", [0, 1, 1, 2, 3]),
        ("Œuvre", "oeuvre", [0, 0, 1, 2, 3, 4]),
        ("ﬁn", "fin", [0, 0, 1]),
        ("l’île  d\u02bcici", "l'ile  d'ici", list(range(12))),
        ("a\tb\u00a0c\nd", "a b c d", list(range(7))),
        ("ÇA VA", "ca va", list(range(5))),
        ("", "", []),
    ],
)
def test_normalise(text: str, normalised: str, origin: list[int]) -> None:
    assert normalise(text) == (normalised, origin)


def test_redact_removes_personal_data_and_keeps_insults_and_distress() -> None:
    text = "Connard ! Appelle-moi au 06 12 34 56 78 ou paul@exemple.fr, je veux en finir."
    findings = detect(text)
    assert redact(text, findings) == "Connard ! Appelle-moi au […] ou […], je veux en finir."
    assert redact(text, findings, placeholder="***") == (
        "Connard ! Appelle-moi au *** ou ***, je veux en finir."
    )
    assert redact(text, []) == text


def test_redact_merges_overlapping_spans() -> None:
    text = "contact : sophie.martin@ccas.fr"
    findings = detect(text, staff_names=STAFF)
    assert kinds(findings) == ["email", "staff_name"]
    assert redact(text, findings) == "contact : […]"


def test_segments_cover_the_text() -> None:
    text = "Bonjour, sophie.martin@ccas.fr, connard, 06 12 34 56 78."
    findings = detect(text, staff_names=STAFF)
    pieces = segments(text, findings)
    assert "".join(piece for piece, _ in pieces) == text
    assert pieces == [
        ("Bonjour, ", None),
        ("sophie.martin@ccas.fr", "email"),  # the staff name inside it is merged
        (", ", None),
        ("connard", "insult"),
        (", ", None),
        ("06 12 34 56 78", "phone"),
        (".", None),
    ]
    assert segments(text, []) == [(text, None)]
    assert segments("", []) == []


def test_segments_merge_overlaps_with_the_first_kind_in_kinds_order() -> None:
    text = "abcdefghij"
    findings = [Finding("insult", 0, 6, "abcdef"), Finding("phone", 4, 8, "efgh")]
    assert segments(text, findings) == [("abcdefgh", "phone"), ("ij", None)]


def test_removed_parts_tells_what_a_moderator_removed() -> None:
    original = "Appelez-moi au 06 12 34 56 78, merci."
    assert removed_parts(original, "Appelez-moi au […], merci.") == ["06 12 34 56 78"]
    assert removed_parts(original, original) == []
    assert removed_parts("Merci Sophie Martin !", "Merci !") == ["Sophie Martin"]


def test_removed_parts_after_redact() -> None:
    original = "Écrivez à paul@exemple.fr ou au 06 12 34 56 78."
    redacted = redact(original, detect(original))
    assert removed_parts(original, redacted) == ["paul@exemple.fr", "06 12 34 56 78"]


def test_long_text_has_no_catastrophic_backtracking() -> None:
    prose = (
        "Bonjour à tous, la réunion de mardi au centre social était très intéressante. "
        "Nous avons parlé du logement, des aides de la CAF et du transport en commun. "
        "Les animateurs nous écoutaient bien, même si la salle était un peu petite. "
        "Merci à l'équipe pour le café ! Rendez-vous le 12/05/2026 à 14 h 30, salle 3. "
    )
    text = prose * (50_000 // len(prose) + 1)
    assert len(text) > 50_000
    assert detect(text, staff_names=STAFF) == []
    # Inputs that make naive patterns backtrack: long runs of digits, letters, separators.
    for chunk in ("0", "0 ", "0.", "a", "a.", "a@", "fr76 abcd ", "Rue Des ", "con "):
        detect(chunk * (20_000 // len(chunk)), staff_names=STAFF)


def test_social_security_key_is_checked_separately():
    from app.moderation.detectors import nir_key_ok

    assert nir_key_ok(NIR_VALID)
    assert nir_key_ok(NIR_CORSICA)
    assert not nir_key_ok("1 85 05 78 006 084 36")
    assert not nir_key_ok("1 85 05 78 006 084")
