"""Pagefind's index files, read and made reproducible.

Pagefind 1.5 keeps most of its index in CBOR, gzipped behind the signature 'pagefind_dcd', in
files named after the SHA-1 of their content. Its fragments (one a page) and word index are
reproducible, but it writes the values of each filter (our kinds and categories) in the order
of a hash map with a random seed: two runs over the same pages give filter files with the same
values in another order, so another name, so another metadata file and pagefind-entry.json.
(Its source marks the spot with a to-do to use a sorted map.) `make_reproducible` puts each
filter's values, and the filters, in sorted order and renames what follows from that exactly as
Pagefind names files, so that two builds of the same site give the same bytes.

Only the few parts of the format this needs are read: a filter file is [name, [[value,
[page numbers]], …]], the metadata file [version, pages, word chunks, [[filter, hash], …],
sorts, fields], and a fragment is JSON holding the page's URL.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from typing import Any, Mapping

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind/pagefind-entry.json"
FILTERS = "pagefind/filter/"
FRAGMENTS = "pagefind/fragment/"


class FormatError(ValueError):
    """A file that is not what Pagefind 1.5 writes."""


def unpack(data: bytes) -> bytes:
    """A file's content without its compression and signature."""
    try:
        raw = data if data.startswith(SIGNATURE) else gzip.decompress(data)
    except (OSError, EOFError) as error:
        raise FormatError(f"not gzip data: {error}") from error
    if not raw.startswith(SIGNATURE):
        raise FormatError("no Pagefind signature")
    return raw[len(SIGNATURE):]


def pack(content: bytes) -> bytes:
    # No time in the gzip header, and always the same level: the same content, the same bytes.
    return gzip.compress(SIGNATURE + content, compresslevel=9, mtime=0)


def content_hash(content: bytes) -> str:
    """Pagefind's name for content: SHA-1, each byte in hexadecimal without a leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(content).digest())


def fragment_url(data: bytes) -> str:
    """The address of the page a fragment file describes."""
    try:
        return json.loads(unpack(data))["url"]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as error:
        raise FormatError(f"not a fragment: {error}") from error


def make_reproducible(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """`files` ('pagefind/…' → bytes, as Pagefind wrote them) with every filter in sorted order."""
    result = dict(files)
    renamed: dict[str, str] = {}
    for name in sorted(n for n in files if n.startswith(FILTERS)):
        old = name[len(FILTERS):].removesuffix(".pf_filter")
        language = old.rpartition("_")[0]
        filter_name, values = decode(unpack(files[name]))
        content = encode([filter_name, sorted(values, key=lambda value: value[0])])
        new = unique_name(f"{language}_", content_hash(content), 7, {*renamed.values()})
        del result[name]
        result[f"{FILTERS}{new}.pf_filter"] = pack(content)
        renamed[old] = new
    entry = json.loads(files[ENTRY])
    for language, about in entry["languages"].items():
        old_meta = f"pagefind/pagefind.{about['hash']}.pf_meta"
        meta = decode(unpack(files[old_meta]))
        meta[3] = sorted([name, renamed.get(hash_, hash_)] for name, hash_ in meta[3])
        content = encode(meta)
        about["hash"] = f"{language}_{content_hash(content)[:len(language) + 8]}"
        del result[old_meta]
        result[f"pagefind/pagefind.{about['hash']}.pf_meta"] = pack(content)
    result[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return result


def unique_name(prefix: str, digest: str, length: int, taken: set[str]) -> str:
    """As Pagefind does: the digest cut to `length`, longer while it clashes with another file."""
    while prefix + digest[:length] in taken and length < len(digest):
        length += 1
    return prefix + digest[:length]


# CBOR (RFC 8949), only what Pagefind's index uses: integers, strings and arrays, in the
# shortest form, as its encoder (minicbor) writes them.

def decode(data: bytes) -> Any:
    value, end = _decode_at(data, 0)
    if end != len(data):
        raise FormatError(f"{len(data) - end} bytes after the end of the CBOR value")
    return value


def _decode_at(data: bytes, at: int) -> tuple[Any, int]:
    try:
        major, info = data[at] >> 5, data[at] & 31
    except IndexError as error:
        raise FormatError("the CBOR value is cut short") from error
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise FormatError(f"CBOR item {data[at - 1]:#x} is not one Pagefind writes")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 3:
        try:
            return data[at:at + argument].decode("utf-8"), at + argument
        except UnicodeDecodeError as error:
            raise FormatError(f"a CBOR text is not UTF-8: {error}") from error
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode_at(data, at)
            items.append(item)
        return items, at
    raise FormatError(f"CBOR major type {major} is not one Pagefind writes")


def encode(value: Any) -> bytes:
    if isinstance(value, bool):
        raise FormatError("booleans are not part of Pagefind's index")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    raise FormatError(f"cannot encode {type(value).__name__}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, form in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if argument < 1 << (8 * struct.calcsize(form)):
            return bytes([major << 5 | info]) + struct.pack(form, argument)
    raise FormatError(f"{argument} is too large for CBOR")
