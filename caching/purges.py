"""Precise purges: a shared log of which surrogate keys each change touched, and each process's
view of it, which says whether a stored copy made at some point is still fresh.

A change purges keys (`purge({"article-12", "front"})`, from the page cache's listener after
the commit): one line is appended to the shared log and the content generation moves on
(caching.generations). Nothing is deleted: a copy stored with the keys it shows and the log
position it was made at (`made_at`) is fresh while no later purge names one of its keys. So the
same test serves the shared cache's copies and each process's memory copies, in every process:

- each process reads the content generation once per request anyway; when it moved, the process
  reads the log lines it has not seen (one more cache round trip, once per change and process)
  and notes, per key, the position of the last purge naming it;
- a copy is fresh when it was made at or after the oldest position this process knows the log
  from (`floor`), and no key it shows was purged after it was made.

Where the log lives:

- Redis (caching.backends.ResilientRedisCache): the generation is a counter and the log a sorted
  set scored by it, both changed by one Lua script so that a reader never sees the counter ahead
  of its line; the newest `REDIS_LOG_LENGTH` lines are kept (a process further behind forgets
  everything it held, and starts again from the current position);
- the embedded default (caching.backends.SharedFileCache): the generation is a stamp and the log
  a file next to it, appended to whole lines at a time; a position is a byte offset. Past
  `FILE_LOG_BYTES` a writer starts a new file, and every process, seeing another file, starts
  again;
- any other backend keeps no log: every purge purges everything (its generation moves).

`EVERYTHING` ("*") purges every copy: a change that every page shows.
"""

import contextlib
import os
import secrets
import tempfile
import threading
from collections.abc import Iterable

from django.core.cache import caches

from caching.surrogate_keys import EVERYTHING

GENERATION_KEY = "newsroom:content-generation"
GENERATION_STAMP = "content-generation"
LOG_KEY = "newsroom:purge-log"
REDIS_LOG_LENGTH = 10_000
FILE_LOG_BYTES = 2 * 1024 * 1024
LOG_FILE = "purges.log"
# A process forgets the purges it knows past this many keys, and starts again (memory bound).
MAX_KNOWN_KEYS = 200_000

# KEYS: generation counter, log. ARGV: the line's keys, a random first number, the log length.
_APPEND_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[2]) end
local position = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], position, position .. ' ' .. ARGV[1])
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1) end
return position
"""


def _fresh_number() -> int:
    return secrets.randbits(48)


def _line(keys: Iterable[str]) -> str:
    return " ".join(sorted({key for key in keys if key and " " not in key}))


# -- where the log is kept ------------------------------------------------------------------------


def _continues(lines: list, since: int, generation: int) -> bool:
    """Whether `lines` (read after position `since`) follow it with none missing."""
    return lines[0][0] == since + 1 if lines else generation == since


class _RedisLog:
    """The counter and sorted set in Redis, through the cache's guarded client."""

    def __init__(self, backend):
        self.backend = backend

    def append(self, keys: Iterable[str]) -> None:
        names = [self.backend.make_and_validate_key(GENERATION_KEY), self.backend.make_and_validate_key(LOG_KEY)]
        line = _line(keys)
        self.backend.with_client(
            None, lambda client: client.eval(_APPEND_SCRIPT, 2, *names, line, _fresh_number(), REDIS_LOG_LENGTH)
        )

    def read(self, view: "View", generation: int):
        """(epoch, floor, [(position, keys)...], end): floor None when the lines continue what
        `view` knows; else every line kept, from the floor on. None: unreachable."""
        name = self.backend.make_and_validate_key(LOG_KEY)
        since = view.position if view.position is not None and view.position <= generation else None
        lines = self._lines(name, since)
        if since is not None and lines is not None and not _continues(lines, since, generation):
            since, lines = None, self._lines(name, None)  # lines were dropped meanwhile: read all
        if lines is None:
            return None
        end = max(generation, lines[-1][0]) if lines else generation
        if since is not None:
            return (0, None, lines, end)
        return (0, lines[0][0] - 1 if lines else end, lines, end)

    def _lines(self, name: str, since: int | None):
        low = "-inf" if since is None else f"({since}"
        rows = self.backend.with_client(None, lambda client: client.zrangebyscore(name, low, "+inf", withscores=True))
        if rows is None:
            return None
        lines = []
        for member, score in rows:
            text = member.decode() if isinstance(member, bytes) else member
            lines.append((int(score), text.partition(" ")[2].split()))
        return lines


