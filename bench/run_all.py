"""`make bench`: run the benchmarks and rewrite the generated part of bench/RESULTS.md.

    .venv/bin/python bench/run_all.py [--size 100000] [--scale-size 1000000]
        [--only "site api media import import-pg scale search reliability"]

Each benchmark runs as its own process (its output is shown as it comes) and its summary is
written between the markers in bench/RESULTS.md, with the date, the commit, the machine's load
and how long it took; the hand-written history below the markers is kept. `--size` (BENCH_SIZE
in make) is the number of articles of the site and importer benchmarks (the API benchmark uses at
most 5,000); below 100,000 the site is measured in one short round and the reliability run uses
its quick samples, for a run of a few minutes instead of about 25. `import-pg` runs the
importer benchmark on PostgreSQL (database newsroom_import_bench, dropped and created). `scale`
compares the listings at 1,000 stories and at `--scale-size` (SCALE_SIZE in make, default
1,000,000) on PostgreSQL; its databases (newsroom_scale_1k, newsroom_scale_1m) are built once
and kept: building a million stories took 3.6 min on 2 shared cores, measuring about 3 more.
`--scale-size 100000` is quicker.
"""

import argparse
import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "RESULTS.md"
START = "<!-- make bench: generated from here -->"
END = "<!-- make bench: generated up to here -->"
FULL = 100_000
SCALE = 1_000_000
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def commands(size: int, scale_size: int = SCALE) -> dict[str, tuple[str, list[str]]]:
    """Benchmark name -> (heading, command line), scaled to `size` articles (`scale_size` for
    the listings at scale)."""
    python = sys.executable
    quick = size < FULL
    site = ["--articles", str(size)] + (["--rounds", "1", "--duration", "5s"] if quick else [])
    return {
        "site": ("Public site", [python, "bench/compare.py", *site]),
        "api": ("API", [python, "bench/api_bench.py", str(min(size, 5000))]),
        "media": ("Media", [python, "bench/media_bench.py"]),
        "import": ("Importer", [python, "bench/import_bench.py", "--count", str(size), "--reimport"]),
        "import-pg": (
            "Importer on PostgreSQL",
            [python, "bench/import_bench.py", "--count", str(size), "--postgres", f"{POSTGRES}/newsroom_import_bench"],
        ),
        "scale": (
            "Listings at scale (#17 archive at scale)",
            [python, "bench/scale_bench.py", "--sizes", f"1000 {scale_size}"],
        ),
        "search": (
            "Search (#17 search at scale)",
            [python, "bench/search_bench.py", "--pg-count", str(scale_size), "--sqlite-count", str(size)],
        ),
        "reliability": ("Reliability", [python, "bench/reliability_run.py", *(["--quick"] if quick else [])]),
    }


def run(command: list[str]) -> tuple[str, float]:
    """Run a benchmark, echoing its output; (its output, seconds)."""
    print("$", " ".join(Path(c).name if c == sys.executable else c for c in command), flush=True)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    if process.wait():
        raise SystemExit(f"{' '.join(command[1:])} failed (exit {process.returncode})")
    return "".join(lines), time.monotonic() - started


def summary(name: str, output: str) -> str:
    """The part of a benchmark's output worth keeping: the site's table, else the output without
    the progress lines."""
    if name == "scale":
        return scale_summary(output)
    if name == "site":
        table = [line for line in output.splitlines() if line.startswith("|")]
        tail = [line for line in output.splitlines() if line.startswith(("pages identical", "queries per", "article:"))]
        return "\n".join(table) + "\n\n" + "\n".join(f"- {line}" for line in tail)
    # Progress lines: commands echoed, "[  12 s] …" steps, the importer's per-tenth rates.
    kept = [line for line in output.splitlines() if not re.match(r"^(\$ |\[\s*\d+ s\]|\s+pages\s)", line)]
    return "```text\n" + "\n".join(kept).strip() + "\n```"


def scale_summary(output: str) -> str:
    """The scale benchmark's table, and its notes (how long a build took, how it measured)."""
    lines = output.splitlines()
    table = [line for line in lines if line.startswith("|")]
    notes = [line for line in lines if line.startswith(("page cache off", "  built in", "building"))]
    return "\n".join(table) + "\n\n" + "\n".join(f"- {line.strip()}" for line in notes)


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
    return head.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


def write(sections: list[str], header: str) -> None:
    text = RESULTS.read_text()
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    generated = f"{START}\n\n{header}\n\n" + "\n\n".join(sections) + f"\n\n{END}"
    RESULTS.write_text(before + generated + after)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=int(os.environ.get("BENCH_SIZE") or FULL))
    parser.add_argument("--scale-size", type=int, default=int(os.environ.get("SCALE_SIZE") or SCALE))
    parser.add_argument("--only", default="site api media import import-pg scale search reliability")
    args = parser.parse_args()
    chosen = args.only.split()
    table = commands(args.size, args.scale_size)
    unknown = set(chosen) - set(table)
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; choose from {', '.join(table)}")

    started = time.monotonic()
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0]
    sections = []
    for name in chosen:
        heading, command = table[name]
        output, seconds = run(command)
        shown = " ".join(["bench/" + Path(command[1]).name, *command[2:]])
        sections.append(
            f"### {heading}\n\n`.venv/bin/python {shown}` ({seconds / 60:.1f} min)\n\n{summary(name, output)}"
        )
    header = (
        f"## Latest `make bench` run\n\n{when} on commit {commit()}, BENCH_SIZE={args.size:,}, "
        f"SCALE_SIZE={args.scale_size:,}, load average "
        f"{load:.1f} at the start ({os.cpu_count()} cores); {', '.join(chosen)}; "
        f"{(time.monotonic() - started) / 60:.0f} min in all."
    )
    write(sections, header)
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
