"""One raster picture in, the files a site publishes out.

A phone's photo carries where it was taken (EXIF GPS), often someone's home, and the camera's
orientation. The pixels are decoded, turned the way the camera says, converted to sRGB, and
encoded afresh in a few widths, as WebP and in the file's own format; nothing of the file's
metadata (EXIF, XMP, ICC profile, comments) is copied to the new files.

Measured on a 12-megapixel photo (bench/pictures.py has the corpus): at 1600, 960 and 480
pixels, JPEG took 45 ms, WebP 350 ms and AVIF 2.3 s (0.8 s at its fastest useful speed), for
WebP 214 KB against AVIF's 137 KB (184 KB at that speed). AVIF's saving did not pay for six
times the encoding, so pictures are published as WebP and in their own format.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass

from .model import MAX_BYTES, MAX_PIXELS, RASTER, Picture, PictureSettings, Variant, variant_suffixes

_READABLE = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF", "HEIF": "HEIF"}
"""Formats Pillow reports → the kind of picture it is (a phone's JPEG may be an MPO)."""


class Refused(Exception):
    """The file cannot be published; the message says why, for an editor."""


@dataclass(frozen=True)
class Encoded:
    picture: Picture
    files: dict[str, bytes]
    """Variant suffix → the bytes published."""


def heif_available() -> bool:
    """Whether HEIC pictures can be read: the optional pillow-heif package (pip install -e '.[heic]')."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def encode_picture(source: str, data: bytes, settings: PictureSettings, key: str) -> Encoded:
    """The published files of one picture, or Refused."""
    suffix = source[source.rfind("."):].lower()
    if len(data) > MAX_BYTES:
        raise Refused(f"the file is {len(data) / 1024 / 1024:.0f} MB; pictures may be at most {MAX_BYTES // 1024 // 1024} MB: "
                      "save it smaller (a photo 4,000 pixels across is plenty) and upload it again")
    image = _open(suffix, data)
    kind = _READABLE.get(image.format or "")
    if kind is None:
        raise Refused(f"the file holds a {image.format} picture, which the site cannot publish; "
                      "save it as JPEG (photos) or PNG (drawings and screenshots)")
    frames = getattr(image, "n_frames", 1)
    width, height = image.size
    if width * height * frames > MAX_PIXELS:
        what = f"{frames} frames of " if frames > 1 else ""
        raise Refused(f"the picture is {what}{width:,} × {height:,} pixels ({width * height * frames / 1e6:.0f} megapixels); "
                      f"the limit is {MAX_PIXELS // 1_000_000} megapixels: resize it to at most 4,000 pixels across and upload it again")
    own = RASTER[suffix]
    if frames > 1 and own in ("GIF", "WEBP"):
        return _animated(source, image, own, settings, key)
    oriented, orientation = _oriented_size(image)
    widths = published_widths(oriented[0], settings.widths)
    if kind == "JPEG":
        # Decode at a fraction of the size when the largest width needs no more: much faster.
        scale = widths[-1] / oriented[0]
        image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
    _load(image)
    return _still(source, _prepared(image, orientation), own, widths, settings, key)


def _open(suffix: str, data: bytes):
    from PIL import Image, UnidentifiedImageError

    heic = suffix in (".heic", ".heif")
    if heic and not heif_available():
        raise Refused("HEIC pictures need the pillow-heif package: run .venv/bin/pip install -e '.[heic]', "
                      "or save the picture as JPEG")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own, lower, limit follows
        try:
            try:
                return Image.open(io.BytesIO(data))
            except UnidentifiedImageError:
                # A HEIC photo under another name (.jpg, as some phones export them) is read once
                # pillow-heif is Pillow's plugin; registered only now, as importing it costs a
                # build 13 ms that a JPEG or PNG never needs.
                if heic or not heif_available():
                    raise
                return Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as error:
            found = re.search(r"\((\d+) pixels\)", str(error))
            size = f"{int(found.group(1)) / 1e6:,.0f} megapixels" if found else "too many pixels"
            raise Refused(f"the file claims to be {size}: a decompression bomb, which Pillow refuses to open "
                          "(a real picture that large must be resized before it is uploaded)") from None
        except UnidentifiedImageError:
            raise Refused("the file is not a picture (or is damaged beyond reading); content/images/ holds pictures only: "
                          "JPEG, PNG, WebP, GIF, HEIC or SVG") from None
        except (OSError, SyntaxError, ValueError) as error:
            raise Refused(f"the picture is damaged and cannot be read ({error}); export it again and upload it") from None


def _load(image) -> None:
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # "image file is truncated", "broken data stream", "unrecognized data stream contents"…
        raise Refused(f"the picture is damaged or incomplete ({error}); upload it again") from None


def published_widths(width: int, wanted: tuple[int, ...]) -> list[int]:
    """Widths to publish, smallest first, the largest last; never wider than the picture."""
    largest = min(max(wanted), width)
    return sorted({w for w in wanted if w < largest} | {largest})


def _oriented_size(image) -> tuple[tuple[int, int], int]:
    orientation = image.getexif().get(0x0112, 1)
    width, height = image.size
    return ((height, width) if orientation in (5, 6, 7, 8) else (width, height)), orientation


def _prepared(image, orientation: int):
    """The camera's orientation applied, in sRGB, in a mode that can be resized smoothly."""
    from PIL import ImageOps

    if orientation != 1:
        image = ImageOps.exif_transpose(image)
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        image = _to_srgb(image, profile, "RGBA" if alpha else "RGB")
    target = ("LA" if alpha else "L") if image.mode in ("L", "LA", "1", "I;16", "I") else ("RGBA" if alpha else "RGB")
    if image.mode != target:
        image = image.convert(target)
    image.info = {}  # nothing of the original file's metadata travels on
    return image


def _to_srgb(image, profile: bytes, mode: str):
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if ImageCms.getProfileDescription(source).strip().startswith("sRGB"):
            return image
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the pixels as they are, which is what most viewers show


def _still(source: str, image, own: str, widths: list[int], settings: PictureSettings, key: str) -> Encoded:
    from PIL import Image

    scaled = {}
    current = image
    for width in reversed(widths):  # each from the next larger: quicker, and as sharp
        height = max(1, round(image.height * width / image.width))
        current = current if current.width == width else current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        current.info = {}
        scaled[width] = current
    own_files = {width: _save(scaled[width], own, settings) for width in widths}
    formats = [own]
    webp_files = {}
    if own != "WEBP":
        webp_files = {width: _save(scaled[width], "WEBP", settings, lossless=own in ("PNG", "GIF")) for width in widths}
        if len(webp_files[widths[-1]]) < len(own_files[widths[-1]]):
            formats.append("WEBP")  # WebP only where it is smaller (a flat PNG chart may not be)
    files, variants = {}, []
    for suffix, width, format in variant_suffixes(source, widths, formats):
        files[suffix] = (own_files if format == own else webp_files)[width]
        variants.append(Variant(suffix, width, scaled[width].height, format))
    return Encoded(Picture(source, key, widths[-1], scaled[widths[-1]].height, own, tuple(variants)), files)


def _save(image, format: str, settings: PictureSettings, lossless: bool = False) -> bytes:
    _saver(format)
    buffer = io.BytesIO()
    if format == "JPEG" and image.mode in ("LA", "RGBA"):
        image = _flattened(image)
    if format == "JPEG":
        image.save(buffer, "JPEG", quality=settings.quality, optimize=True, progressive=True)
    elif format == "WEBP":
        image.save(buffer, "WEBP", quality=100 if lossless else settings.quality, lossless=lossless, method=4)
    elif format == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, format)
    return buffer.getvalue()


