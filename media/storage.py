"""Private S3 storage: nothing in the bucket is readable by its own address.

Objects are stored with the `private` ACL. The URL the site hands out for a stored name is its
own gated file URL (MEDIA_URL + name, answered by `media.views.stored_file`), which checks that
the item is public (or the asker is staff) and then redirects to a presigned URL valid for
`querystring_expire` seconds (5 minutes unless set). So media of unpublished stories cannot
be read from S3 by anyone guessing, or reading, a key; and once public, pages keep working
whatever their age, since the URL in them never expires.
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

SIGNED_SECONDS = 300


class PrivateS3Storage(S3Storage):
    def __init__(self, **options):
        options.setdefault("default_acl", "private")
        options.setdefault("querystring_expire", SIGNED_SECONDS)
        options["querystring_auth"] = True  # a private object is only readable through a signature
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The site's gated URL for `name` (never the bucket's)."""
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"

    def signed_url(self, name) -> str:
        """A presigned URL for `name`, short-lived: what the gated view redirects to."""
        return super().url(name)
