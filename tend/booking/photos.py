"""The practitioner's photo: any common image in, a small JPEG out, nothing else kept.

The upload is decoded with Pillow under a pixel limit (so a small file that unpacks to a huge
image, a decompression bomb, is refused before it is decoded), turned upright by its EXIF
orientation, shrunk to fit ``MAX_SIDE`` and encoded anew as JPEG without any metadata: EXIF
(camera, GPS position, time), XMP, ICC and comments are all left behind, because a new image is
built from the pixels alone. The original bytes are never stored.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024  # an upload larger than this is refused unread
MAX_PIXELS = 40_000_000  # width times height; a 40-megapixel photo is more than any phone takes
MAX_SIDE = 512
QUALITY = 85
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


class PhotoError(ValueError):
    """What to do about an upload that cannot be used, in words for the person."""


@dataclass(frozen=True)
class Photo:
    data: bytes  # JPEG
    width: int
    height: int


def prepare(data: bytes) -> Photo:
    """The re-encoded photo, or PhotoError saying what to do."""
    if len(data) > MAX_BYTES:
        raise PhotoError(
            _("That file is larger than %(mb)d MB. Choose a smaller photo.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; here both are refusals.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise PhotoError(
                        _("That image is too large. Choose a photo under 40 megapixels.")
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoError(
            _("That image is too large. Choose a photo under 40 megapixels.")
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, PhotoError):
            raise
        raise PhotoError(
            _("That file is not a photo we can read. Choose a JPEG, PNG, WebP or GIF image.")
        ) from error
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    if upright.mode in ("RGBA", "LA", "P"):
        # A transparent background becomes white, as the page behind it is.
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    # Only the pixels are copied into a new image, so no metadata can ride along.
    clean = Image.new("RGB", upright.size)
    clean.paste(upright.convert("RGB"))
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=QUALITY, optimize=True)
    return Photo(out.getvalue(), clean.width, clean.height)
