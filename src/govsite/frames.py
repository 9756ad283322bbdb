"""Length-prefixed pickle frames over pipes: how govsite talks to its helper processes.

A frame is a 4-byte big-endian length and a pickle. A helper reads tasks
`(ident, name, args)` from its stdin and answers each, in order, with
`(ident, ok, result)` on a pipe of its own (never stdout, which libraries
may print to): `result` is the pickled return value when `ok`, else the
error's message. Its first answer, ident 0, says it is ready. Used by the
crawl's analysis workers (govsite.crawl.workers, read by the Twisted
reactor with `Frames`) and the judge's typo helper (govsite.text.typo_helper,
read with `read_frame`).
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

HEADER = 4  # bytes of a frame's length prefix (big-endian)
PROTOCOL = pickle.HIGHEST_PROTOCOL


def helper_env() -> dict[str, str]:
    """The environment for a helper `python -m govsite...`: it imports govsite the way this process did
    (an editable install, a test's sys.path)."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}


def frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(HEADER, "big") + payload


class Frames:
    """Frames out of a byte stream that arrives in pieces (a reactor's reads)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        buffer = self._buffer
        buffer.extend(data)
        frames = []
        while len(buffer) >= HEADER:
            size = int.from_bytes(buffer[:HEADER], "big")
            if len(buffer) < HEADER + size:
                break
            frames.append(bytes(buffer[HEADER : HEADER + size]))
            del buffer[: HEADER + size]
        return frames


def read_exactly(stream: BinaryIO, size: int) -> bytes:
    """`size` bytes, or b"" if the stream ends first."""
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            return b""
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's payload from a blocking stream; None when the stream ends."""
    header = read_exactly(stream, HEADER)
    if not header:
        return None
    size = int.from_bytes(header, "big")
    payload = read_exactly(stream, size)
    return payload if payload or not size else None


def serve(tasks: dict[str, Callable[..., Any]], requests: BinaryIO, answers: BinaryIO) -> None:
    """Say ready, then answer framed tasks from `requests` on `answers` until `requests` ends."""
    answers.write(frame(pickle.dumps((0, True, b""), protocol=PROTOCOL)))
    answers.flush()
    while (payload := read_frame(requests)) is not None:
        ident, name, args = pickle.loads(payload)
        try:  # the result pickled on its own, so that one the caller cannot read fails only its task
            answer = (ident, True, pickle.dumps(tasks[name](*args), protocol=PROTOCOL))
        except Exception as exc:  # reported to the caller, which logs it and goes on
            answer = (ident, False, f"{type(exc).__name__}: {exc}")
        answers.write(frame(pickle.dumps(answer, protocol=PROTOCOL)))
        answers.flush()
