"""`/preview/<token>/`: share-preview links, readable logged out until they expire or are revoked."""

from django.urls import path

from articles.desk import preview

urlpatterns = [
    path("<str:token>/", preview.shared_preview, name="shared-preview"),
]
