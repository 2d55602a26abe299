"""Pictures and video clips for the demo, drawn with Pillow and encoded with PyAV.

Each picture is a small scene of one of several motifs (a landscape, a town, a pitch, the night
sky, the sea, a market, shelves of books, a chart, a floating bridge, wind turbines, a road), in a
palette picked by its seed, so the demo's cards look like different photographs rather than flat
colour. The same motif and seed give the same bytes, which keeps the demo idempotent: ingest
finds the item already stored.
"""

import io
import math
import random

import av
from PIL import Image, ImageDraw, ImageOps

WIDTH, HEIGHT = 1280, 800

# (sky top, sky bottom, accent): warm dawns, hazy noons, dusks, winter greys.
PALETTES = [
    ((32, 64, 128), (244, 164, 96), (255, 214, 120)),
    ((86, 150, 210), (206, 228, 240), (250, 244, 210)),
    ((44, 30, 84), (236, 110, 80), (255, 190, 110)),
    ((120, 134, 150), (214, 216, 218), (240, 240, 232)),
    ((16, 96, 120), (150, 214, 200), (250, 230, 160)),
    ((90, 40, 70), (250, 170, 150), (255, 230, 200)),
    ((24, 60, 70), (180, 200, 150), (240, 210, 120)),
]


def _mix(a, b, t: float) -> tuple[int, int, int]:
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=False))


def _shade(color, factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, int(c * factor))) for c in color)


def _gradient(top, bottom, size=(WIDTH, HEIGHT)) -> Image.Image:
    """A vertical gradient from `top` to `bottom` (Pillow's 256-step ramp, stretched)."""
    ramp = Image.linear_gradient("L").resize(size)
    return ImageOps.colorize(ramp, top, bottom)


