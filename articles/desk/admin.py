"""The editors' admin, registered by importing this module (articles/admin.py does, for Django's
autodiscovery):

    article_admin    articles: the list, the change form and its publishing desk (views.py)
    taxonomy_admin   sections and tags
    records_admin    revisions, the audit log, share links, staff profiles
    forms            the article form, choosers marking stubs, the related-items inline
    conflicts        the screen a stale save gets: their text beside the current version

Every change made here goes through `articles.actions`.
"""

from articles.desk import article_admin, records_admin, taxonomy_admin
from articles.desk.article_admin import ArticleAdmin
from articles.desk.forms import ArticleForm, choice_label, video_problem

__all__ = [
    "ArticleAdmin",
    "ArticleForm",
    "article_admin",
    "choice_label",
    "records_admin",
    "taxonomy_admin",
    "video_problem",
]