class _FileLog:
    """A file of lines next to the embedded cache's stamps; positions are byte offsets. Its first
    line is a random number naming this file (a new file may reuse a removed one's inode)."""

    HEADER_BYTES = 17  # "#" + 15 hex digits + newline

    def __init__(self, backend):
        self.backend = backend
        self.path = f"{backend.stamp_prefix}{LOG_FILE}"

    def _new_file(self, *, replace: bool) -> None:
        os.makedirs(os.path.dirname(self.path), mode=0o700, exist_ok=True)
        fd, tmp_path = tempfile.mkstemp(dir=os.path.dirname(self.path), suffix=".tmp")
        try:
            os.write(fd, f"#{secrets.randbits(60):015x}\n".encode())
            os.close(fd)
            if replace:
                os.replace(tmp_path, self.path)
            else:
                with contextlib.suppress(FileExistsError):  # another process made it first
                    os.link(tmp_path, self.path)
        finally:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)

    def append(self, keys: Iterable[str]) -> None:
        data = (_line(keys) + "\n").encode()
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            except FileNotFoundError:
                self._new_file(replace=False)
                continue
            try:
                os.write(fd, data)
                written = os.fstat(fd)
            finally:
                os.close(fd)
            try:
                current = os.stat(self.path)
            except FileNotFoundError:
                continue
            if current.st_ino == written.st_ino:  # not appended to a file another writer replaced
                if written.st_size > FILE_LOG_BYTES:
                    self._new_file(replace=True)
                break
        self.backend.new_stamp(GENERATION_STAMP)

    def read(self, view: "View", generation: int):
        """As _RedisLog.read; a new file (or a new process) is read from its start."""
        fd = self._open()
        if fd is None:
            return None
        try:
            header = os.pread(fd, self.HEADER_BYTES, 0)
            if len(header) < self.HEADER_BYTES:
                return None
            epoch = header.decode(errors="replace")
            since = view.position if epoch == view.epoch and view.position is not None else None
            start = since if since is not None else self.HEADER_BYTES
            data = _read_from(fd, start)
        finally:
            os.close(fd)
        complete = data.rfind(b"\n") + 1  # a line still being written is read next time
        return (epoch, None if since is not None else start, _file_lines(data[:complete], start), start + complete)

    def _open(self) -> int | None:
        for _attempt in range(2):
            try:
                return os.open(self.path, os.O_RDONLY)
            except FileNotFoundError:
                self._new_file(replace=False)
        return None


def _read_from(fd: int, start: int) -> bytes:
    os.lseek(fd, start, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _file_lines(data: bytes, start: int) -> list[tuple[int, list[str]]]:
    """(position after the line, its keys) for each whole line of `data`, read from `start`."""
    lines, offset = [], start
    for raw in data.splitlines(keepends=True):
        offset += len(raw)
        lines.append((offset, raw.decode().split()))
    return lines


class _NoLog:
    """Backends with no log: every purge is a purge of everything."""

    def __init__(self, backend):
        self.backend = backend

    def append(self, keys) -> None:
        try:
            self.backend.incr(GENERATION_KEY)
        except ValueError:
            self.backend.set(GENERATION_KEY, _fresh_number(), timeout=None)

    def read(self, view: "View", generation: int):
        return (generation, 0, [], 0)


def _log():
    backend = caches["default"]
    if hasattr(backend, "read_stamp"):
        return _FileLog(backend)
    if hasattr(backend, "with_client"):  # caching.backends.ResilientRedisCache
        return _RedisLog(backend)
    return _NoLog(backend)


# -- the shared side --------------------------------------------------------------------------------


def purge(keys: Iterable[str]) -> None:
    """Record that what shows `keys` changed (EVERYTHING: all), for every process; this also
    moves the content generation. Call after the change committed."""
    keys = set(keys)
    if keys:
        _log().append(keys)
        trusted.forget()  # this process sees its own purges at once


class Trusted:
    """This process's last reading of the generation on Redis, and until when (monotonic time)
    it is taken for current without asking again (caching.generations.content_generation_for)."""

    def __init__(self):
        self.generation = None
        self.until = 0.0

    def forget(self) -> None:
        self.until = 0.0


trusted = Trusted()


def content_generation() -> int | None:
    """The current generation; None while the cache is unreachable (then cache nothing)."""
    backend = _log().backend
    if hasattr(backend, "read_stamp"):
        return backend.read_stamp(GENERATION_STAMP)
    value = backend.get(GENERATION_KEY)
    if value is None:
        backend.add(GENERATION_KEY, _fresh_number(), timeout=None)
        value = backend.get(GENERATION_KEY)
    return value


# -- this process's side ----------------------------------------------------------------------------


class View:
    """What this process knows of the log: up to `position`, from `floor` on, in `epoch`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.generation = None
        self.epoch = None
        self.position = None
        self.floor = None
        self.purged: dict[str, int] = {}
        self.everything_at = -1

    def catch_up(self, generation: int | None) -> None:
        """Read the log lines added since this process last did, when `generation` moved."""
        if generation is None or generation == self.generation:
            return
        with self.lock:
            if generation == self.generation:
                return
            found = _log().read(self, generation)
            if found is None:  # unreachable meanwhile: try again on the next request
                return
            epoch, floor, lines, end = found
            if floor is not None or len(self.purged) > MAX_KNOWN_KEYS:
                # Known from `floor` on only: copies made before it are no longer trusted.
                self.epoch, self.floor, self.purged, self.everything_at = epoch, floor, {}, -1
                if floor is None:
                    self.floor = self.position
            self._note(lines)
            self.position = end
            self.generation = generation

    def _note(self, lines) -> None:
        for position, keys in lines:
            for key in keys:
                if key == EVERYTHING:
                    self.everything_at = position
                else:
                    self.purged[key] = position

    def stamp(self) -> tuple | None:
        """Where a copy made now starts from: (epoch, position); None before any reading."""
        if self.position is None:
            return None
        return (self.epoch, self.position)

    def is_fresh(self, made_at, keys: Iterable[str]) -> bool:
        """Whether a copy made at `made_at` (a `stamp()`) and showing `keys` is still current."""
        if made_at is None or self.position is None:
            return False
        epoch, position = made_at
        if epoch != self.epoch or not (self.floor <= position <= self.position):
            return False
        if self.everything_at > position:
            return False
        purged = self.purged
        return all(purged.get(key, -1) <= position for key in keys)


view = View()
