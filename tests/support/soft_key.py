"""A software security key for tests without a browser: makes real WebAuthn registration and assertion answers
(fmt "none", an ES256 key pair, a signature counter) that py_webauthn checks like a USB key's."""

import hashlib
import json
import os
import struct
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url


class SoftKey:
    def __init__(self, *, rp_id: str, origin: str) -> None:
        self.rp_id = rp_id
        self.origin = origin
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    @property
    def id(self) -> str:
        return bytes_to_base64url(self.credential_id)

    def _client_data(self, kind: str, challenge: str, origin: str | None = None) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _auth_data(self, *, attested: bool) -> bytes:
        self.counter += 1
        flags = 0x01 | 0x04 | (0x40 if attested else 0)  # user present, user verified, attested data
        data = hashlib.sha256(self.rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.counter)
        if attested:
            numbers = self.private.public_key().public_numbers()
            cose = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
            data += bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + cbor2.dumps(cose)
        return data

    def register(self, options: dict[str, Any], *, origin: str | None = None) -> dict[str, Any]:
        """The answer of navigator.credentials.create() to `options` (the publicKey of the server's JSON)."""
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": self._auth_data(attested=True)})
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["usb"],
            },
            "clientExtensionResults": {},
        }

    def sign_in(self, options: dict[str, Any], *, origin: str | None = None) -> dict[str, Any]:
        """The answer of navigator.credentials.get() to `options`."""
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = self._auth_data(attested=False)
        signature = self.private.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }
