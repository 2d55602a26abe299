"""The editors' admin, registered by importing this module (articles/admin.py does, for Django's
autodiscovery):

    article_admin    articles: the list, the change form and its publishing desk (views.py)
    taxonomy_admin   sections and tags
    authors_admin    authors (editors keep them), the article form's sortable byline inline
    records_admin    revisions, the audit log, share links, staff profiles
    forms            the article form, choosers marking stubs, the related-items inline
    conflicts        the screen a stale save gets: their text beside the current version
    index            the admin index as the desk: drafts, review, scheduled, published today

Every change made here goes through `articles.actions`.
"""

from django.contrib import admin

from articles.desk import article_admin, authors_admin, index, records_admin, taxonomy_admin
from articles.desk.article_admin import ArticleAdmin
from articles.desk.forms import ArticleForm, choice_label, video_problem

index.install(admin.site)

__all__ = [
    "ArticleAdmin",
    "ArticleForm",
    "article_admin",
    "authors_admin",
    "choice_label",
    "records_admin",
    "taxonomy_admin",
    "video_problem",
]
