"""Public-site speed of two trees, measured side by side: a git revision ("before") and the working
tree ("after"), serving the same database.

    .venv/bin/python bench/compare.py --before <git rev> [--articles 100000] [--rounds 3]
                                      [--duration 15s] [--workdir DIR] [--json FILE]

1. The database is the one bench/site_bench.py builds (N legacy pages imported by
   `import_legacy` into SQLite, the newest live video story with ten related links given real
   media and stored renditions), built once per N under /tmp/newsroom-site-bench/n<N> and reused.
   SQLite statistics are removed, as after a fresh import (what bench/RESULTS.md's figures used).
2. "before" is checked out with `git worktree add` in a temporary folder (removed afterwards) and
   runs on this project's .venv; "after" is this working tree, uncommitted changes included.
   Each tree collects its own static files and gets its own cache folder.
3. Each tree serves the site twice with gunicorn (2 sync workers, DEBUG=0, the shared file cache),
   as site_bench.py does: page cache on (PAGE_CACHE_SECONDS=300) and off (0, so every request
   runs the view and its queries).
4. wrk (-t2 -c16, --duration each) measures the article and the home page on all four servers,
   interleaved: every round measures each target on both trees back to back, alternating which
   tree goes first, so a change in the machine's load touches both. The median round is reported
   with after ÷ before.

Without --before only the working tree is measured (what `make bench` does). Needs wrk
(`apt-get install wrk`). Takes about 8 minutes at N=100,000 once the database exists (set-up 40 s,
warm-up 24 s, 24 measurements of 15 s); building it adds about 5 on a quiet machine. Small runs
(`--articles 2000 --rounds 1 --duration 3s`) take about 2.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import site_bench  # noqa: E402

ROOT = site_bench.ROOT
PYTHON = site_bench.PYTHON
TARGETS = ("article, page cache on", "article, uncached", "home, page cache on", "home, uncached")


@dataclass
class Tree:
    """A checkout of the project that serves the site, and the two servers it runs."""

    label: str
    root: Path
    servers: dict = field(default_factory=dict)  # "on"/"off" -> (process, port)


@contextlib.contextmanager
def worktree(rev: str):
    """`rev` checked out (detached) in a temporary folder, removed on the way out."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-before-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(folder), rev], cwd=ROOT, check=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False)
        shutil.rmtree(folder.parent, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_env(workdir: Path, tree: Tree, cache: str, port: int) -> dict:
    env = site_bench.site_env(workdir, page_cache_seconds=300 if cache == "on" else 0, port=port)
    env.update(
        STATIC_ROOT=str(workdir / f"static-{tree.label}"), CACHE_DIR=str(workdir / f"cache-{tree.label}-{cache}")
    )
    return env


def prepare(workdir: Path, tree: Tree) -> None:
    """Collect the tree's static files and empty its cache folders (a stale page must not count)."""
    for cache in ("on", "off"):
        shutil.rmtree(workdir / f"cache-{tree.label}-{cache}", ignore_errors=True)
    env = tree_env(workdir, tree, "on", 0)
    subprocess.run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=tree.root, env=env, check=True)


def start(workdir: Path, tree: Tree, cache: str) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(PYTHON), "-m", "gunicorn", "newsroom.wsgi:application", "--workers", "2", "--worker-class", "sync"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--no-control-socket"],
        cwd=tree.root,
        env=tree_env(workdir, tree, cache, port),
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"{tree.label} (page cache {cache}) did not start") from None
            time.sleep(0.3)
    tree.servers[cache] = (process, port)


def stop_all(trees) -> None:
    for tree in trees:
        for process, _ in tree.servers.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)


def url(tree: Tree, target: str, paths: dict) -> str:
    page, _, mode = target.partition(", ")
    _, port = tree.servers["on" if mode == "page cache on" else "off"]
    return f"http://127.0.0.1:{port}{paths[page]}"


def fetch(address: str) -> bytes:
    with urllib.request.urlopen(address, timeout=60) as response:
        if response.status != 200:
            raise SystemExit(f"{address} answered {response.status}")
        return response.read()


def same_page(a: bytes, b: bytes) -> bool:
    """Whether two trees drew the same page (nonces and ports aside)."""

    def plain(body):
        return re.sub(rb"nonce-?=?\"?[A-Za-z0-9+/=_-]{16,}\"?|127\.0\.0\.1:\d+", b"", body)

    return plain(a) == plain(b)


def wrk(address: str, duration: str) -> float:
    done = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}", "--latency", address], capture_output=True, text=True, check=True
    )
    found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if found is None or errors:
        raise SystemExit(f"wrk on {address}:\n{done.stdout}")
    return float(found.group(1))


