"""One POST of a delivery to the checked address, with short timeouts and a bounded read of the answer."""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from .ssrf import Target

EXCERPT_BYTES = 2000  # of the receiver's answer, kept in the delivery log
USER_AGENT = "omskevents-webhooks/1"


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address the SSRF guard checked, whatever the host name resolves to now."""

    def __init__(self, target: Target, *, connect_timeout: float, read_timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=connect_timeout)
        self.target = target
        self.read_timeout = read_timeout

    def connect(self) -> None:
        self.sock = socket.create_connection((self.target.address, self.port), self.timeout)
        self.sock.settimeout(self.read_timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """TLS to the checked address; the certificate is verified against the URL's host name (SNI as well)."""

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.target.host)


def post(
    target: Target, *, body: bytes, headers: dict[str, str], connect_timeout: float, read_timeout: float
) -> Answer:
    """POST `body` to the target; returns the status and the start of the answer. Raises OSError (timeouts,
    refused connections, TLS errors) and http.client.HTTPException (a garbled answer). Redirects are not
    followed: a 3xx is an answer like any other that is not 2xx."""
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    conn = cls(target, connect_timeout=connect_timeout, read_timeout=read_timeout)
    deadline = time.monotonic() + connect_timeout + read_timeout
    try:
        conn.request(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Content-Type": "application/json", "User-Agent": USER_AGENT, "Connection": "close"},
        )
        response = conn.getresponse()
        chunks: list[bytes] = []
        size = 0
        # Only the excerpt is read; a receiver that drips its answer is cut off at the deadline.
        while size < EXCERPT_BYTES and time.monotonic() < deadline:
            chunk = response.read1(EXCERPT_BYTES - size) if hasattr(response, "read1") else b""
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return Answer(status=response.status, excerpt=b"".join(chunks).decode("utf-8", "replace"))
    finally:
        conn.close()
