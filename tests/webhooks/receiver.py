"""A real HTTP receiver on loopback for the webhook tests: records every request, answers as told.

Behaviours, taken one per request from `script` (then `default`): "ok" (200), "error" (500), "hang" (hold the
answer until `release` is set or `hang_seconds` pass, then 200). `stop()` closes the port (the receiver is
down: connections are refused); `start()` opens it again on the same port.
"""

import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int | None  # the status written back (None: the answer could not be written)


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script: deque[str] = deque()
        self.default = "ok"
        self.hang_seconds = 30.0
        self.release = threading.Event()
        self.arrived = threading.Event()
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    # --- the server -------------------------------------------------------------------------------------
    def start(self) -> "Receiver":
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with owner._lock:
                    behaviour = owner.script.popleft() if owner.script else owner.default
                    record = Received(self.path, dict(self.headers.items()), body, None)
                    owner.received.append(record)
                owner.arrived.set()
                if behaviour == "hang":
                    owner.release.wait(owner.hang_seconds)
                status = 500 if behaviour == "error" else 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(b"accepted" if status == 200 else b"receiver error")
                    record.answered = status
                except OSError:
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    # --- what arrived ----------------------------------------------------------------------------------
    def event_ids(self) -> list[str]:
        return [r.headers.get("X-Omskevents-Event-Id", "") for r in self.received]

    def wait_for(self, n: int, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= n:
                return True
            time.sleep(0.05)
        return len(self.received) >= n
