"""Keyed hashing of platform ids and authenticated encryption of what we must keep.

A copy of the database alone reveals no one: platform user ids are stored only as HMACs,
addresses, texts and answers only as Fernet tokens (AES-CBC + HMAC-SHA256). Keys come from
QAMQOR_SECRET_KEY, newest first; older keys still decrypt and still match hashes, which is
how a key is rotated without losing anybody's conversation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from base64 import urlsafe_b64encode
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["DecryptionError", "Vault"]


class DecryptionError(Exception):
    """A stored token was made with a key we no longer have, or was tampered with."""


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"qamqor/v1", info=purpose).derive(
        secret.encode()
    )


class Vault:
    def __init__(self, keys: Sequence[str]) -> None:
        keys = [k for k in (k.strip() for k in keys) if k]
        if not keys:
            raise ValueError("at least one secret key is needed")
        for key in keys:
            if len(key) < 16:
                raise ValueError("a secret key must be at least 16 characters long")
        self._fernet = MultiFernet(
            [Fernet(urlsafe_b64encode(_derive(k, b"encrypt"))) for k in keys]
        )
        self._hash_keys = [_derive(k, b"ref-hash") for k in keys]

    def ref_hash(self, channel: str, ref: str) -> str:
        """The stored stand-in for a platform user id (current key)."""
        return self._hash(self._hash_keys[0], channel, ref)

    def ref_hashes(self, channel: str, ref: str) -> list[str]:
        """Hashes under every key, newest first: a lookup that still finds rows of old keys."""
        return [self._hash(k, channel, ref) for k in self._hash_keys]

    @staticmethod
    def _hash(key: bytes, channel: str, ref: str) -> str:
        return hmac.new(key, f"{channel}\x1f{ref}".encode(), hashlib.sha256).hexdigest()

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode()
        except (InvalidToken, UnicodeError) as exc:
            raise DecryptionError(
                "stored value cannot be decrypted with the configured keys"
            ) from exc

    def encrypt_json(self, value: Any) -> str:
        return self.encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def decrypt_json(self, token: str) -> Any:
        return json.loads(self.decrypt(token))

    def rotate(self, token: str) -> str:
        """Re-encrypt a token under the newest key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")
