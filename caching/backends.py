"""Cache backends: the embedded default's shared file cache, and a Redis cache the site outlives.

`SharedFileCache` is Django's FileBasedCache (every process of the machine sees the same
files) with *stamps*: small numbers every process reads on every request (the content
generation), each in a file of its own, read with one open and read (a few microseconds, a
tenth of a FileBasedCache look-up), and replaced whole by a new random number when they change.

`ResilientRedisCache`: when Redis is unreachable, the cache just misses.

Everything the site keeps in its cache (pages, the navigation, the content generation, the
API throttle's history) can be recomputed from the database, so an unreachable Redis must cost
speed, never a 500. `ResilientRedisCache` is Django's RedisCache with every operation guarded:

- a Redis error (refused or timed-out connection, a Redis still loading, out of memory...)
  makes reads miss (their default), writes do nothing and `add` / `touch` / `delete` answer
  False, `incr` / `decr` 0;
- after a failure the cache is left alone for `RETRY_SECONDS` (default 5): during that back-off
  no call waits for a connection, then the next call tries Redis again, so service comes back
  by itself once Redis answers;
- one warning is logged when Redis becomes unreachable and at most one a minute
  (`WARN_EVERY_SECONDS`) while it stays so, by whichever process of the machine finds it first
  (a marker file in the temporary folder tells the others), and one line per process when it
  answers again;
- when it answers again `cache_reachable_again` is sent, before the call that found it back
  runs: writes were dropped meanwhile (an editor's change could not move the content
  generation), so receivers bring what they keep in the cache up to date (caching.generations starts
  a new generation).

Set small socket timeouts in OPTIONS (`socket_connect_timeout`, `socket_timeout`; settings.py
does) so that a Redis host that does not answer costs a fraction of a second once per back-off.
The state is kept per process and per Redis location, shared by the threads of a process.
"""

import contextlib
import hashlib
import logging
import os
import secrets
import tempfile
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.dispatch import Signal

logger = logging.getLogger("caching.generations")

# Sent with `cache=<the backend>` when Redis answers again after being unreachable.
cache_reachable_again = Signal()


class SharedFileCache(FileBasedCache):
    """FileBasedCache plus stamps: numbers shared by every process, cheap to read.

    A stamp is a random 48-bit number that changes (to another random number) when `new_stamp`
    is called; a reader only needs to know whether it changed. `clear()` gives every stamp a
    new number too, so whatever was keyed by the old ones is gone with the files. Stamp files are
    not cache entries: culling never removes them.
    """

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self.stamp_prefix = os.path.join(os.path.abspath(dir), f"{self.key_prefix or 'default'}-")

    def _stamp_path(self, name: str) -> str:
        return f"{self.stamp_prefix}{name}.stamp"

    def read_stamp(self, name: str) -> int:
        """The stamp's current number (a new one if it has none yet)."""
        try:
            fd = os.open(self._stamp_path(name), os.O_RDONLY)
        except FileNotFoundError:
            return self._first_stamp(name)
        try:
            data = os.read(fd, 16)
        finally:
            os.close(fd)
        return int.from_bytes(data, "big") if len(data) == 8 else self._first_stamp(name)

    def new_stamp(self, name: str) -> int:
        """Give the stamp a new number, replacing its file whole (readers see old or new)."""
        number = secrets.randbits(48)
        self._write_stamp(name, number, replace=True)
        return number

    def _first_stamp(self, name: str) -> int:
        # Two processes starting at once both write one; the first file made wins.
        self._write_stamp(name, secrets.randbits(48), replace=False)
        with open(self._stamp_path(name), "rb") as stamp:
            return int.from_bytes(stamp.read(8), "big")

    def _write_stamp(self, name: str, number: int, *, replace: bool) -> None:
        os.makedirs(os.path.dirname(self.stamp_prefix), mode=0o700, exist_ok=True)
        fd, tmp_path = tempfile.mkstemp(dir=os.path.dirname(self.stamp_prefix), suffix=".tmp")
        try:
            os.write(fd, number.to_bytes(8, "big"))
            os.close(fd)
            if replace:
                os.replace(tmp_path, self._stamp_path(name))
            else:
                with contextlib.suppress(FileExistsError):  # another process wrote it first
                    os.link(tmp_path, self._stamp_path(name))
        finally:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)

    def clear(self):
        from caching.purges import LOG_FILE

        super().clear()
        with contextlib.suppress(FileNotFoundError):  # the purge log starts again with the pages
            os.remove(f"{self.stamp_prefix}{LOG_FILE}")
        directory = os.path.dirname(self.stamp_prefix)
        prefix = os.path.basename(self.stamp_prefix)
        for entry in os.scandir(directory) if os.path.isdir(directory) else ():
            if entry.name.startswith(prefix) and entry.name.endswith(".stamp"):
                self.new_stamp(entry.name[len(prefix) : -len(".stamp")])


