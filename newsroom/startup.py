"""What the web server checks once, while loading the site, before it answers anyone.

With DEBUG off, a forgotten deployment step used to show up only as a 500 on every page (no
`collectstatic`: the manifest storage cannot name a single stylesheet; no `migrate`: every
query fails). newsroom/wsgi.py and asgi.py load the site through `load_application()`, which
refuses to start instead, with one message naming the command that fixes it. `make serve` runs
those steps first, so it passes; a hand-written gunicorn or systemd line that skips them stops
at start.

The checks run only with DEBUG off: in development runserver serves static files from the
apps and warns about unapplied migrations itself.

Then `prepare_workers()` does, once, what every worker process would otherwise do on its first
requests, so that with `--preload` the forked workers share it instead of each paying for it
while readers wait (the "cold tail" of a freshly started or restarted server):

- Django fills its URL resolvers' reverse look-up tables on the first `reverse()` of a process
  (≈ 70 ms of CPU for this site's routes; every API answer and page reverses URLs);
- Python's garbage collector, at its first full collection in a worker, walks every object the
  site loaded (≈ 135,000) and writes to each one's header, which copies every memory page the
  worker shares with the master: 250-800 ms during which the worker answers nobody, several
  times during its first thousand requests. `gc.freeze()` after loading moves those objects out
  of the collector's sight (they live as long as the process anyway), so a worker's collections
  only walk what its requests made.
"""

import contextlib
import gc
import io
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class NotReadyToServe(RuntimeError):
    """The site must not start; the message says why and which command fixes it.

    A RuntimeError because gunicorn, when it loads the application before forking workers
    (`--preload`, as `make serve` does), prints such an error's message alone and exits 1.
    """


def manage_py(arguments):
    """The manage.py command line a user types in the project folder, with this interpreter."""
    python = Path(sys.executable)
    with contextlib.suppress(ValueError):  # an interpreter outside the project stays absolute
        python = python.relative_to(settings.BASE_DIR)
    return f"{python} manage.py {arguments}"


def database_problem():
    """Why the database is not ready for this code (unreachable, or migrations unapplied)."""
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    try:
        call_command("migrate", check_unapplied=True, verbosity=0)
    except SystemExit:
        return (
            f"The database ({connection.vendor}, {connection.settings_dict['NAME']}) has unapplied "
            "migrations, and pages would fail until they are applied. Run `make serve` (it "
            f"migrates before starting), or `{manage_py('migrate')}` before starting the server."
        )
    except DatabaseError as exc:
        return (
            f"The database ({connection.vendor}, {connection.settings_dict['NAME']}) cannot be used: "
            f"{str(exc).strip()}. Check DATABASE_URL and that the database server is running."
        )
    return None


def static_files_problem():
    """Which static files the storage cannot serve (not collected, or collected long ago)."""
    from django.apps import apps
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import FileSystemStorage

    on_disk = isinstance(staticfiles_storage, FileSystemStorage)
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    missing = []
    for finder in finders.get_finders():
        for path, _source in finder.list(ignore):
            try:
                staticfiles_storage.url(path)  # the manifest storage fails here without collectstatic
            except ValueError:
                missing.append(path)
                continue
            if on_disk and not staticfiles_storage.exists(path):
                missing.append(path)
    if not missing:
        return None
    missing = sorted(set(missing))
    return (
        f"Static files are not collected: {len(missing)} of them are missing from STATIC_ROOT "
        f"({settings.STATIC_ROOT}), e.g. {missing[0]}, and with DEBUG off pages would fail. Run "
        f"`make serve` (it collects them before starting), or `{manage_py('collectstatic --noinput')}` "
        "before starting the server."
    )


def system_check_problem():
    """Errors from Django's system checks (runserver runs them; gunicorn does not)."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", fail_level="ERROR", stdout=io.StringIO(), stderr=io.StringIO())
    except SystemCheckError as exc:
        return f"Django's system checks failed ({manage_py('check')} shows the same):\n{exc}"
    return None


def problems():
    """Every reason the site cannot serve pages now; empty when it can (or when DEBUG is on).

    The test settings turn the checks off (STARTUP_CHECKS = False): their database is made
    per run, after newsroom.wsgi may have been imported.
    """
    if settings.DEBUG or not getattr(settings, "STARTUP_CHECKS", True):
        return []
    from django.db import connections

    try:
        found = [system_check_problem(), database_problem(), static_files_problem()]
    finally:
        # Workers forked after this (gunicorn --preload) must not share the checking connection.
        connections.close_all()
    return [problem for problem in found if problem]


def warm_url_resolvers():
    """Fill the URL resolvers' look-up tables (per language) and compile their patterns."""
    from django.urls import Resolver404, get_resolver, resolve, reverse
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("healthz")  # the first reverse() fills the whole resolver tree's tables
    get_resolver().url_patterns  # noqa: B018 - imports and compiles the routes
    for path in ("/", "/api/v1/articles/1/", "/healthz"):
        with contextlib.suppress(Resolver404):
            resolve(path)


def prepare_workers():
    """Do once, before gunicorn forks its workers (`--preload`), what each worker would redo
    on its first requests; see the module docstring."""
    warm_url_resolvers()
    gc.collect()
    gc.freeze()


def load_application(factory):
    """Build the WSGI or ASGI application with `factory`, or raise NotReadyToServe."""
    try:
        application = factory()
    except ImproperlyConfigured as exc:
        if settings.configured:
            raise
        raise NotReadyToServe(f"Newsroom's settings could not be loaded: {exc}") from None
    found = problems()
    if found:
        raise NotReadyToServe("Newsroom cannot start:\n- " + "\n- ".join(found))
    if getattr(settings, "STARTUP_CHECKS", True):  # the test settings leave the test process alone
        prepare_workers()
    return application
