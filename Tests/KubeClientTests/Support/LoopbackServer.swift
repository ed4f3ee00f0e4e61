import Foundation

/// A small HTTP/1.1 server (Python's http.server) on 127.0.0.1, started by tests that need real
/// sockets before the project's fake API server is used. Routes:
/// `/echo` (request as JSON, plus the client port, which identifies the connection),
/// `/status/<code>[?retryAfter=s]`, `/gzip`, `/slow?ms=N`, `/raw?body=...`,
/// `/watch?events=N&idle=1` (chunked, one JSON per line, lines split across chunks).
final class LoopbackServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("kubeclient-test-server-\(UUID().uuidString).py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw TestServerError(message: "test server did not report a port")
        }
        self.port = port
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    static let script = #"""
import gzip, json, sys, time, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def reply(self, code, body, ctype="application/json", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra: self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
    def handle_any(self):
        u = urlparse(self.path); q = parse_qs(u.query)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if u.path == "/echo":
            out = {"method": self.command, "path": self.path, "body": body.decode(),
                   "headers": {k.lower(): v for k, v in self.headers.items()}, "clientPort": self.client_address[1]}
            self.reply(200, json.dumps(out).encode())
        elif u.path.startswith("/status/"):
            code = int(u.path.split("/")[2])
            extra = [("Retry-After", q["retryAfter"][0])] if "retryAfter" in q else []
            st = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "test says %d" % code, "reason": "Test", "code": code}
            self.reply(code, json.dumps(st).encode(), extra=extra)
        elif u.path == "/gzip":
            raw = json.dumps({"compressed": "yes" * 200}).encode()
            if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                self.reply(200, gzip.compress(raw), extra=[("Content-Encoding", "gzip")])
            else:
                self.reply(200, raw)
        elif u.path == "/slow":
            time.sleep(int(q.get("ms", ["1000"])[0]) / 1000.0)
            self.reply(200, b"{}")
        elif u.path == "/raw":
            self.reply(int(q.get("code", ["200"])[0]), q.get("body", [""])[0].encode(), ctype=q.get("ctype", ["text/plain"])[0])
        elif u.path == "/watch" or "watch" in q:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            def chunk(b):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b)); self.wfile.flush()
            events = int(q.get("events", ["3"])[0])
            for i in range(events):
                line = json.dumps({"type": "ADDED", "object": {"metadata": {"name": "o%d" % i, "resourceVersion": str(i + 1)}}}).encode() + b"\n"
                half = len(line) // 2
                chunk(line[:half]); time.sleep(0.02); chunk(line[half:])
            if "idle" in q or "idle" in u.path:
                try:
                    while True:
                        time.sleep(0.2)
                except Exception:
                    return
            chunk(b"")
        else:
            self.reply(404, b'{"kind":"Status","code":404,"reason":"NotFound","message":"no route"}')
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any
    def do_HEAD(self):
        self.send_response(200); self.send_header("Content-Length", "10"); self.end_headers()

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
}

struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