class _Health:
    """Whether one Redis location is reachable, as this process last found it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = None  # monotonic time of the next attempt while unreachable; None: reachable
        self.warned_at = None
        self.failures = 0


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _health_of(location: str) -> _Health:
    with _health_lock:
        return _health.setdefault(location, _Health())


class _ReusingRedisClient(RedisCacheClient):
    """Django's Redis client maker, keeping one redis-py client per connection pool instead of
    making one per call: making one builds its table of response callbacks (hundreds of
    entries), a twentieth of a millisecond that every cached page paid. Clients share their
    pool's connections and are safe to use from several threads."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, answering misses instead of errors while Redis is unreachable."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        # Ours, not the connection pool's: taken out before RedisCache hands OPTIONS to redis-py.
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        self.warn_every_seconds = float(options.pop("WARN_EVERY_SECONDS", 60))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = _ReusingRedisClient
        self.location = server if isinstance(server, str) else ",".join(server)
        self.health = _health_of(self.location)

    # -- the guard -------------------------------------------------------------------------

    def _guarded(self, fallback, operation, *args, **kwargs):
        import redis

        health = self.health
        if health.retry_at is not None:
            if time.monotonic() < health.retry_at:
                return fallback
            if not self._came_back():
                return fallback
        try:
            return operation(*args, **kwargs)
        except redis.RedisError as error:
            self._went_down(error)
            return fallback

    def _came_back(self) -> bool:
        """After the back-off: ask Redis once; when it answers, say so and tell the receivers."""
        import redis

        health = self.health
        with health.lock:
            if health.retry_at is None:  # another thread found it back meanwhile
                return True
            health.retry_at = time.monotonic() + self.retry_seconds  # other threads keep missing
        try:
            super().has_key("newsroom:probe")
        except redis.RedisError as error:
            self._went_down(error)
            return False
        with health.lock:
            health.retry_at = None
            failures, health.failures, health.warned_at = health.failures, 0, None
        with contextlib.suppress(OSError):
            os.remove(self._marker())  # the next outage is news again
        logger.warning(
            "The cache at %s answers again (%d failed attempts); caching resumes.", self._safe_location(), failures
        )
        cache_reachable_again.send(sender=type(self), cache=self)
        return self.health.retry_at is None

    def _went_down(self, error) -> None:
        health = self.health
        now = time.monotonic()
        with health.lock:
            health.retry_at = now + self.retry_seconds
            health.failures += 1
            warn = health.warned_at is None or now - health.warned_at >= self.warn_every_seconds
            if warn:
                health.warned_at = now
        if warn and self._warned_elsewhere():
            return
        if warn:
            logger.warning(
                "The cache at %s is unreachable (%s: %s); serving from the database without it, retrying every %g s.",
                self._safe_location(),
                type(error).__name__,
                error,
                self.retry_seconds,
            )

    def _marker(self) -> str:
        digest = hashlib.sha256(self.location.encode()).hexdigest()[:16]
        return os.path.join(tempfile.gettempdir(), f"newsroom-cache-outage-{digest}")

    def _warned_elsewhere(self) -> bool:
        """Whether another process of this machine (a gunicorn worker) warned less than
        WARN_EVERY_SECONDS ago; if not, this one is about to, and says so in the marker file."""
        marker = self._marker()
        try:
            if time.time() - os.stat(marker).st_mtime < self.warn_every_seconds:
                return True
            os.utime(marker)
        except FileNotFoundError:
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                return True  # another process made it just now, and warns
        except OSError:
            pass  # no usable temporary folder: each process warns for itself
        return False

    def _safe_location(self) -> str:
        """The location without a password, for the log."""
        from urllib.parse import urlsplit

        parts = []
        for location in self.location.split(","):
            url = urlsplit(location)
            host = url.hostname or ""
            parts.append(f"{url.scheme}://{host}{f':{url.port}' if url.port else ''}{url.path}")
        return ",".join(parts)

    def with_client(self, fallback, function):
        """`function(client)` with this cache's redis-py client (for commands the cache API
        lacks: caching.purges' log), guarded like every other call: `fallback` while Redis
        is unreachable."""
        return self._guarded(fallback, lambda: function(self._cache.get_client(write=True)))

    # -- the cache API, each call guarded -------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded(0, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded(None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded(False, super().clear)
