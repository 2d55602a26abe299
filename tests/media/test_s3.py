"""The S3 path of storage, against moto's S3-compatible server on 127.0.0.1."""

import io

import boto3
import pytest
from PIL import Image

from media import renditions
from media.ingest import ingest_bytes
from media.samples import draw_photo, encode_clip

BUCKET = "newsroom-media-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint, monkeypatch):
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
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
    listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for entry in listing:
        client.delete_object(Bucket=BUCKET, Key=entry["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client):
    return sorted(entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db
def test_s3_round_trip_ingest_rendition_read_back_and_dedupe(s3_storage, s3_endpoint):
    data = draw_photo(900, 600, seed=31)
    item = ingest_bytes(data, filename="s3.jpg", title="Stored in S3")
    assert keys(s3_storage) == [item.file.name]
    assert item.file.url.startswith(f"{s3_endpoint}/{BUCKET}/library/")

    made = renditions.get_or_create_rendition(item, "1x1-w320", "webp")
    body = s3_storage.get_object(Bucket=BUCKET, Key=made.file.name)["Body"].read()
    image = Image.open(io.BytesIO(body))
    assert image.format == "WEBP" and image.size == (320, 320)
    assert made.url == f"{s3_endpoint}/{BUCKET}/{made.file.name}"

    with item.file.open("rb") as fh:
        assert Image.open(io.BytesIO(fh.read())).size == (900, 600)

    again = ingest_bytes(data, filename="copy.jpg")
    assert again.pk == item.pk
    assert len(keys(s3_storage)) == 2  # the original and one rendition: no second copy


@pytest.mark.django_db
def test_s3_video_and_poster(s3_storage):
    video = ingest_bytes(encode_clip(seconds=1, seed=32), filename="v.mp4")
    assert set(keys(s3_storage)) == {video.file.name, video.poster.file.name}
    assert renditions.get_or_create_rendition(video, "w320", "jpeg").file.name in keys(s3_storage)