def measure(trees, paths: dict, rounds: int, duration: str) -> dict:
    """{tree label: {target: [req/s per round]}}, targets interleaved across trees in each round."""
    for tree in trees:  # warm every worker's caches and connections
        for target in TARGETS:
            wrk(url(tree, target, paths), "3s")
    figures = {tree.label: {target: [] for target in TARGETS} for tree in trees}
    for number in range(rounds):
        for target in TARGETS:
            order = trees if number % 2 == 0 else list(reversed(trees))
            for tree in order:
                rate = wrk(url(tree, target, paths), duration)
                figures[tree.label][target].append(rate)
                print(f"  round {number + 1} {target:24} {tree.label:6} {rate:8.0f} req/s", flush=True)
    return figures


def table(figures: dict, sizes: dict) -> str:
    labels = list(figures)
    head = ["target", *[f"{label} req/s" for label in labels]]
    if len(labels) == 2:
        head.append("after ÷ before")
    lines = ["| " + " | ".join(head) + " | bytes |", "|" + "---|" * (len(head) + 1)]
    for target in TARGETS:
        medians = [statistics.median(figures[label][target]) for label in labels]
        cells = [target]
        for label, median in zip(labels, medians, strict=True):
            rounds = ", ".join(f"{rate:.0f}" for rate in figures[label][target])
            cells.append(f"**{median:,.0f}** ({rounds})" if len(figures[label][target]) > 1 else f"{median:,.0f}")
        if len(labels) == 2:
            cells.append(f"{medians[1] / medians[0]:.3f}")
        cells.append(" / ".join(str(sizes[label][target]) for label in labels))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def database(workdir: Path, articles: int) -> tuple[dict, dict, dict]:
    """Build the database once (or reuse it), bring it to the working tree's migrations, forget its
    statistics and pick the article; (the picked article, the measured paths, queries per page)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if not (workdir / "build.json").exists():
        site_bench.build(workdir, articles)
    env = site_bench.site_env(workdir)
    site_bench.manage(env, "migrate", "-v0")
    site_bench.inside(env, "forget_stats")
    picked = site_bench.inside(env, "pick")
    paths = {"article": picked["article"], "home": "/"}
    queries = site_bench.inside(env | {"BENCH_TARGETS": json.dumps(paths)}, "queries")
    print("article:", picked, "\nqueries per request (page cache off):", queries, flush=True)
    return picked, paths, queries


def serve_and_measure(workdir: Path, before: str | None, paths: dict, rounds: int, duration: str):
    """Serve each tree (page cache on and off) and measure; (each tree's pages, the figures)."""
    with contextlib.ExitStack() as stack:
        trees = [Tree("after", ROOT)]
        if before:
            trees.insert(0, Tree("before", stack.enter_context(worktree(before))))
        stack.callback(stop_all, trees)
        for tree in trees:
            prepare(workdir, tree)
            start(workdir, tree, "on")
            start(workdir, tree, "off")
        pages = {tree.label: {target: fetch(url(tree, target, paths)) for target in TARGETS} for tree in trees}
        return pages, measure(trees, paths, rounds, duration)


def report(result: dict, pages: dict, path: Path) -> None:
    """Print the table (and whether both trees drew the same pages); write the JSON to `path`."""
    if len(pages) == 2:
        result["same_pages"] = {
            target: same_page(pages["before"][target], pages["after"][target]) for target in TARGETS
        }
    print()
    print(table(result["figures"], result["bytes"]))
    if "same_pages" in result:
        print("\npages identical on both trees (nonces, ports aside):", result["same_pages"])
    print(f"\n{result['articles']:,} articles, {result['wrk']}; took {result['elapsed_s'] / 60:.1f} min")
    path.write_text(json.dumps(result, indent=2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="git revision to compare the working tree with")
    parser.add_argument("--articles", type=int, default=int(os.environ.get("BENCH_SIZE", 100_000)))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="15s", help="wrk's duration per measurement")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    started = time.monotonic()
    workdir = args.workdir or Path(f"/tmp/newsroom-site-bench/n{args.articles}")
    picked, paths, queries = database(workdir, args.articles)
    pages, figures = serve_and_measure(workdir, args.before, paths, args.rounds, args.duration)
    result = {
        "articles": args.articles,
        "before": args.before,
        "wrk": f"-t2 -c16 -d{args.duration}, {args.rounds} round(s), median",
        "article": picked,
        "queries_page_cache_off": queries,
        "figures": figures,
        "bytes": {label: {target: len(body) for target, body in bodies.items()} for label, bodies in pages.items()},
        "elapsed_s": round(time.monotonic() - started),
    }
    report(result, pages, args.json or workdir / "compare.json")


if __name__ == "__main__":
    main()