def _ridge(rng, y_base: int, roughness: int) -> list[tuple[int, int]]:
    points, x = [(0, HEIGHT)], 0
    y = y_base
    while x < WIDTH:
        points.append((x, y))
        x += rng.randint(60, 180)
        y = max(HEIGHT // 4, min(HEIGHT - 40, y + rng.randint(-roughness, roughness)))
    return points + [(WIDTH, y), (WIDTH, HEIGHT)]


def _landscape(image, draw, rng, palette):
    top, bottom, accent = palette
    sun = (rng.randint(150, WIDTH - 150), rng.randint(120, 320))
    radius = rng.randint(40, 90)
    draw.ellipse([sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius], fill=accent)
    ground = _mix(bottom, (60, 70, 40), 0.6)
    for layer in range(4):
        color = _shade(_mix(top, ground, 0.35 + layer * 0.2), 1.0 - layer * 0.12)
        draw.polygon(_ridge(rng, 380 + layer * 110, 70 - layer * 10), fill=color)
    if rng.random() < 0.6:  # a river
        y = rng.randint(620, 720)
        draw.polygon([(0, y), (WIDTH, y - 40), (WIDTH, y + 10), (0, y + 50)], fill=_mix(top, (230, 240, 250), 0.5))


def _town(image, draw, rng, palette):
    top, bottom, accent = palette
    x = -20
    while x < WIDTH:
        w, h = rng.randint(70, 170), rng.randint(160, 470)
        wall = _shade(_mix(bottom, (90, 80, 70), rng.uniform(0.3, 0.8)), rng.uniform(0.6, 1.0))
        draw.rectangle([x, HEIGHT - h, x + w, HEIGHT], fill=wall)
        if rng.random() < 0.25:  # a dome
            draw.ellipse([x + 8, HEIGHT - h - w // 2, x + w - 8, HEIGHT - h + w // 2], fill=_shade(accent, 0.8))
        elif rng.random() < 0.15:  # a minaret
            draw.rectangle([x + w // 2 - 8, HEIGHT - h - 150, x + w // 2 + 8, HEIGHT - h], fill=wall)
        for wy in range(HEIGHT - h + 20, HEIGHT - 30, 34):
            for wx in range(x + 12, x + w - 18, 26):
                if rng.random() < 0.55:
                    draw.rectangle([wx, wy, wx + 12, wy + 18], fill=_mix(accent, wall, rng.uniform(0, 0.6)))
        x += w + rng.randint(0, 14)


def _pitch(image, draw, rng, palette):
    _, _, accent = palette
    horizon = 260
    crowd = [_shade(c, 0.8) for c in ((200, 40, 40), (240, 240, 240), (40, 90, 200), accent)]
    for _ in range(2600):
        x, y = rng.randrange(WIDTH), rng.randrange(60, horizon)
        draw.ellipse([x, y, x + 7, y + 7], fill=rng.choice(crowd))
    greens = ((46, 139, 60), (58, 156, 72))
    for band in range(8):
        y0 = horizon + band * (HEIGHT - horizon) // 8
        draw.rectangle([0, y0, WIDTH, y0 + (HEIGHT - horizon) // 8], fill=greens[band % 2])
    white = (245, 245, 240)
    draw.line([(WIDTH // 2, horizon), (WIDTH // 2 + 60, HEIGHT)], fill=white, width=6)
    draw.ellipse([WIDTH // 2 - 260, 420, WIDTH // 2 + 320, 640], outline=white, width=6)
    draw.line([(0, horizon + 10), (WIDTH, horizon + 10)], fill=white, width=5)


def _night_sky(image, draw, rng, palette):
    image.paste(_gradient((4, 6, 24), _shade(palette[0], 0.7)))
    for _ in range(900):
        x, y, s = rng.randrange(WIDTH), rng.randrange(HEIGHT), rng.choice((1, 1, 1, 2, 3))
        glow = rng.randint(150, 255)
        draw.ellipse([x, y, x + s, y + s], fill=(glow, glow, min(255, glow + 20)))
    cx, cy, r = rng.randint(300, WIDTH - 300), rng.randint(250, HEIGHT - 250), rng.randint(90, 170)
    for band in range(6):  # nested flattened discs read as cloud bands
        squash = 1 - band * 0.17
        color = _mix(palette[2], _shade(palette[1], 0.6), band / 6)
        draw.ellipse([cx - r, cy - int(r * squash), cx + r, cy + int(r * squash)], fill=color)
    draw.arc([cx - r * 2, cy - r // 3, cx + r * 2, cy + r // 3], 150, 390, fill=_shade(palette[2], 0.9), width=5)


def _sea(image, draw, rng, palette):
    top, bottom, accent = palette
    horizon = rng.randint(300, 420)
    image.paste(_gradient(_mix(top, (20, 60, 110), 0.5), (10, 40, 80), (WIDTH, HEIGHT - horizon)), (0, horizon))
    for _ in range(70):
        x, y = rng.randrange(-100, WIDTH), rng.randrange(horizon + 10, HEIGHT)
        w = rng.randint(60, 220)
        draw.arc([x, y, x + w, y + 24], 200, 340, fill=_mix(accent, (255, 255, 255), 0.5), width=3)
    bx, by = rng.randint(200, WIDTH - 300), horizon + rng.randint(60, 200)
    draw.polygon([(bx, by), (bx + 220, by), (bx + 190, by + 50), (bx + 30, by + 50)], fill=(120, 60, 40))
    draw.line([(bx + 110, by), (bx + 110, by - 160)], fill=(80, 50, 30), width=6)
    draw.polygon([(bx + 116, by - 150), (bx + 116, by - 20), (bx + 200, by - 20)], fill=(245, 240, 225))


def _market(image, draw, rng, palette):
    draw.rectangle([0, 520, WIDTH, HEIGHT], fill=(150, 120, 90))
    x = 0
    while x < WIDTH:
        w = rng.randint(180, 280)
        stripe = rng.choice(((200, 50, 50), (40, 110, 170), (60, 150, 90), (230, 170, 40)))
        for s in range(0, w, 30):
            color = stripe if (s // 30) % 2 == 0 else (245, 240, 230)
            draw.polygon([(x + s, 250), (x + s + 30, 250), (x + s + 40, 360), (x + s + 10, 360)], fill=color)
        draw.rectangle([x + 10, 360, x + w - 10, 540], fill=(110, 80, 55))
        for _ in range(40):
            fx, fy = rng.randint(x + 20, x + w - 40), rng.randint(400, 520)
            fruit = rng.choice(((230, 120, 30), (200, 30, 40), (240, 210, 60), (110, 170, 50)))
            draw.ellipse([fx, fy, fx + 22, fy + 22], fill=fruit)
        x += w + 20


def _books(image, draw, rng, palette):
    image.paste(_gradient((90, 62, 40), (50, 34, 22)))
    for shelf in range(4):
        y = 80 + shelf * 180
        x = 40
        while x < WIDTH - 60:
            w, h = rng.randint(18, 46), rng.randint(110, 165)
            spine = _mix(rng.choice(PALETTES)[rng.randrange(3)], (120, 30, 30), rng.uniform(0, 0.5))
            draw.rectangle([x, y + 170 - h, x + w, y + 170], fill=spine)
            draw.line([(x + 4, y + 190 - h), (x + w - 4, y + 190 - h)], fill=(230, 200, 120), width=2)
            x += w + rng.randint(1, 4)
        draw.rectangle([20, y + 170, WIDTH - 20, y + 184], fill=(70, 45, 28))


def _chart(image, draw, rng, palette):
    image.paste(_gradient((22, 30, 48), (40, 56, 84)))
    for gx in range(80, WIDTH, 120):
        draw.line([(gx, 60), (gx, HEIGHT - 60)], fill=(60, 76, 104), width=1)
    for gy in range(60, HEIGHT, 90):
        draw.line([(60, gy), (WIDTH - 60, gy)], fill=(60, 76, 104), width=1)
    value, points, bars = HEIGHT // 2, [], []
    for i, x in enumerate(range(80, WIDTH - 60, 40)):
        value = max(120, min(HEIGHT - 160, value + rng.randint(-60, 55)))
        points.append((x, value))
        if i % 2 == 0:
            bars.append((x, rng.randint(40, 140)))
    for x, h in bars:
        draw.rectangle([x - 10, HEIGHT - 60 - h, x + 10, HEIGHT - 60], fill=_shade(palette[1], 0.7))
    draw.line(points, fill=palette[2], width=7, joint="curve")


def _bridge(image, draw, rng, palette):
    top, bottom, accent = palette
    far = _shade(_mix(top, (70, 80, 60), 0.6), 0.9)
    draw.polygon(_ridge(rng, 330, 25), fill=far)
    river_top, river_bottom = 420, 640
    image.paste(
        _gradient(_mix(top, (40, 90, 120), 0.5), (30, 70, 100), (WIDTH, river_bottom - river_top)), (0, river_top)
    )
    for _ in range(40):
        x, y = rng.randrange(WIDTH), rng.randrange(river_top + 10, river_bottom)
        draw.line([(x, y), (x + rng.randint(30, 90), y)], fill=_mix(accent, (255, 255, 255), 0.6), width=2)
    deck = rng.randint(500, 560)
    for x in range(-20, WIDTH, 54):  # pontoons under the deck
        draw.rounded_rectangle([x, deck + 8, x + 46, deck + 34], radius=8, fill=(70, 76, 84))
    draw.rectangle([0, deck - 4, WIDTH, deck + 10], fill=(150, 150, 140))
    for x in range(0, WIDTH, 40):
        draw.line([(x, deck - 4), (x, deck - 22)], fill=(90, 90, 90), width=3)
    draw.line([(0, deck - 22), (WIDTH, deck - 22)], fill=(90, 90, 90), width=3)
    for _ in range(rng.randint(4, 8)):  # traffic
        x = rng.randrange(0, WIDTH - 90)
        w = rng.randint(50, 90)
        draw.rounded_rectangle(
            [x, deck - 30, x + w, deck - 4],
            radius=6,
            fill=rng.choice(((230, 230, 225), (200, 40, 40), (240, 200, 60), (60, 120, 200))),
        )
    draw.rectangle([0, river_bottom, WIDTH, HEIGHT], fill=_shade(_mix(bottom, (120, 110, 80), 0.6), 0.8))


def _turbines(image, draw, rng, palette):
    top, _, accent = palette
    horizon = rng.randint(440, 520)
    image.paste(_gradient((30, 80, 120), (15, 45, 80), (WIDTH, HEIGHT - horizon)), (0, horizon))
    for _ in range(50):
        x, y = rng.randrange(WIDTH), rng.randrange(horizon + 5, HEIGHT)
        draw.arc([x, y, x + rng.randint(40, 160), y + 18], 200, 340, fill=(170, 200, 220), width=2)
    for n in range(rng.randint(3, 5)):
        scale = rng.uniform(0.5, 1.0)
        x = 120 + n * (WIDTH - 240) // 4 + rng.randint(-40, 40)
        base, hub_y = horizon + int(20 * scale), horizon - int(330 * scale)
        draw.polygon(
            [(x - 7 * scale, base), (x + 7 * scale, base), (x + 3, hub_y), (x - 3, hub_y)], fill=(240, 242, 245)
        )
        turn = rng.uniform(0, 120)
        for blade in range(3):
            angle = math.radians(turn + blade * 120)
            length = 170 * scale
            tip = (x + length * math.cos(angle), hub_y + length * math.sin(angle))
            draw.line([(x, hub_y), tip], fill=(235, 238, 242), width=max(3, int(9 * scale)))
        draw.ellipse([x - 9, hub_y - 9, x + 9, hub_y + 9], fill=(220, 224, 230))


def _road(image, draw, rng, palette):
    top, bottom, accent = palette
    horizon = rng.randint(330, 400)
    sand = _mix(bottom, (200, 170, 120), 0.6)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=sand)
    draw.polygon(_ridge(rng, horizon - 20, 20), fill=_shade(sand, 0.8))
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=sand)
    vanish = WIDTH // 2 + rng.randint(-150, 150)
    draw.polygon(
        [(vanish - 6, horizon), (vanish + 6, horizon), (WIDTH // 2 + 420, HEIGHT), (WIDTH // 2 - 420, HEIGHT)],
        fill=(80, 80, 84),
    )
    for step in range(12):
        t0, t1 = step / 12, (step + 0.5) / 12
        y0, y1 = horizon + (HEIGHT - horizon) * t0**1.6, horizon + (HEIGHT - horizon) * t1**1.6
        x0 = vanish + (WIDTH // 2 - vanish) * t0**1.6
        x1 = vanish + (WIDTH // 2 - vanish) * t1**1.6
        draw.line([(x0, y0), (x1, y1)], fill=(240, 230, 190), width=max(2, int(14 * t1)))
    vx, vy = vanish + rng.randint(-220, -80), horizon + rng.randint(140, 220)
    draw.rounded_rectangle([vx, vy, vx + 230, vy + 110], radius=14, fill=(245, 245, 240))
    draw.rectangle([vx + 160, vy + 14, vx + 220, vy + 50], fill=(120, 170, 210))
    draw.rectangle([vx + 60, vy + 30, vx + 74, vy + 80], fill=(200, 30, 40))
    draw.rectangle([vx + 42, vy + 48, vx + 92, vy + 62], fill=(200, 30, 40))
    draw.rectangle([vx + 10, vy - 16, vx + 150, vy], fill=(40, 60, 110))  # solar panels on the roof
    for wheel in (vx + 40, vx + 180):
        draw.ellipse([wheel - 22, vy + 92, wheel + 22, vy + 136], fill=(30, 30, 30))


MOTIFS = {
    "landscape": _landscape,
    "town": _town,
    "pitch": _pitch,
    "sky": _night_sky,
    "sea": _sea,
    "market": _market,
    "books": _books,
    "chart": _chart,
    "bridge": _bridge,
    "turbines": _turbines,
    "road": _road,
}


def scene(motif: str, seed: int) -> Image.Image:
    """The picture of `motif` for `seed` as an RGB image of WIDTH × HEIGHT."""
    if motif not in MOTIFS:
        raise ValueError(f"unknown motif “{motif}”; choose from {', '.join(MOTIFS)}")
    rng = random.Random(f"{motif}:{seed}")
    palette = PALETTES[rng.randrange(len(PALETTES))]
    image = _gradient(palette[0], palette[1])
    MOTIFS[motif](image, ImageDraw.Draw(image), rng, palette)
    return image


def photo(motif: str, seed: int) -> bytes:
    """`scene()` as a JPEG."""
    out = io.BytesIO()
    scene(motif, seed).save(out, "JPEG", quality=85)
    return out.getvalue()


def clip(motif: str, seed: int, seconds: float = 3.0, fps: int = 12, size=(480, 300)) -> bytes:
    """An H.264 MP4 of the scene with the camera slowly panning and zooming across it."""
    still = scene(motif, seed)
    frames = max(2, int(seconds * fps))
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.options = {"preset": "ultrafast", "tune": "zerolatency"}
        for index in range(frames):
            t = index / (frames - 1)
            zoom = 0.8 - 0.15 * t
            w, h = int(WIDTH * zoom), int(HEIGHT * zoom)
            left = int((WIDTH - w) * t)
            top = int((HEIGHT - h) * (0.5 - 0.3 * t))
            frame = still.crop((left, top, left + w, top + h)).resize(size)
            for packet in stream.encode(av.VideoFrame.from_image(frame)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()
