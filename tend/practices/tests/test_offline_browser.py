"""The library and a breath pacer work offline, kept by the journal's service worker."""

from __future__ import annotations

from typing import Any

import pytest

from tend.accounts.models import User
from tend.journal.tests.test_browser import sign_in
from tend.practices.tests.test_pacer_browser import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_breath_pacer_opened_once_works_offline_and_a_flow_page_is_never_kept(
    live_server: Any, phone_page: Any, alice: User
) -> None:
    page = phone_page
    sign_in(page, live_server, alice)
    player = "/practices/practice/long_exhale/"
    assert page.goto(live_server.url + "/practices/").status == 200
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null")
    for _attempt in range(3):
        page.goto(live_server.url + player)
        page.goto(live_server.url + player + "?flow=1&intensity=8")
        if page.evaluate(f"caches.match('{player}').then(Boolean)"):
            break
    assert page.evaluate(f"caches.match('{player}').then(Boolean)")
    # The flow's page, with an intensity in its address, was not stored under any key.
    kept = page.evaluate(
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
        ".then(c => c.keys())))).then(all => all.flat().map(r => r.url))"
    )
    assert not [url for url in kept if "intensity=" in url]

    page.context.set_offline(True)
    response = page.goto(live_server.url + player)
    assert response is not None and response.from_service_worker
    page.get_by_role("button", name="Start").click()
    wait_until(page, "window.tendPacer.log.length >= 1")
    assert page.locator(".pacer-phase").inner_text() == "Breathe in"
    page.context.set_offline(False)
