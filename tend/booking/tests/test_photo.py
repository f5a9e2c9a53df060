"""The practitioner's photo: made small, stripped of metadata, shown with its name, removable."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tend.accounts.models import User
from tend.booking import photos
from tend.booking.models import PractitionerPhoto, PractitionerProfile
from tend.booking.services import profile_turn_off
from tend.booking.tests.factories import practitioner
from tend.conftest import client_for

GPS_LATITUDE = 0x8825  # the GPS IFD pointer tag


def _jpeg_with_exif(size: tuple[int, int] = (2000, 1500)) -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x0132] = "2026:01:14 10:30:00"  # DateTime
    exif.get_ifd(GPS_LATITUDE)[2] = (52.0, 31.0, 12.0)  # GPSLatitude
    exif.get_ifd(GPS_LATITUDE)[1] = "N"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"canary-comment")
    return out.getvalue()


def _png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 0, 0)).save(out, "PNG")
    return out.getvalue()


def _form(profile: PractitionerProfile, **extra: Any) -> dict[str, Any]:
    return {
        "action": "profile",
        "public_name": "Carol Typed",
        "slug": profile.slug,
        "pronouns": "she/her",
        "bio": "A bio that was typed",
        "approach": "",
        "time_zone": profile.time_zone,
        "languages_text": "en",
        **extra,
    }


def test_the_test_image_really_carries_exif_and_gps() -> None:
    with Image.open(io.BytesIO(_jpeg_with_exif())) as image:
        exif = image.getexif()
        assert exif[0x010F] == "CanaryCam"
        assert exif.get_ifd(GPS_LATITUDE)


def test_a_photo_is_made_small_and_loses_exif_gps_and_comments() -> None:
    original = _jpeg_with_exif()
    photo = photos.prepare(original)
    assert (photo.width, photo.height) == (512, 384)
    assert b"CanaryCam" not in photo.data and b"canary-comment" not in photo.data
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.format == "JPEG"
        assert image.size == (512, 384)
        assert not image.getexif()
        assert "exif" not in image.info and "comment" not in image.info
        assert "icc_profile" not in image.info


def test_a_small_transparent_png_stays_its_size_on_white() -> None:
    photo = photos.prepare(_png((100, 50)))
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.size == (100, 50)
        assert image.getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=3)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7 not a photo", "not a photo we can read"),
        (b"\xff\xd8\xff\xe0 broken jpeg", "not a photo we can read"),
        (b"x" * (photos.MAX_BYTES + 1), "larger than 8 MB"),
    ],
)
def test_what_is_not_a_usable_photo_says_what_to_do(data: bytes, words: str) -> None:
    with pytest.raises(photos.PhotoError, match=words):
        photos.prepare(data)


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    # A 10000 by 10000 PNG of one colour is a few kilobytes and 100 megapixels when decoded.
    bomb = _png((10_000, 10_000))
    assert len(bomb) < 1_000_000
    with pytest.raises(photos.PhotoError, match="too large"):
        photos.prepare(bomb)


def test_the_profile_page_uploads_the_photo_and_the_public_page_shows_it(carol: User) -> None:
    profile = practitioner(carol)
    upload = SimpleUploadedFile("me.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    response = client_for(carol).post("/booking/", _form(profile, photo=upload))
    assert response.status_code == 302
    stored = PractitionerPhoto.objects.get(profile=profile)
    assert (stored.width, stored.height) == (512, 384)
    assert b"CanaryCam" not in bytes(stored.data)

    page = client_for(None).get(f"/book/{profile.slug}/").content.decode()
    assert f'src="/book/{profile.slug}/photo.jpg?v=' in page
    assert 'alt="Photo of Carol Typed"' in page

    image = client_for(None).get(f"/book/{profile.slug}/photo.jpg")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert image["Cache-Control"] == "public, max-age=300"
    assert bytes(image.content) == bytes(stored.data)
    again = client_for(None).get(
        f"/book/{profile.slug}/photo.jpg", HTTP_IF_NONE_MATCH=image["ETag"]
    )
    assert again.status_code == 304


def test_a_bad_photo_is_refused_with_words_and_keeps_what_was_typed(carol: User) -> None:
    profile = practitioner(carol)
    upload = SimpleUploadedFile("me.jpg", b"not an image at all", content_type="image/jpeg")
    response = client_for(carol).post("/booking/", _form(profile, photo=upload))
    assert response.status_code == 400
    body = response.content.decode()
    assert "not a photo we can read" in body
    assert "A bio that was typed" in body and 'value="Carol Typed"' in body
    profile.refresh_from_db()
    assert profile.public_name == "Carol" and profile.photo_at is None
    assert not PractitionerPhoto.objects.exists()


def test_a_refused_slug_stores_no_photo_either(carol: User, bob: User) -> None:
    practitioner(bob, slug="taken")
    profile = practitioner(carol)
    upload = SimpleUploadedFile("me.jpg", _jpeg_with_exif((64, 64)), content_type="image/jpeg")
    response = client_for(carol).post("/booking/", _form(profile, slug="taken", photo=upload))
    assert response.status_code == 400
    assert not PractitionerPhoto.objects.filter(profile=profile).exists()


def test_the_photo_can_be_removed(carol: User) -> None:
    profile = practitioner(carol)
    upload = SimpleUploadedFile("me.jpg", _jpeg_with_exif((64, 64)), content_type="image/jpeg")
    client_for(carol).post("/booking/", _form(profile, photo=upload))
    response = client_for(carol).post("/booking/", _form(profile, remove_photo="on"))
    assert response.status_code == 302
    assert not PractitionerPhoto.objects.exists()
    assert client_for(None).get(f"/book/{profile.slug}/photo.jpg").status_code == 404
    assert "photo.jpg" not in client_for(None).get(f"/book/{profile.slug}/").content.decode()


def test_the_photo_is_gone_at_once_when_the_page_is_turned_off(carol: User) -> None:
    profile = practitioner(carol)
    upload = SimpleUploadedFile("me.jpg", _jpeg_with_exif((64, 64)), content_type="image/jpeg")
    client_for(carol).post("/booking/", _form(profile, photo=upload))
    assert client_for(None).get(f"/book/{profile.slug}/photo.jpg").status_code == 200
    profile_turn_off(actor=carol)
    assert client_for(None).get(f"/book/{profile.slug}/photo.jpg").status_code == 404
    assert client_for(None).get("/book/nobody-here/photo.jpg").status_code == 404
