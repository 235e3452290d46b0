"""A local HTTP server for the aiohttp rewrite tests: 127.0.0.1 only, a free port printed on the first line.

Routes: /page/NAME (text, UTF-8 declared), /json/NAME (JSON), /status/CODE (that status, a short text body),
/bytes/N (N bytes). Exits when its stdin closes (the test that started it is gone) or after ten minutes.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.strip("/").split("/")
        kind, arg = (parts + [""])[:2]
        status, ctype = 200, "text/plain; charset=utf-8"
        if kind == "page":
            body = f"page {arg} é\n".encode()
        elif kind == "json":
            body = json.dumps({"name": arg, "value": len(arg)}).encode()
            ctype = "application/json"
        elif kind == "status" and arg.isdigit():
            status, body = int(arg), f"status {arg}".encode()
        elif kind == "bytes" and arg.isdigit():
            body, ctype = bytes(i % 251 for i in range(int(arg))), "application/octet-stream"
        else:
            status, body = 404, b"not found"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    threading.Timer(600, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
