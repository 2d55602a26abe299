"""A webhook receiver for the tests: an HTTP server on 127.0.0.1 in a thread of its own that
checks each delivery's signature the way the Standard Webhooks specification tells receivers to,
with its own code (not the project's), and keeps what it accepted.

`down = True` makes it answer 503 (a receiver that is down), `status` sets any other answer.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60


def verify(secret: str, headers, body: bytes) -> bool:
    """The receiver's check: the timestamp is recent, and one of the v1 signatures is
    base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)) with key = base64 after whsec_."""
    message_id, stamp, signatures = headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"]
    if not (message_id and stamp and signatures) or abs(time.time() - int(stamp)) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, f"{message_id}.{stamp}.".encode() + body, hashlib.sha256).digest())
    for entry in signatures.split(" "):
        version, _, value = entry.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return True
    return False


class Receiver:
    def __init__(self):
        self.secret = "whsec_" + base64.b64encode(b"receiver-test-key-0123456789abcd").decode()
        self.accepted: list[dict] = []  # {"id", "timestamp", "body", "headers"} of each 2xx answer
        self.tries = 0
        self.tried: list[str] = []  # webhook-id of every request, answered or not
        self.down = False
        self.status = 200
        self.delay = 0.0  # seconds before each answer (a slow receiver)
        self.bad_signatures = 0
        self.failing_ids: set[str] = set()  # webhook-ids answered 500 whatever `status` says
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.tries += 1
                receiver.tried.append(self.headers["webhook-id"])
                time.sleep(receiver.delay)
                if receiver.down:
                    return self._answer(503, b"down for maintenance")
                if not verify(receiver.secret, self.headers, body):
                    receiver.bad_signatures += 1
                    return self._answer(401, b"bad signature")
                if self.headers["webhook-id"] in receiver.failing_ids:
                    return self._answer(500, b"cannot take this one")
                if receiver.status < 300:
                    receiver.accepted.append(
                        {
                            "id": self.headers["webhook-id"],
                            "timestamp": int(self.headers["webhook-timestamp"]),
                            "body": json.loads(body),
                            "headers": {name.lower(): value for name, value in self.headers.items()},
                            "path": self.path,
                        }
                    )
                self._answer(receiver.status, b"thanks" * 200)

            def _answer(self, status, text):
                self.send_response(status)
                self.send_header("content-length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/newsroom?src=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def types(self) -> list[str]:
        return [entry["body"]["type"] for entry in self.accepted]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
