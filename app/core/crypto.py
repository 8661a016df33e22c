"""Application-level encryption of the few fields that must never be readable from a
database copy (IBANs). Fernet: AES-128-CBC with an HMAC-SHA256, from `cryptography`.

The key is DATA_KEY (production refuses to start without it). In development and tests it is
derived from SECRET_KEY so that nothing has to be set up."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def _fernet() -> Fernet:
    key = current_app.config.get("DATA_KEY") or ""
    if not key:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"parole data key"
        ).derive(current_app.config["SECRET_KEY"].encode())
        key = base64.urlsafe_b64encode(derived).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("This value cannot be read with the current DATA_KEY.") from exc
