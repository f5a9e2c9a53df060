"""End to end on the real server: ``tend serve`` as ``make run`` starts it, driven in Chromium.

No test settings reach this server (see served.py): what passes here is what a person gets from
a fresh clone. The browser runs at 375x812 and photographs each step (``served-*``).
"""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tend.conftest import PHONE, assert_accessible, new_page, screenshot
from tend.core.tests.served import Served, tend_serve

pytestmark = [pytest.mark.served, pytest.mark.browser]

PASSWORD = "slow-tide-at-dusk-9"
CUE = "What happened? (optional)"
WAITING = ".offline-queue-text"


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with tend_serve() as server:
        yield server


def sign_up(
    page: Any, served: Served, address: str, shot: str = "", start: str = "", mail: int = 1
) -> None:
    """Sign up (from the page at ``start``, else the sign-up page), then confirm through the
    link in the ``mail``-th email to ``address``, which signs in (in this browser) and goes on
    to where the person was going."""
    if start:
        page.get_by_role("link", name="Create an account").click()
    else:
        page.goto(served.url + "/accounts/signup/")
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create an account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    if shot:
        screenshot(page, f"{shot}-check-your-email")

    link = re.search(
        r"https?://\S+/accounts/confirm-email/\S+", served.wait_for_email(address, count=mail)
    )
    assert link is not None
    assert link.group(0).startswith(served.url + "/"), link.group(0)
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm my email address").click()
    page.wait_for_url(served.url + (start or "/home/"))
    if shot:
        screenshot(page, f"{shot}-home")


def wait_until(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Wait until ``expression`` (which may be a promise) is true in the page.

    Not ``page.wait_for_function``: that evaluates a string inside the page, which Tend's
    content security policy (no unsafe-eval) refuses, as it should.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"Promise.race([{expression}, new Promise(r => setTimeout(r, 1000))])"):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout}s: {expression}")
        page.wait_for_timeout(200)


def cues_on_the_server(page: Any, served: Served) -> list[str]:
    """The cues of the signed-in person's moments, as the API (same session) reports them."""
    response = page.request.get(served.url + "/api/v1/moments?limit=100")
    assert response.status == 200, response.text()
    return sorted(item["cue"] for item in response.json()["items"])


def test_serve_becomes_gunicorn_with_the_task_worker_beside_it(served: Served) -> None:
    # serve execs gunicorn in a fresh interpreter, so that the web workers it forks carry none
    # of migrate's and collectstatic's memory; the task worker is the one other child.
    assert "gunicorn" in served.command_line(served.process.pid)
    children = [served.command_line(pid) for pid in served.children()]
    task_workers = [line for line in children if "tend.cli worker" in line]
    web_workers = [line for line in children if "gunicorn" in line]
    assert len(task_workers) == 1 and len(web_workers) == 2, children


def test_the_service_worker_and_every_file_it_keeps_are_served(served: Served) -> None:
    with urllib.request.urlopen(served.url + "/sw.js") as response:  # noqa: S310 - loopback
        script = response.read().decode()
    # The manifest storage names files by their content, and the worker keeps those names.
    kept = re.findall(r'"(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js|svg))"', script)
    assert len(kept) >= 8, script[:400]
    for url in kept:
        with urllib.request.urlopen(served.url + url) as response:  # noqa: S310 - loopback
            assert response.status == 200


