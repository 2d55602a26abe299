"""Sample media made on the fly: photos drawn with Pillow and short H.264 clips made with PyAV.

Used by the demo loader, tests and benchmarks, so nothing binary has to live in the repository.
"""

import io
import random

import av
from PIL import Image, ImageDraw


def draw_photo(width: int = 1280, height: int = 960, seed: int = 0, quality: int = 88) -> bytes:
    """A JPEG of a sky-and-ground scene with a few shapes; the same seed gives the same bytes."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top = (rng.randint(60, 140), rng.randint(110, 180), rng.randint(170, 240))
    bottom = (rng.randint(90, 160), rng.randint(70, 120), rng.randint(30, 80))
    horizon = int(height * rng.uniform(0.45, 0.7))
    for y in range(height):
        a = y / max(1, horizon) if y < horizon else 1.0
        color = tuple(int(top[i] * (1 - a) + bottom[i] * a) for i in range(3))
        draw.line([(0, y), (width, y)], fill=color)
    for _ in range(6):
        x, y = rng.randint(0, width), rng.randint(horizon // 2, height)
        w, h = rng.randint(width // 20, width // 6), rng.randint(height // 20, height // 5)
        shade = tuple(rng.randint(20, 220) for _ in range(3))
        draw.rectangle([x, y - h, x + w, y], fill=shade)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def encode_clip(seconds: float = 2.0, width: int = 320, height: int = 240, fps: int = 12, seed: int = 0) -> bytes:
    """An H.264 MP4 clip (browsers play it) of a moving bar; about `seconds` long."""
    rng = random.Random(seed)
    base = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast", "tune": "zerolatency"}
        frames = max(1, int(seconds * fps))
        for index in range(frames):
            image = Image.new("RGB", (width, height), base)
            x = int(index / frames * width)
            ImageDraw.Draw(image).rectangle([x, 0, x + width // 8, height], fill=(250, 250, 250))
            frame = av.VideoFrame.from_image(image)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()
