"""Videos for the task tests: a good clip, and one whose headers are sound but whose frames
cannot be decoded (it passes the upload's check and fails only in the worker)."""

import random

from media.probe import _child_boxes
from media.samples import encode_clip


def clip(seed: int = 1) -> bytes:
    return encode_clip(seconds=1.0, width=160, height=120, seed=seed)


def scrambled_clip(seed: int = 1) -> bytes:
    """A clip whose sample data (`mdat`) is replaced by noise: index and sizes intact."""
    data = bytearray(clip(seed))
    rng = random.Random(seed)
    for offset, size, header, kind in _child_boxes(data, 0, len(data)):
        if kind == b"mdat":
            data[offset + header : offset + size] = bytes(rng.randrange(256) for _ in range(size - header))
    return bytes(data)
