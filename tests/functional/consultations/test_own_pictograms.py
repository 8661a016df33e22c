"""An organisation's own pictures: a facilitator uploads a PNG or an SVG, names it and says
what it shows; it is drawn again as a PNG (an SVG's script never survives), served only as
image/png, refused with a plain message when it is no picture, and found by its name in the
question editor of that organisation only."""

from __future__ import annotations

import html as html_lib
import io

from PIL import Image
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person, Role
from app.consultations import own_pictograms, pictograms
from app.consultations.own_pictogram_models import OwnPictogram
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, saved

URL = "/consultations/pictures"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_WITH_SCRIPT = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">
  <script>alert(document.cookie)</script>
  <rect x="10" y="10" width="80" height="80" fill="#1d4f91" onload="alert(1)"/>
  <image href="file:///etc/passwd" width="10" height="10"/>
</svg>"""


def _png(colour: str = "red", size: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, format="PNG", pnginfo=_comment())
    return out.getvalue()


def _comment():  # noqa: ANN202
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "secret-gps-48.85N")
    return info


def _world(app) -> dict:
    with saved(app):
        team = an_organisation("Foyer Soleil", domain="so.test", fac=Role.FACILITATOR)
        other = an_organisation("Foyer Lune", domain="lu.test", fac=Role.FACILITATOR)
        round_ = a_round(team.org, team["fac"])
        return {"round": round_.id, "org": team.org.id, "other": other.org.id}


def _upload(
    client, data: bytes, filename: str, title: str = "Salle du foyer", alt: str = "La grande salle"
):  # noqa: ANN202
    token = csrf_from(client.get(URL).get_data(as_text=True))
    return client.post(
        URL,
        data={
            "csrf_token": token,
            "title": title,
            "alt": alt,
            "picture": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def _only_picture(app) -> OwnPictogram:
    with app.app_context():
        return db.session.scalars(select(OwnPictogram)).one()


def test_uploaded_png_is_redrawn_without_metadata_and_served_as_png(client, app):
    _world(app)
    login(client, "fac@so.test", PASSWORD)
    sent = _upload(client, _png(), "salle.png")
    assert sent.status_code == 303
    picture = _only_picture(app)
    page = client.get(URL).get_data(as_text=True)
    assert f'src="/consultations/pictures/own-{picture.id}.png"' in page
    assert 'alt="La grande salle"' in page
    served = client.get(f"/consultations/pictures/own-{picture.id}.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.data.startswith(PNG_SIGNATURE) and b"secret-gps" not in served.data
    with Image.open(io.BytesIO(served.data)) as img:
        assert max(img.size) <= own_pictograms.MAX_SIDE and img.getpixel((5, 5))[:3] == (255, 0, 0)


def test_svg_with_a_script_becomes_a_png_with_no_script(client, app):
    _world(app)
    login(client, "fac@so.test", PASSWORD)
    assert _upload(client, SVG_WITH_SCRIPT, "dessin.svg").status_code == 303
    picture = _only_picture(app)
    served = client.get(f"/consultations/pictures/own-{picture.id}.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.data.startswith(PNG_SIGNATURE)
    assert (
        b"<script" not in served.data and b"alert" not in served.data and b"<svg" not in served.data
    )
    with Image.open(io.BytesIO(served.data)) as img:
        assert img.format == "PNG" and img.convert("RGB").getpixel((128, 128)) == (29, 79, 145)


def test_file_that_is_no_picture_is_refused_with_a_plain_message(client, app):
    _world(app)
    login(client, "fac@so.test", PASSWORD)
    refused = _upload(client, b"<html><script>alert(1)</script></html>", "salle.png")
    page = html_lib.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "Ce fichier n'est pas une image" in page or "This file is not a picture" in page
    assert 'value="Salle du foyer"' in page  # the form comes back as it was typed
    with app.app_context():
        assert db.session.scalars(select(OwnPictogram)).all() == []


def test_too_big_picture_is_refused_before_it_is_read(client, app):
    _world(app)
    app.config["OWN_PICTOGRAM_MAX_BYTES"] = 2000
    try:
        login(client, "fac@so.test", PASSWORD)
        refused = _upload(client, _png(size=400) + b"\0" * 3000, "grande.png")
    finally:
        del app.config["OWN_PICTOGRAM_MAX_BYTES"]
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(OwnPictogram)).all() == []


def test_own_picture_is_found_by_its_name_in_its_organisation_only(client, app):
    world = _world(app)
    login(client, "fac@so.test", PASSWORD)
    assert _upload(client, _png("green"), "salle.png", title="Salle des fêtes").status_code == 303
    picture = _only_picture(app)
    url = f"/consultations/{world['round']}/questions/new"
    typed = {"kind": "single", "text": "Où ?", "text_easy": "Où ?", "choices": "Ici\nLà-bas"}
    found = post_form(client, url, typed | {"action": "find", "picture_search": "salle des fetes"})
    page = html_lib.unescape(found.get_data(as_text=True))
    assert f'value="own-{picture.id}"' in page
    assert f'src="/consultations/pictures/own-{picture.id}.png"' in page
    added = post_form(client, url, typed | {"choices": f"Ici | own-{picture.id}\nLà-bas"})
    assert added.status_code == 303
    with app.app_context():
        assert pictograms.search("salle des fêtes", world["other"]) == [] or all(
            p.name != f"own-{picture.id}"
            for p in pictograms.search("salle des fêtes", world["other"])
        )
        assert pictograms.resolve(f"own-{picture.id}", world["other"]) is None
        assert pictograms.pictogram_file(f"own-{picture.id}") == own_pictograms.file_of(picture)
        assert pictograms.pictogram_alt(f"own-{picture.id}") == "La grande salle"


def test_picture_page_is_for_the_organisation_staff(client, app):
    _world(app)
    assert client.get(URL).status_code in (302, 303)  # log in first
    served = client.get("/consultations/pictures/own-999.png")
    assert served.status_code == 404


def test_accessibility_page_credits_openmoji_with_its_licence_as_text(client, app):
    page = html_lib.unescape(client.get("/accessibility").get_data(as_text=True))
    assert "OpenMoji" in page and "CC BY-SA 4.0" in page
    assert ">https://openmoji.org</a>" in page
    assert ">https://creativecommons.org/licenses/by-sa/4.0/</a>" in page


def test_question_editor_links_to_the_organisation_pictures(client, app):
    world = _world(app)
    login(client, "fac@so.test", PASSWORD)
    page = client.get(f"/consultations/{world['round']}/questions/new").get_data(as_text=True)
    assert f'href="/consultations/pictures?organisation_id={world["org"]}"' in page


def test_round_picture_chosen_by_a_french_word_shows_on_the_invited_home_page(client, app):
    from dataclasses import replace

    from app.accounts.models import Person
    from app.consultations import services
    from app.consultations.models import ConsultationRound
    from app.core.errors import DomainError

    with saved(app):
        team = an_organisation(
            "Foyer Soleil", domain="so.test", fac=Role.FACILITATOR, lea=Role.PARTICIPANT
        )
        draft = a_round(team.org, team["fac"])
        opened = a_round(team.org, team["fac"], step="open", invited=[team["lea"]])
        ids = (draft.id, opened.id)
    with app.app_context():
        draft = db.session.get(ConsultationRound, ids[0])
        fac = db.session.get(Person, draft.created_by_id)
        data = services.RoundData(
            title=draft.title, opens_at=draft.opens_at, closes_at=draft.closes_at
        )
        try:
            services.update_round(fac, draft, replace(data, pictogram="vélo électrique"))
        except DomainError as refused:
            assert refused.field == "pictogram"
        else:
            raise AssertionError("an unknown picture word was taken")
        db.session.rollback()
        services.update_round(fac, draft, replace(data, pictogram="Autobus"))
        assert draft.pictogram == "transport"  # the word is stored as the picture's name
        db.session.get(ConsultationRound, ids[1]).pictogram = "transport"
        db.session.commit()
    login(client, "fac@so.test", PASSWORD)
    edit = client.get(f"/consultations/{ids[0]}/edit").get_data(as_text=True)
    assert 'name="pictogram"' in edit and 'value="transport"' in edit
    assert 'src="/static/img/pictograms/transport.svg" alt="Bus"' in edit
    client.post("/logout", data={"csrf_token": csrf_from(edit)})
    login(client, "lea@so.test", PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert '<img class="pictogram" src="/static/img/pictograms/transport.svg" alt=""' in home


def test_another_organisation_cannot_put_an_own_picture_on_its_answers(client, app):
    _world(app)
    with saved(app):
        other = db.session.scalars(
            select(Organisation).where(Organisation.name == "Foyer Lune")
        ).one()
        fac = db.session.scalars(select(Person).where(Person.email == "fac@lu.test")).one()
        other_round = a_round(other, fac).id
    login(client, "fac@so.test", PASSWORD)
    assert _upload(client, _png("green"), "salle.png", title="Salle bleue").status_code == 303
    name = _only_picture(app).name
    client.post("/logout", data={"csrf_token": csrf_from(client.get(URL).get_data(as_text=True))})
    login(client, "fac@lu.test", PASSWORD)
    url = f"/consultations/{other_round}/questions/new"
    typed = {"kind": "single", "text": "Où ?", "text_easy": "Où ?"}
    refused = post_form(client, url, typed | {"choices": f"Ici | {name}\nLà-bas"})
    assert refused.status_code == 400
    by_word = post_form(client, url, typed | {"choices": "Ici | salle bleue\nLà-bas"})
    assert by_word.status_code == 400


def test_an_organisations_own_picture_is_printed_on_the_paper_questionnaire(client, app):
    """The PDF maker reads only our static files; a picture uploaded by the organisation is
    stored elsewhere, so it goes into the PDF as data, with the words the uploader gave it."""
    from app.consultations import printing
    from app.consultations.models import ConsultationRound
    from tests.unit.consultations.test_accessible_pdf import _elements

    world = _world(app)
    login(client, "fac@so.test", PASSWORD)
    assert _upload(client, _png(), "salle.png").status_code == 303
    picture = _only_picture(app)
    with app.test_request_context("/"):
        round_ = db.session.get(ConsultationRound, world["round"])
        choice = round_.questions[0].choices[0]
        choice.pictogram = f"{pictograms.OWN_PREFIX}{picture.id}"
        choice.pictogram_alt = None
        data = printing.questionnaire_pdf(round_, [None])
    figures = [e["alt"] for e in _elements(data) if e["type"] == "/Figure"]
    assert "La grande salle" in figures
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        widths = [int(image.Width) for page in pdf.pages for image in page.get_images().values()]
    assert 256 in widths  # the uploaded picture itself, redrawn at 256 pixels
