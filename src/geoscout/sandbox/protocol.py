"""Messages between the host and a sandbox worker: length-prefixed JSON over a pipe.

Values cross as JSON. geoscout's own table types keep their class (``Tables`` names a page's table count,
a ``Table`` prints its first rows only, a ``Record`` names its keys on a KeyError and keeps the words that
read its name), so code behaves the same inside the sandbox as outside; any other object that JSON cannot
hold crosses as its ``repr``.
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

from geoscout.tools.webpage import Record, Table, Tables

HEADER = struct.Struct(">I")
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


class ProtocolError(Exception):
    """The other side sent something that is not a message (or too big a one)."""


def encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Tables):
        return {"__tables__": [encode(table) for table in value], "url": value.url}
    if isinstance(value, Table):
        return {"__table__": [encode(row) for row in value], "note": value.note}
    if isinstance(value, Record):
        return {"__record__": {str(k): encode(v) for k, v in value.items()}, "naming": list(value.naming)}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            return encode(value.item())
        except (TypeError, ValueError):
            pass
    return {"__repr__": repr(value)}


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"__tables__", "url"}:
            return Tables((decode(table) for table in value["__tables__"]), value["url"])
        if set(value) == {"__table__", "note"}:
            return Table((decode(row) for row in value["__table__"]), value["note"])
        if set(value) == {"__record__", "naming"}:
            record = Record({k: decode(v) for k, v in value["__record__"].items()})
            record.naming = tuple(value["naming"])
            return record
        if set(value) == {"__repr__"}:
            return value["__repr__"]
        return {k: decode(v) for k, v in value.items()}
    return value


def send(stream: BinaryIO, message: dict) -> None:
    data = json.dumps(message, ensure_ascii=False, allow_nan=True).encode("utf-8")
    if len(data) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"a message of {len(data)} bytes is over the {MAX_MESSAGE_BYTES} byte limit")
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(stream: BinaryIO) -> dict | None:
    """The next message, or None at end of stream."""
    header = read_exactly(stream, HEADER.size)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"a message of {size} bytes is over the {MAX_MESSAGE_BYTES} byte limit")
    data = read_exactly(stream, size)
    if data is None:
        return None
    try:
        message = json.loads(data)
    except ValueError as e:
        raise ProtocolError(f"not JSON: {e}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a JSON object")
    return message