def _saver(format: str) -> None:
    """Pillow's plugin for saving `format`, imported by itself: asked to save in a format whose
    plugin is not loaded yet (WebP: Pillow loads five others first), Pillow imports every plugin
    it has, 25 ms of a build's start."""
    if format == "WEBP":
        from PIL import WebPImagePlugin  # noqa: F401


def _flattened(image):
    """On white: JPEG has no transparency (a PNG saved with a .jpg name may have some)."""
    from PIL import Image

    mode = image.mode[:-1]
    flat = Image.new(mode, image.size, 255 if mode == "L" else (255, 255, 255))
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _animated(source: str, image, own: str, settings: PictureSettings, key: str) -> Encoded:
    """An animation is published at its own size, every frame encoded afresh, without metadata."""
    from PIL import ImageSequence

    frames, durations = [], []
    try:
        for frame in ImageSequence.Iterator(image):
            durations.append(frame.info.get("duration", 100))
            copy = frame.convert("RGBA")
            copy.info = {}
            frames.append(copy)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise Refused(f"the animation is damaged or incomplete ({error}); upload it again") from None
    buffer = io.BytesIO()
    options = {"quality": settings.quality, "method": 4} if own == "WEBP" else {"disposal": 2}
    _saver(own)
    frames[0].save(buffer, own, save_all=True, append_images=frames[1:], duration=durations, loop=0, **options)
    suffix = source[source.rfind("."):]
    picture = Picture(source, key, image.width, image.height, own, (Variant(suffix, image.width, image.height, own),))
    return Encoded(picture, {suffix: buffer.getvalue()})

