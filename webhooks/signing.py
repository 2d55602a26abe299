"""Signatures of the Standard Webhooks specification (https://www.standardwebhooks.com/).

A secret is `whsec_` followed by the base64 of 24 to 64 random bytes; those bytes are the
HMAC-SHA256 key. Each delivery carries three headers: `webhook-id` (the event's message id, the
same on every retry, so a receiver can drop duplicates), `webhook-timestamp` (Unix seconds of
this attempt) and `webhook-signature`, `v1,` and the base64 of HMAC-SHA256 over
`{id}.{timestamp}.{body}`.
"""

import base64
import binascii
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
KEY_BYTES = 24
MIN_KEY_BYTES, MAX_KEY_BYTES = 24, 64


def new_secret() -> str:
    """A fresh random secret in the `whsec_<base64>` form."""
    return PREFIX + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def key_of(secret: str) -> bytes:
    """The HMAC key a secret stands for; ValueError saying what is wrong with it."""
    if not secret.startswith(PREFIX):
        raise ValueError("A secret starts with whsec_ followed by base64 (leave it empty to have one made).")
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("The part after whsec_ is not valid base64.") from None
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise ValueError(f"The secret must hold {MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes (base64 after whsec_).")
    return key


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one attempt."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Every header of one attempt, the content type included."""
    return {
        "content-type": "application/json",
        "user-agent": "Newsroom-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
