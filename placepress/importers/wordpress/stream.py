"""An export's bytes, made fit for an XML parser without changing what they say.

Real exports carry control characters that XML 1.0 forbids (pasted from word processors, old
plugins) and, now and then, bytes that are not UTF-8. A strict parser stops at the first; we
drop the control characters (and character references to them) and turn broken UTF-8 into
U+FFFD, counting both for the report. Line breaks are never touched, so a parser's line numbers
stay those of the file.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 1 << 16
# XML 1.0 allows tab, line feed and carriage return below U+0020, nothing else.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_REFERENCE = re.compile(r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));")
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


@dataclass
class Repairs:
    """What the stream changed, for the report."""

    controls: int = 0
    not_utf8: int = 0


class CleanStream:
    """A read()-able wrapper that lxml's iterparse reads like the file itself."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self.repairs = Repairs()
        self._decoder = None  # set on the first read: UTF-8 unless the file says otherwise
        self._pending = ""  # the end of a chunk that may be the start of a character reference
        self._utf8 = True

    def read(self, size: int = CHUNK) -> bytes:
        # An empty answer means the end of the file to a parser: a chunk that was all control
        # characters must not end the export early.
        while True:
            chunk = self._raw.read(max(size, 16))
            cleaned = self._read_chunk(chunk)
            if cleaned or not chunk:
                return cleaned

    def _read_chunk(self, chunk: bytes) -> bytes:
        if self._decoder is None:
            declared = _DECLARED.match(chunk[:200])
            name = declared.group(1).decode("ascii").lower() if declared else "utf-8"
            self._utf8 = name.replace("_", "-") in ("utf-8", "utf8")
            self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        if not self._utf8:
            return self._clean_bytes(chunk)
        text = self._pending + self._decoder.decode(chunk, final=not chunk)
        self._pending = ""
        if chunk:
            cut = text.rfind("&", max(0, len(text) - 12))
            if cut != -1 and ";" not in text[cut:]:
                text, self._pending = text[:cut], text[cut:]
        return self._clean_text(text).encode("utf-8")

    def _clean_text(self, text: str) -> str:
        text, broken = _ESCAPED.subn("\ufffd", text)
        text, controls = _CONTROL.subn("", text)
        text, references = _BAD_REFERENCE.subn("", text)
        self.repairs.not_utf8 += broken
        self.repairs.controls += controls + references
        return text

    def _clean_bytes(self, chunk: bytes) -> bytes:
        # Another ASCII-compatible encoding: control characters are the same single bytes.
        chunk, controls = _CONTROL_BYTES.subn(b"", chunk)
        self.repairs.controls += controls
        return chunk
