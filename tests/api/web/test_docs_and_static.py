"""The API documentation and every script and style sheet come from the app itself."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.web import i18n


def test_docs_load_swagger_ui_from_local_files(web: TestClient) -> None:
    page = web.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources, page.text
    assert all(s.startswith("/static/vendor/swagger-ui/") for s in sources), sources
    assert '"validatorUrl": null' in page.text
    for src in sources:
        assert web.get(src).status_code == 200, src
    assert web.get("/docs/oauth2-redirect").status_code == 200
    assert web.get("/redoc").status_code == 404


def test_login_page_assets_are_served_locally(web: TestClient) -> None:
    page = web.get("/login").text
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|svg))"', page)
    assert sources
    for src in sources:
        assert src.startswith("/static/"), src
        assert web.get(src).status_code == 200, src


def test_both_languages_hold_the_same_messages() -> None:
    assert set(i18n.NL) == set(i18n.EN)
    assert all(i18n.NL[k] and i18n.EN[k] for k in i18n.NL)