def test_a_new_person_signs_up_captures_online_and_offline_and_downloads_the_map(
    served: Served, phone_page: Any
) -> None:
    page = phone_page
    sign_up(page, served, "river@example.test", shot="served-01-signup")

    # Quick capture, online: a state and a cue, then Save.
    page.locator(".capture-cta").click()
    page.wait_for_url("**/journal/new/")
    page.get_by_role("checkbox", name=re.compile(r"^Fight\b")).click()
    page.get_by_label(CUE).fill("ONLINE the phone buzzed at dinner")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/journal/[0-9a-f-]{36}/$"))
    page.get_by_text("Saved.").first.wait_for()
    screenshot(page, "served-02-saved-online")
    assert cues_on_the_server(page, served) == ["ONLINE the phone buzzed at dinner"]

    # The service worker installs, keeps the capture page and controls it.
    page.goto(served.url + "/journal/new/")
    wait_until(page, "navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    wait_until(page, "caches.match('/journal/new/').then(Boolean)")

    # No network: the page comes from the worker, and two moments wait on the device.
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.get_by_role("checkbox", name=re.compile(r"^Freeze\b")).click()
    page.get_by_label(CUE).fill("OFFLINE-ONE the door closed hard")
    page.get_by_role("button", name="Save").click()
    page.locator(WAITING).filter(has_text="One moment is saved on this device").wait_for()
    page.get_by_label(CUE).fill("OFFLINE-TWO no reply for hours")
    page.get_by_role("button", name="Save").click()
    page.locator(WAITING).filter(has_text="2 moments are saved on this device").wait_for()
    screenshot(page, "served-03-offline-waiting")
    assert_accessible(page)

    # The network returns: each arrives, once, and opening the page again sends nothing twice.
    page.context.set_offline(False)
    page.locator(WAITING).filter(has_text="saved on this device has been sent").wait_for()
    screenshot(page, "served-04-offline-sent")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert cues_on_the_server(page, served) == [
        "OFFLINE-ONE the door closed hard",
        "OFFLINE-TWO no reply for hours",
        "ONLINE the phone buzzed at dinner",
    ]
    page.goto(served.url + "/journal/")
    journal = page.locator("main").inner_text()
    assert journal.count("OFFLINE-ONE") == 1 and journal.count("OFFLINE-TWO") == 1
    screenshot(page, "served-05-journal")

    # The trigger map as a PDF (two sections, so that WeasyPrint is quick on a busy machine).
    page.goto(served.url + "/insights/")
    for label in ("Body heat map", "Time of day and weekday", "Trends", "Glimmer map"):
        page.get_by_role("checkbox", name=label, exact=True).uncheck()
    screenshot(page, "served-06-map")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download the PDF").click(timeout=120_000)
    assert download.value.suggested_filename.endswith(".pdf")
    pdf = download.value.path()
    with open(pdf, "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]
    text = subprocess.run(
        ["pdftotext", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Trigger map" in text
    assert page.console_errors == []


def test_an_invitation_is_accepted_from_its_emailed_link(served: Served, browser: Any) -> None:
    """Someone new opens the invitation email, signs up, confirms and accepts: two steps after
    signing up, on the real server."""
    inviter = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    invited = new_page(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        sign_up(inviter, served, "sam@example.test")

        inviter.goto(served.url + "/connections/")
        inviter.get_by_label("They are my…").select_option("partner")
        inviter.get_by_label("Their email (optional)").fill("ash@example.test")
        inviter.get_by_role("button", name="Create invitation").click()
        screenshot(inviter, "served-07-invited")

        body = served.wait_for_email("ash@example.test")
        link = re.search(r"https?://\S+/connections/join/\?t=\S+", body)
        assert link is not None, body
        # The link names the server that sent it, not a default address.
        assert link.group(0).startswith(served.url + "/"), link.group(0)
        invited.goto(link.group(0))
        # The secret is kept in the session; the address no longer carries it.
        assert invited.url == served.url + "/connections/join/"
        assert "sam invites ash@example.test to connect on Tend" in invited.inner_text("main")
        screenshot(invited, "served-08-join")
        assert_accessible(invited)

        # Sign up from there; confirming (step one) comes back to the invitation, signed in.
        sign_up(invited, served, "ash@example.test", start="/connections/join/", mail=2)
        assert "Accept and connect" in invited.inner_text("main")
        # Step two.
        invited.get_by_role("button", name="Accept and connect").click()
        invited.wait_for_url("**/connections/*-*/")
        assert "connected since" in invited.inner_text("main")
        screenshot(invited, "served-09-connected")

        inviter.goto(served.url + "/connections/")
        assert "No connections yet" not in inviter.inner_text("main")
        assert not inviter.console_errors and not invited.console_errors
    finally:
        inviter.context.close()
        invited.context.close()
