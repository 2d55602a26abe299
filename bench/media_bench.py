"""Media benchmark: the full rendition set of a 4000×3000 JPEG and probe + poster of a 60 s 720p mp4.

Run: .venv/bin/python bench/media_bench.py   (uses a throw-away SQLite database and MEDIA_ROOT)
Targets: ≤ 500 ms for the rendition set (4 widths + 3 crops × 4 widths, WebP and JPEG),
≤ 300 ms for the video. Prints the median of a few runs in ms.
"""

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import setup_scratch_django  # noqa: E402

setup_scratch_django("media-bench-")

from django.core.management import call_command  # noqa: E402
from PIL import Image, ImageChops  # noqa: E402

from media import renditions  # noqa: E402
from media.ingest import ingest_bytes  # noqa: E402
from media.models import MediaItem, Rendition  # noqa: E402
from media.probe import probe_video  # noqa: E402
from media.samples import draw_photo, encode_clip  # noqa: E402

RUNS = 5


def grainy_photo() -> bytes:
    """draw_photo's scene with Gaussian grain over it, as a 4000×3000 JPEG."""
    scene = Image.open(io.BytesIO(draw_photo(4000, 3000, seed=2)))
    grain = Image.effect_noise(scene.size, 30).convert("RGB")
    out = io.BytesIO()
    ImageChops.add(scene, grain, scale=1.5, offset=-40).save(out, "JPEG", quality=88)
    return out.getvalue()


def timed(fn, setup=lambda: None, runs=RUNS) -> tuple[float, float]:
    """Median and best wall time of `fn` in ms (setup, untimed, before each run)."""
    results = []
    for _ in range(runs):
        setup()
        start = time.perf_counter()
        fn()
        results.append((time.perf_counter() - start) * 1000)
    return statistics.median(results), min(results)


def main():
    call_command("migrate", verbosity=0)
    photo = ingest_bytes(draw_photo(4000, 3000, seed=1), filename="big.jpg")
    count = len(renditions.ALL_SPECS) * len(renditions.FORMATS)

    def clear():
        renditions.discard(photo)
        Rendition.objects.filter(media=photo).delete()

    median, best = timed(lambda: renditions.make_all(photo), clear)
    print(f"renditions 4000x3000 JPEG, {count} files (both formats): median {median:.0f} ms, best {best:.0f} ms")
    for fmt in renditions.FORMATS:
        median, best = timed(lambda fmt=fmt: renditions.make_all(photo, formats=(fmt,)), clear)
        print(f"  {fmt} only ({count // 2} files): median {median:.0f} ms, best {best:.0f} ms")
    median, best = timed(lambda: renditions.get_or_create_rendition(photo, "16x9-w1280", "webp"), clear)
    print(f"  one on-demand rendition (16x9-w1280.webp): median {median:.0f} ms")

    # draw_photo's flat shapes compress easily; grain makes the encoders work like on a real
    # photo with fine detail (a harder case than most news pictures).
    grainy = ingest_bytes(grainy_photo(), filename="grain.jpg")

    def clear_grainy():
        renditions.discard(grainy)
        Rendition.objects.filter(media=grainy).delete()

    median, best = timed(lambda: renditions.make_all(grainy), clear_grainy, runs=3)
    print(f"renditions 4000x3000 JPEG with fine grain, {count} files: median {median:.0f} ms, best {best:.0f} ms")

    clip = encode_clip(seconds=60, width=1280, height=720, fps=25, seed=1)
    median, best = timed(lambda: probe_video(clip))
    print(f"probe + poster, 60 s 1280x720 H.264 ({len(clip) / 1e6:.1f} MB): median {median:.0f} ms, best {best:.0f} ms")

    def forget_video():
        MediaItem.objects.videos().delete()
        MediaItem.objects.images().exclude(pk=photo.pk).delete()

    median, best = timed(lambda: ingest_bytes(clip, filename="long.mp4"), forget_video)
    print(f"  full ingest of that mp4 (checks, sha256, probe, poster item, both files stored): median {median:.0f} ms")


if __name__ == "__main__":
    main()
