"""Pages go out gzipped to browsers that accept it; PDFs and streams go out as they are."""

from __future__ import annotations

import gzip
import os
import re

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory

from tend.accounts.models import User
from tend.conftest import client_for
from tend.core.compression import TextCompressionMiddleware
from tend.journal.tests.factories import MomentFactory

# What differs between two renderings of one page: the CSP nonce, the masked CSRF token and the
# charts' element ids (numbered as they are drawn).
PER_REQUEST = re.compile(
    r'(nonce="|nonce-|name="csrfmiddlewaretoken" value="|data-csrf-token=")[^"\';]+'
)


CHART_ID = re.compile(r"(chart-[a-z-]+-)\d+")


def same_page(html: str) -> str:
    return CHART_ID.sub(r"\1N", PER_REQUEST.sub(r"\1…", html))


def test_a_page_asked_with_gzip_comes_back_gzipped_and_decodes_to_the_same_page(
    alice: User,
) -> None:
    MomentFactory.create_batch(12, author=alice)
    client = client_for(alice)
    plain = client.get("/insights/")
    zipped = client.get("/insights/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content) / 3
    decoded = gzip.decompress(zipped.content).decode()
    assert same_page(decoded) == same_page(plain.content.decode())
    assert "<h1" in decoded


def test_a_page_is_sent_plain_to_a_client_that_does_not_ask_for_gzip(client: Client) -> None:
    page = client.get("/", HTTP_ACCEPT_ENCODING="identity")
    assert page.status_code == 200 and "Content-Encoding" not in page
    assert b"<html" in page.content


def _through_middleware(response: HttpResponse | StreamingHttpResponse) -> HttpResponse:
    def answer(request: HttpRequest) -> HttpResponse:
        return response  # type: ignore[return-value]

    request = RequestFactory().get("/any", HTTP_ACCEPT_ENCODING="gzip")
    return TextCompressionMiddleware(answer)(request)  # type: ignore[return-value]


def test_a_pdf_is_sent_as_it_is() -> None:
    body = b"%PDF-1.7\n" + b"stream " * 1000
    response = _through_middleware(HttpResponse(body, content_type="application/pdf"))
    assert "Content-Encoding" not in response and response.content == body


def test_a_streamed_answer_is_sent_as_it_is() -> None:
    chunks = [b"data: ready\n\n" * 200, b"data: again\n\n" * 200]
    response = _through_middleware(StreamingHttpResponse(iter(chunks), content_type="text/html"))
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == b"".join(chunks)  # type: ignore[attr-defined]


def test_a_small_json_answer_is_not_worth_compressing_but_a_large_one_is() -> None:
    small = _through_middleware(HttpResponse(b'{"status": "ok"}', content_type="application/json"))
    assert "Content-Encoding" not in small
    large_body = (
        b'{"items": ['
        + b",".join(b'"%s"' % os.urandom(4).hex().encode() * 4 for _ in range(200))
        + b"]}"
    )
    large = _through_middleware(HttpResponse(large_body, content_type="application/json"))
    assert large["Content-Encoding"] == "gzip"
    assert gzip.decompress(large.content) == large_body


def test_a_signed_in_page_that_echoes_its_address_is_not_compressed(alice: User) -> None:
    # BREACH: the journal's search words come back beside decrypted cues, so the size of a
    # compressed answer would tell another site, guessing through the address, how well its
    # guess matched what alice wrote.
    MomentFactory.create_batch(12, author=alice)
    client = client_for(alice)
    searched = client.get("/journal/?q=dinner", HTTP_ACCEPT_ENCODING="gzip")
    assert searched.status_code == 200
    assert "Content-Encoding" not in searched
    plain = client.get("/journal/", HTTP_ACCEPT_ENCODING="gzip")
    assert plain["Content-Encoding"] == "gzip"
