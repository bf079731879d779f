"""A webhook receiver on a real socket, for the tests: records every request
and answers 500 to the first ``fail_first`` attempts of each message."""

import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict
    body: bytes
    status: int


@dataclass
class Receiver:
    fail_first: int = 0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def delivered(self) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.status == 200]

    def attempts_by_message(self) -> Counter:
        with self.lock:
            return Counter(r.headers["webhook-id"] for r in self.received)


def serve(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {name.lower(): value for name, value in self.headers.items()}
            with receiver.lock:
                earlier = sum(
                    1
                    for r in receiver.received
                    if r.headers.get("webhook-id") == headers.get("webhook-id")
                )
                status = 500 if earlier < receiver.fail_first else 200
                receiver.received.append(Received(headers, body, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
