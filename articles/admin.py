"""Django's admin autodiscovery imports `<app>.admin`; the articles' admin is part of the desk."""

from articles.desk import admin  # noqa: F401
