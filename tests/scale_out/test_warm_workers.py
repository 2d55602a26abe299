"""Loading the WSGI application prepares what every forked worker would otherwise redo on its
first requests (newsroom.startup.prepare_workers): gunicorn's --preload workers then share it.
"""

import subprocess
import sys

from tests.servers import BASE_DIR, site_environment

PROBE = """
import gc
import newsroom.wsgi
from django.conf import settings
from django.urls import get_resolver
tables = get_resolver()._reverse_dict
print(sorted(code for code, _ in settings.LANGUAGES if code in tables), gc.get_freeze_count() > 50_000)
"""


def test_the_loaded_site_has_its_url_tables_filled_and_its_objects_frozen(tmp_path):
    env = site_environment(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] == "['ar', 'en', 'fa'] True"
