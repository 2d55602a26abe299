"""Editor-only reads of the API: articles that are not live, behind `articles.view_article`."""
