"""ASGI entry point; the same start-up checks as newsroom/wsgi.py."""

import os

from django.core.asgi import get_asgi_application

from newsroom.startup import load_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = load_application(get_asgi_application)
