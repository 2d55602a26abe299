"""Uploads and image decoding stay within a memory bound, whatever is sent.

A real gunicorn worker (one process, one thread) takes API uploads; its peak resident memory
(VmHWM, reset before each upload through /proc/<pid>/clear_refs) is compared with its
resident memory just before. Before the fix an upload was read whole into memory (a 2 GB
upload cost 2,181 MB) and a 7000×7000 PNG cost +373 MB to decode; now any upload grows the
worker by at most 100 MB and any image, accepted or refused, by at most 150 MB. An upload
whose declared size is over the limit is refused with 413 before its body is read.
"""

import http.client
import io
import json
import os
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from PIL import Image

from media.samples import encode_clip
from tests.servers import manage, shell, site_environment, start_gunicorn, stop

MB = 1024 * 1024
UPLOAD_LIMIT = 400 * MB  # MEDIA_MAX_UPLOAD_BYTES of the server under test
BIG_UPLOAD = 250 * MB
UPLOAD_GROWTH_LIMIT = 100 * MB  # issue #13 item 8
IMAGE_GROWTH_LIMIT = 150 * MB  # issue #13 item 12
BOUNDARY = "reliability-boundary-7f3a"
ADMIN_PASSWORD = "memory-test-desk-password"


class Worker:
    """The gunicorn server and its single worker process, whose memory is measured."""

    def __init__(self, port, token, server):
        self.port, self.token, self.server = port, token, server

    @property
    def pid(self) -> int:
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children").read_text().split()
        assert len(children) == 1, children
        return int(children[0])

    def memory(self, field: str) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise AssertionError(f"{field} missing")

    def peak_growth(self, action):
        """(result of `action`, the worker's peak memory growth in bytes while it ran)."""
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")  # resets the peak (VmHWM) to now
        before = self.memory("VmRSS")
        result = action()
        return result, self.memory("VmHWM") - before

    def upload(self, filename: str, parts, size: int, content_length: int | None = None, timeout: float = 120):
        """POST a file to the media API as multipart, its bytes streamed from `parts`."""
        return self.post_file(
            "/api/v1/media/",
            {"Authorization": f"Token {self.token}"},
            {"title": "Upload test"},
            filename,
            parts,
            size,
            content_length=content_length,
            timeout=timeout,
        )

    def post_file(self, url, headers, fields, filename, parts, size, content_length=None, timeout: float = 120):
        """POST `fields` and a file as multipart to `url`, the file's bytes streamed from `parts`;
        returns (status, headers, body)."""
        head = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ) + (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        head = head.encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.putrequest("POST", url)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
            connection.putheader("Content-Length", str(content_length or len(head) + size + len(tail)))
            connection.endheaders()
            try:
                connection.send(head)
                for part in parts:
                    connection.send(part)
                connection.send(tail)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered (refused) before taking the whole body
            response = connection.getresponse()
            if url.startswith("/api/"):
                return response.status, response.read()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def request(self, method, url, cookies, body=None, headers=None):
        """A plain request with the session's cookies; (status, headers, body), cookies updated."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            all_headers = {"Cookie": cookie_header(cookies), **(headers or {})}
            connection.request(method, url, body=body, headers=all_headers)
            response = connection.getresponse()
            remember_cookies(cookies, response.headers)
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def admin_session(self) -> dict:
        """Sign the media desk (staff with the media permissions) into the admin: the cookies."""
        cookies = {}
        status, _, _ = self.request("GET", "/admin/login/", cookies)
        assert status == 200 and "csrftoken" in cookies
        form = urlencode(
            {
                "csrfmiddlewaretoken": cookies["csrftoken"],
                "username": "media-desk",
                "password": ADMIN_PASSWORD,
                "next": "/admin/",
            }
        )
        status, headers, body = self.request(
            "POST",
            "/admin/login/",
            cookies,
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 302 and "sessionid" in cookies, body[:500]
        return cookies


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def remember_cookies(cookies: dict, headers) -> None:
    for line in headers.get_all("Set-Cookie") or []:
        morsels = SimpleCookie()
        morsels.load(line)
        for name, morsel in morsels.items():
            cookies[name] = morsel.value


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("memory")
    env = site_environment(
        tmp_path,
        SECRET_KEY="memory-test",
        MEDIA_MAX_UPLOAD_BYTES=str(UPLOAD_LIMIT),
        TMPDIR=str(tmp_path),
    )
    manage(env, "migrate", "--noinput")
    token = shell(
        env,
        (
            "from django.contrib.auth.models import Permission, User\n"
            "from rest_framework.authtoken.models import Token\n"
            # Not a superuser, so that signing in takes a password only (no one-time code).
            f"desk = User.objects.create_user('media-desk', password='{ADMIN_PASSWORD}', is_staff=True)\n"
            "desk.user_permissions.set(Permission.objects.filter(content_type__app_label='media'))\n"
            "user = User.objects.create_user('desk', is_staff=True, is_superuser=True)\n"
            "print(Token.objects.create(user=user).key)\n"
        ),
    )

    def ready(port):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/api/v1/media/", headers={"Authorization": f"Token {token}"})
        return connection.getresponse().status == 200

    server, port = start_gunicorn(env, "--workers", "1", "--threads", "1", "--timeout", "120", ready=ready)
    served = Worker(port, token, server)
    # Warm up: the first upload imports PyAV and Pillow's plugins; that is not the upload's cost.
    clip = encode_clip(seconds=1.0, seed=3)
    served.upload("warm.mp4", [clip], len(clip))
    yield served
    print(stop(server)[-5000:])  # shown by pytest when the test fails


def zeros(total: int, chunk: int = 4 * MB):
    for start in range(0, total, chunk):
        yield bytes(min(chunk, total - start))


def test_a_large_video_upload_streams_to_disk(worker):
    clip = encode_clip(seconds=1.0, seed=7)
    padding = BIG_UPLOAD - len(clip)
    free_box = (padding).to_bytes(4, "big") + b"free"  # a top-level box every player skips
    parts = [clip, free_box, *zeros(padding - 8)]
    (status, body), growth = worker.peak_growth(lambda: worker.upload("big.mp4", parts, BIG_UPLOAD))
    print(f"{BIG_UPLOAD // MB} MB video upload: {status}, worker grew {growth / MB:.1f} MB")
    assert status == 201, body[:500]
    assert json.loads(body)["kind"] == "video"
    assert growth <= UPLOAD_GROWTH_LIMIT


def test_a_large_upload_of_a_refused_kind_costs_little_memory(worker):
    (status, body), growth = worker.peak_growth(lambda: worker.upload("big.mp4", zeros(BIG_UPLOAD), BIG_UPLOAD))
    print(f"{BIG_UPLOAD // MB} MB refused upload: {status}, worker grew {growth / MB:.1f} MB")
    assert status == 400
    assert "neither a JPEG, PNG or WebP image nor an MP4 video" in body.decode()
    assert growth <= UPLOAD_GROWTH_LIMIT


ADMIN_ADD = "/admin/media/mediaitem/add/"


def admin_upload(worker, cookies, filename, parts, size):
    """Upload a file through the media library's add form, as the signed-in desk."""
    fields = {"csrfmiddlewaretoken": cookies["csrftoken"], "title": "Admin upload", "focal_x": "0.5", "focal_y": "0.5"}
    headers = {"Cookie": cookie_header(cookies), "Referer": f"http://127.0.0.1:{worker.port}{ADMIN_ADD}"}
    return worker.post_file(ADMIN_ADD, headers, fields, filename, parts, size)


def test_a_large_video_uploaded_in_the_admin_streams_to_disk(worker):
    cookies = worker.admin_session()
    clip = encode_clip(seconds=1.0, seed=11)
    padding = BIG_UPLOAD - len(clip)
    parts = [clip, padding.to_bytes(4, "big") + b"free", *zeros(padding - 8)]
    (status, headers, body), growth = worker.peak_growth(
        lambda: admin_upload(worker, cookies, "admin-big.mp4", parts, BIG_UPLOAD)
    )
    print(f"{BIG_UPLOAD // MB} MB video upload in the admin: {status}, worker grew {growth / MB:.1f} MB")
    assert status == 302, body[-3000:]
    assert "/admin/media/mediaitem/" in headers["Location"]
    remember_cookies(cookies, headers)  # the "added" message may travel in a cookie
    status, _, page = worker.request("GET", headers["Location"], cookies)
    assert status == 200 and "was added successfully" in page.decode()
    assert growth <= UPLOAD_GROWTH_LIMIT


def test_a_large_refused_upload_in_the_admin_is_a_form_error_and_costs_little_memory(worker):
    cookies = worker.admin_session()
    (status, _, body), growth = worker.peak_growth(
        lambda: admin_upload(worker, cookies, "admin-zeros.mp4", zeros(BIG_UPLOAD), BIG_UPLOAD)
    )
    print(f"{BIG_UPLOAD // MB} MB refused upload in the admin: {status}, worker grew {growth / MB:.1f} MB")
    assert status == 200
    assert "“admin-zeros.mp4” is neither a JPEG, PNG or WebP image nor an MP4 video." in body.decode()
    assert growth <= UPLOAD_GROWTH_LIMIT


def test_an_upload_declared_over_the_limit_is_refused_before_its_body_is_read(worker):
    declared = 2 * 1024 * MB
    # Only a few bytes are sent: the answer comes without waiting for the two gigabytes.
    status, body = worker.upload("huge.mp4", [], 0, content_length=declared, timeout=10)
    assert status == 413
    detail = json.loads(body)["detail"]
    assert f"{declared:,}" in detail and f"{UPLOAD_LIMIT:,}" in detail


def encoded(width, height, fmt, **options) -> bytes:
    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


def bomb_png() -> bytes:
    """A small PNG whose header claims 60000×60000 pixels (one zlib stream of zeros)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width = height = 60_000
    rows = zlib.compress(bytes(width + 1) * 64, 9)  # a few rows; the header is what counts
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def noisy_png(width, height) -> bytes:
    """A PNG that hardly compresses (random pixels): its re-encoded copy is large too."""
    picture = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    picture.save(out, "PNG", compress_level=1)
    return out.getvalue()


@pytest.mark.parametrize(
    "case", ["png 7000x7000", "noisy png 5000x5000", "jpeg 12000x8000", "jpeg 7000x7000", "bomb png"]
)
def test_decoding_an_image_stays_within_the_memory_bound(worker, case):
    if case == "png 7000x7000":
        data, name = encoded(7000, 7000, "PNG", compress_level=1), "big.png"
    elif case == "noisy png 5000x5000":
        data, name = noisy_png(5000, 5000), "noisy.png"
    elif case == "jpeg 12000x8000":
        data, name = encoded(12000, 8000, "JPEG", quality=80), "wide.jpg"
    elif case == "jpeg 7000x7000":
        data, name = encoded(7000, 7000, "JPEG", quality=80), "square.jpg"
    else:
        data, name = bomb_png(), "bomb.png"
    (status, body), growth = worker.peak_growth(lambda: worker.upload(name, [data], len(data)))
    print(
        f"{case} ({len(data) / MB:.1f} MB file): {status}, worker grew {growth / MB:.1f} MB;"
        f" {json.loads(body).get('detail', '')[:160]}"
    )
    assert status in (201, 400), body[:500]
    if status == 400:  # refused: the reason names the limit
        assert "limit" in json.loads(body)["detail"]
    assert growth <= IMAGE_GROWTH_LIMIT
