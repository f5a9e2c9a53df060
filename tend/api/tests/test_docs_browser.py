"""The API docs page (Swagger UI) passes axe at 375x812: closed, with operations opened, and with
"Try it out" on. Swagger UI's own colours failed contrast 199 times; docs.css mends them."""

from __future__ import annotations

from typing import Any

import pytest

from tend.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_pass_axe_on_a_phone_closed_opened_and_trying_it_out(
    live_server: Any, phone_page: Any
) -> None:
    page = phone_page
    page.goto(live_server.url + "/api/v1/docs")
    page.get_by_text("/api/v1/tokens").first.wait_for()
    # Our colours are served from our own static files, after Swagger UI's.
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href || '')")
    assert any(href.endswith("/static/api/docs.css") for href in sheets), sheets
    assert all(href.startswith(live_server.url) for href in sheets if href)
    screenshot(page, "api-docs-phone")
    page.screenshot(path="artifacts/screenshots/api-docs-first-screen-phone.png")
    assert_accessible(page)

    # One operation of each method, opened: parameters, bodies, responses and schemas.
    for method in ("get", "post", "patch", "put", "delete"):
        page.locator(f".opblock-{method} .opblock-summary-control").first.click()
    page.locator(".opblock-body").first.wait_for()
    page.locator(".opblock-post .try-out__btn").first.click()
    page.locator(".opblock-post .btn.execute").first.wait_for()
    # The schemas at the foot are open from the start; open one of them all the way.
    page.locator("section.models .json-schema-2020-12-expand-deep-button").first.click()
    screenshot(page, "api-docs-opened-phone")
    page.locator(".opblock-post").first.screenshot(
        path="artifacts/screenshots/api-docs-post-phone.png"
    )
    assert_accessible(page)
    assert page.console_errors == []
