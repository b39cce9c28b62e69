"""The services' refusals in the page's language: Dutch on Dutch pages, as written on English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.web.i18n_messages import MESSAGES, service_message
from tests.api.conftest import make_world
from tests.api.web.conftest import csrf_from, log_in


def test_a_refused_board_move_and_postcode_are_dutch_on_dutch_pages(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    rid, own = world.a.referral.id, world.a.candidate.id
    log_in(web, world.a.coach)
    token = csrf_from(web.get("/coach/referrals").text)
    refused = web.post(
        "/coach/referrals", data={"csrf_token": token, "referral_id": rid, "status": "proposed"}
    )
    assert refused.status_code == 422
    card = refused.text[refused.text.index(f'id="err-{rid}"') :][:400]
    assert "kan niet van geïntroduceerd naar voorgesteld" in card and "cannot go" not in card
    no_reason = web.post(
        "/coach/referrals", data={"csrf_token": token, "referral_id": rid, "status": "rejected"}
    )
    assert "geef een reden op als een verwijzing afgewezen wordt" in no_reason.text
    form = {"csrf_token": token, "postcode": "12", "benefit": "participatiewet"}
    bad = web.post(f"/coach/candidates/{own}/edit", data=form)
    assert bad.status_code == 422 and "geen Nederlandse postcode" in bad.text
    web.cookies.set("srmatch_lang", "en")
    english = web.post(
        "/coach/referrals", data={"csrf_token": token, "referral_id": rid, "status": "proposed"}
    )
    assert "cannot go from introduced to proposed" in english.text


def test_every_translation_fills_its_template() -> None:
    # each pattern's named groups are the fields its Dutch template uses, no more, no less
    for pattern, template in MESSAGES:
        used = set(pattern.groupindex)
        assert used == set(re.findall(r"{(\w+)}", template)), pattern.pattern
    assert service_message("'xx' is not one of: ww, wia", "nl") == (
        "'xx' is niet toegestaan; kies uit: ww, wia"
    )
