"""Images checked and re-encoded before they are stored: size limits read from the header
before any pixel is decoded, decoding kept within a memory budget, polyglots refused, the
orientation applied and every piece of metadata dropped.
"""

import io
import os
import re
import tempfile
from math import ceil

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

from media.file_kinds import PNG_SIGNATURE, refuse

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
OPTIMIZE_PIXELS = 16_000_000
SPOOL_BYTES = 8 * 1024 * 1024
# Bytes of memory Pillow uses per pixel by mode: RGB is held as 4 bytes, like RGBA and CMYK.
BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}


def _trailing_bytes(source, fmt: str) -> int:
    """How many bytes follow the end of a PNG (IEND chunk) or a WebP (RIFF length): a polyglot
    hides a second file (HTML, a script, an archive) there. 0 for JPEG, whose legitimate
    camera trailers (extra preview images) re-encoding drops anyway. `source` is a binary
    file; only chunk headers are read from it."""
    total = source.seek(0, os.SEEK_END)
    if fmt == "PNG":
        offset = len(PNG_SIGNATURE)
        while offset + 12 <= total:
            source.seek(offset)
            header = source.read(8)
            length, chunk_type = int.from_bytes(header[:4], "big"), header[4:8]
            offset += 12 + length
            if chunk_type == b"IEND":
                return max(0, total - offset)
        return 0
    if fmt == "WEBP":
        source.seek(4)
        declared = 8 + int.from_bytes(source.read(4), "little")
        return max(0, total - declared - (declared & 1))
    return 0


def _turned(exif) -> bool:
    """Whether EXIF orientation says the image must be turned or flipped to stand upright."""
    return exif.get(0x0112, 1) in range(2, 9)


def decoded_size(mode: str, width: int, height: int) -> int:
    """Bytes of memory an image of this mode and size takes once decoded by Pillow."""
    return width * height * BYTES_PER_PIXEL.get(mode, 4)


def _fit_decode_budget(image: Image.Image, fmt: str, turned: bool) -> None:
    """Keep decoding `image` within MEDIA_MAX_DECODE_BYTES (twice the image when it must be
    turned upright, since turning makes a copy): a JPEG is decoded at 1/2, 1/4 or 1/8 scale
    (DCT scaling, `draft`), the smallest reduction that fits; other formats cannot be decoded
    at a reduced scale and are refused, naming the memory they would need."""
    budget = settings.MEDIA_MAX_DECODE_BYTES
    # Turning upright makes a copy, and so does converting a CMYK JPEG to RGB.
    copies = 1 + turned + (fmt == "JPEG" and image.mode not in ("L", "RGB"))
    width, height = image.size
    needed = decoded_size(image.mode, width, height) * copies
    if needed <= budget:
        return
    if fmt == "JPEG":
        mode = image.mode if image.mode in ("L", "RGB") else "RGB"
        for scale in (2, 4, 8):
            size = (ceil(width / scale), ceil(height / scale))
            if decoded_size(mode, *size) * copies <= budget:
                image.draft(mode, size)
                return
    raise refuse(
        f"The {width}×{height} image would need {ceil(needed / 1024 / 1024):,} MB of memory to decode, more "
        f"than the limit of {budget // 1024 // 1024:,} MB; upload it smaller (fewer pixels) or as a JPEG."
    )


def clean_image(data) -> tuple[tempfile.SpooledTemporaryFile, str, int, int]:
    """Verify and re-encode an image (bytes or a binary file), with its orientation applied and
    no metadata kept; returns the re-encoded file (spilled to disk past a few megabytes, so that
    it does not sit in memory beside the decoded pixels), its extension, width and height.

    The size is read from the header and checked against MEDIA_MAX_IMAGE_PIXELS before any
    pixel is decoded (the decompression-bomb guard), then against MEDIA_MAX_DECODE_BYTES (a
    large JPEG is decoded at a reduced scale instead). A PNG or WebP with bytes after its end
    is refused as a likely polyglot. Re-encoding drops EXIF (GPS, camera serials, owner names),
    XMP, ICC profiles, comments and anything appended after the image data.
    """
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    try:
        fmt = _check_header(source)
        return _reencode(source, fmt)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow's own guard fired while reading the header (sizes far past any sane limit).
        claimed = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(claimed[1]):,} pixels" if claimed else "more pixels"
        raise refuse(
            f"The image has {count}, more than the limit of {settings.MEDIA_MAX_IMAGE_PIXELS:,} pixels."
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise refuse(f"The file is not a valid image: {exc}.") from exc


def _check_header(source) -> str:
    """The image's format, once what can be checked without decoding a pixel is: an accepted
    format, at most MEDIA_MAX_IMAGE_PIXELS, nothing hidden after its end, a sound structure."""
    limit = settings.MEDIA_MAX_IMAGE_PIXELS
    source.seek(0)
    with Image.open(source) as probe:
        fmt = probe.format
        if fmt not in IMAGE_FORMATS:
            raise refuse(f"{fmt or 'This'} images are not accepted; upload JPEG, PNG or WebP.")
        width, height = probe.size
        if width * height > limit:
            raise refuse(f"The image is {width}×{height} pixels, more than the limit of {limit:,} pixels.")
        if extra := _trailing_bytes(source, fmt):
            raise refuse(
                f"The {fmt} image has {extra:,} bytes of other data after its end (a file hidden "
                "inside an image); export the image again and upload that."
            )
        source.seek(0)
        probe.verify()
    return fmt


def _reencode(source, fmt: str) -> tuple[tempfile.SpooledTemporaryFile, str, int, int]:
    """Decode the checked image, turn it upright, drop its metadata and encode it again."""
    source.seek(0)
    with Image.open(source) as image:
        _decode_within_budget(image, fmt)
        # In place: without it Pillow returns a full copy even of an upright image.
        ImageOps.exif_transpose(image, in_place=True)
        # Nothing from the source's metadata survives, except palette transparency.
        image.info = {k: v for k, v in image.info.items() if k == "transparency"}
        return _encode_clean(image, fmt), IMAGE_FORMATS[fmt], image.width, image.height


def _early_exif(image: Image.Image, fmt: str) -> Image.Exif:
    """The EXIF known before the pixels are decoded. A PNG's getexif() decodes the whole image
    to look for a late eXIf chunk: for a PNG only an eXIf chunk before the pixels counts here."""
    if fmt != "PNG":
        return image.getexif()
    early = Image.Exif()
    if "exif" in image.info:
        early.load(image.info["exif"])
    return early


def _decode_within_budget(image: Image.Image, fmt: str) -> None:
    """Decode `image` within MEDIA_MAX_DECODE_BYTES; a PNG's late eXIf chunk, known only after
    decoding, is checked then (turning it upright makes a copy)."""
    _fit_decode_budget(image, fmt, _turned(_early_exif(image, fmt)))
    image.load()
    if fmt == "PNG" and _turned(image.getexif()):
        _fit_decode_budget(image, fmt, True)


def _encode_clean(image: Image.Image, fmt: str) -> tempfile.SpooledTemporaryFile:
    """`image` encoded in its own format, in a file spilled to disk past SPOOL_BYTES."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller stores and closes it)
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        # `optimize` keeps the whole image's coefficients in memory: small images only.
        image.save(out, "JPEG", quality=90, optimize=image.width * image.height <= OPTIMIZE_PIXELS)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=90)
    out.seek(0)
    return out
