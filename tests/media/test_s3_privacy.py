"""On S3, media are not readable until public (issue #13, item 3): objects are stored private,
and the site's gated file URL redirects to a short-lived signature only for public items or staff.
Runs against moto's S3 server on 127.0.0.1, like test_s3.py."""

import urllib.error
import urllib.request

import boto3
import pytest

from media.ingest import ingest_bytes
from media.samples import draw_photo
from tests.factories import ArticleFactory

BUCKET = "newsroom-private-test"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def private_s3(settings, s3_endpoint, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "media.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
                "querystring_auth": False,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=entry["Key"])
    client.delete_bucket(Bucket=BUCKET)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read()


def grantees(client, key) -> set:
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return {grant["Grantee"].get("URI") or grant["Grantee"].get("ID") for grant in grants}


def test_objects_are_private_and_read_through_the_gated_url(private_s3, client, editor):
    data = draw_photo(300, 200, seed=61)
    photo = ingest_bytes(data, filename="s3.jpg", title="Held back")
    story = ArticleFactory(lead_media=photo, draft=True)
    key = photo.file.name
    data = private_s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()  # as stored (metadata stripped)
    assert not any("AllUsers" in str(who) for who in grantees(private_s3, key))
    assert photo.url == f"/media/{key}"  # the site's address, not the bucket's
    # Readers: 404 while only a draft uses it.
    assert client.get(photo.url).status_code == 404
    assert client.get(f"/media-renditions/{photo.pk}/w320.jpeg").status_code == 404
    # Staff: a short-lived signed URL that S3 answers.
    staff = type(client)()
    staff.force_login(editor)
    answer = staff.get(photo.url)
    assert answer.status_code == 302 and "Signature" in answer["Location"]
    assert "no-store" in answer["Cache-Control"]
    assert fetch(answer["Location"]) == data
    rendition = staff.get(staff.get(f"/media-renditions/{photo.pk}/w320.jpeg")["Location"])
    assert rendition.status_code == 302 and "Signature" in rendition["Location"]
    # Once the story is live, readers get the signed redirect too.
    from articles import actions

    actions.publish(actor=editor, article=story)
    answer = client.get(photo.url)
    assert answer.status_code == 302 and fetch(answer["Location"]) == data
