"""Real pictures made with Pillow for the tests, and a reader of the metadata a file carries.

The photos carry what a phone's do: EXIF with the GPS position and the camera's orientation,
XMP, an ICC profile and a comment. `metadata_blocks` finds any of them in a published file by
walking the file's own structure (JPEG segments, PNG chunks, RIFF chunks of WebP, GIF blocks).
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageCms, ImageDraw, ImageFilter

XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="53,28.2N"/></rdf:RDF></x:xmpmeta>')


def phone_exif(orientation: int = 1) -> bytes:
    """EXIF as a phone writes it: the camera, the orientation and where the photo was taken."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (53.0, 28.0, 12.5)  # 53°28'12.5"N
    gps[3], gps[4] = "W", (2.0, 14.0, 30.0)
    return exif.tobytes()


def scene(width: int, height: int, seed: int = 1) -> Image.Image:
    """Something photo-like: smooth shading, shapes and a little grain (it compresses as photos do)."""
    base = Image.effect_noise((max(2, width // 40), max(2, height // 40)), 80).convert("L").resize((width, height), Image.BICUBIC)
    other = Image.effect_noise((max(2, width // 55), max(2, height // 55)), 60 + seed).convert("L").resize((width, height), Image.BICUBIC)
    image = Image.merge("RGB", (base, other, Image.linear_gradient("L").resize((width, height))))
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y, size = (n * 97 * seed) % width, (n * 61 + seed * 13) % height, 10 + (n * 37) % max(11, width // 8)
        draw.ellipse((x, y, x + size, y + size), fill=((n * 50) % 256, (n * 90 + seed) % 256, (n * 20) % 256))
    image = image.filter(ImageFilter.GaussianBlur(2))
    return Image.blend(image, Image.effect_noise((width, height), 20).convert("RGB"), 0.06)


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo(width: int = 1200, height: int = 900, orientation: int = 1, seed: int = 1, format: str = "JPEG") -> bytes:
    """A photo as a phone saves it: every metadata block a phone writes, and the GPS position."""
    image = scene(width, height, seed)
    buffer = io.BytesIO()
    options = {"exif": phone_exif(orientation), "icc_profile": srgb_profile(), "xmp": XMP}
    if format == "JPEG":
        options["comment"] = b"Taken at home"
    image.save(buffer, format, quality=92, **options)
    return buffer.getvalue()


def marked(width: int, height: int, format: str = "PNG", orientation: int = 1) -> bytes:
    """A picture whose top-left quarter is red and the rest blue: where the red ends up shows
    how the picture was turned."""
    image = Image.new("RGB", (width, height), (0, 0, 255))
    ImageDraw.Draw(image).rectangle((0, 0, width // 2 - 1, height // 2 - 1), fill=(255, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format, exif=phone_exif(orientation))
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size: only its header and a token of data (Pillow reads the header first)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def metadata_blocks(data: bytes) -> list[str]:
    """The metadata a picture file carries, by its kind ('JPEG APP1 Exif', 'PNG eXIf', …)."""
    if data.startswith(b"\xff\xd8"):
        return _jpeg_blocks(data)
    if data.startswith(b"\x89PNG"):
        return _png_blocks(data)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _webp_blocks(data)
    if data.startswith(b"GIF8"):
        return _gif_blocks(data)
    if data.lstrip().startswith(b"<"):
        return []  # SVG: published as it is, checked separately
    raise ValueError(f"not a picture format the tests know: {data[:12]!r}")


def _jpeg_blocks(data: bytes) -> list[str]:
    found, at = [], 2
    while at + 4 <= len(data):
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the pixels follow, and no more segments that matter
            break
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        payload = data[at + 4:at + 2 + length]
        if marker == 0xFE:
            found.append("JPEG COM")
        elif 0xE1 <= marker <= 0xEF:  # APP0 is JFIF, the format's own header
            found.append(f"JPEG APP{marker - 0xE0} {payload[:12]!r}")
        at += 2 + length
    return found


def _png_blocks(data: bytes) -> list[str]:
    found, at = [], 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind in (b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"tIME"):
            found.append(f"PNG {kind.decode()}")
        at += 12 + length
    return found


def _webp_blocks(data: bytes) -> list[str]:
    found, at = [], 12
    while at + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[at:at + 8])
        if kind in (b"EXIF", b"XMP ", b"ICCP"):
            found.append(f"WebP {kind.decode().strip()}")
        at += 8 + length + (length & 1)
    return found


def _gif_blocks(data: bytes) -> list[str]:
    image = Image.open(io.BytesIO(data))
    found = [f"GIF {key}" for key in ("comment", "xmp", "exif", "icc_profile") if key in image.info]
    for frame in range(getattr(image, "n_frames", 1)):
        image.seek(frame)
        found += [f"GIF frame {frame} {key}" for key in ("comment", "xmp") if key in image.info]
    return found
