"""The server itself: health, metrics, limits, access log, restart, shutdown."""
import http.client
import json
import os
import socket
import subprocess
import tempfile
import threading

import harness
LOCAL = harness.LOCAL_ADDRESS
# A proxy's address that is not this machine's.
OTHER = "198.51.100.254" if LOCAL != "198.51.100.254" else "198.51.100.253"


def read_until(sock, done):
    """What `sock` receives until done(data) or the peer closes."""
    data = b""
    while not done(data):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


class ServerBasics(harness.ServerCase):
    def test_healthz(self):
        status, headers, doc = self.server.get_json("/healthz")
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["status"], "ok")
        self.assertEqual(doc["database"], self.BACKEND)

    def test_metrics_count_requests_per_route(self):
        for _ in range(3):
            self.server.request("GET", "/api/v1/units/00004")
        status, headers, body = self.server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain"), headers)
        text = body.decode()
        lines = [l for l in text.splitlines()
                 if l.startswith("motcua_http_requests_total{") and 'route="/api/v1/units/{code}"' in l
                 and 'status="200"' in l]
        self.assertTrue(lines, text[:2000])
        self.assertGreaterEqual(float(lines[0].rsplit(" ", 1)[1]), 3)
        self.assertIn("motcua_http_request_duration_seconds_bucket{", text)

    def test_unknown_route_is_404_problem_and_wrong_method_405(self):
        status, headers, body = self.server.request("GET", "/api/v1/nothing-here")
        self.assertProblem(status, headers, body, 404)
        status, headers, body = self.server.request("DELETE", "/api/v1/units/00004")
        self.assertProblem(status, headers, body, 405)
        self.assertIn("GET", headers.get("allow", ""))

    def test_oversized_body_is_413(self):
        big = b"x" * (3 << 20)
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        try:
            s.sendall(b"POST /api/v1/units HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(big))
            try:
                s.sendall(big)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer and close before reading it all
            data = read_until(s, lambda d: b"\r\n\r\n" in d)
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:200])
        self.assertIn(b"application/problem+json", data)

    def test_garbage_request_is_400(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        try:
            s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
            data = s.recv(65536)
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 400"), data[:200])

    def test_a_body_framed_by_an_unknown_transfer_encoding_is_refused_and_closed(self):
        # Without chunked as the last coding the body's end is unknown (RFC
        # 9112 6.3): read as the next request, it would be smuggled past a
        # proxy that frames it otherwise. One 400, then the connection closes.
        smuggled = b"GET /api/v1/units/00004 HTTP/1.1\r\nHost: t\r\n\r\n"
        for coding in (b"gzip", b"chunked, gzip", b"identity"):
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
            try:
                s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\n"
                          b"Content-Type: application/json\r\nTransfer-Encoding: " + coding +
                          b"\r\n\r\n" + smuggled)
                data = read_until(s, lambda d: False)  # to the close
            finally:
                s.close()
            self.assertTrue(data.startswith(b"HTTP/1.1 400"), (coding, data[:300]))
            self.assertIn(b"application/problem+json", data)
            self.assertIn(b"Transfer-Encoding", data)
            self.assertEqual(data.count(b"HTTP/1.1 "), 1, (coding, data))

    def head_only(self, path, headers):
        """Sends a POST's head announcing a 15 MB body and no body; returns
        what the server answers before it closes (or b"" on a timeout)."""
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            s.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: t\r\nContent-Length: 15000000\r\n"
                      b"Expect: 100-continue\r\n" + headers + b"\r\n")
            return read_until(s, lambda d: b"\r\n\r\n" in d)
        except socket.timeout:
            return b""
        finally:
            s.close()

    def test_a_large_upload_is_refused_before_its_body_when_nobody_signed_in(self):
        # Uploads and imports take megabytes: who asks is checked on the head,
        # before 100 Continue and before any byte of the body is read.
        for path in (b"/api/v1/attachments", b"/api/v1/procedures/import"):
            data = self.head_only(path, b"Content-Type: application/octet-stream\r\n")
            self.assertTrue(data.startswith(b"HTTP/1.1 401"), (path, data[:200]))
            self.assertIn(b"application/problem+json", data)
        token = self.server.token("citizen").encode()
        data = self.head_only(b"/api/v1/procedures/import", b"Authorization: Bearer " + token + b"\r\n")
        self.assertTrue(data.startswith(b"HTTP/1.1 403"), data[:200])
        # Signed in and allowed: the server asks for the body.
        data = self.head_only(b"/api/v1/attachments", b"Authorization: Bearer " + token + b"\r\n")
        self.assertTrue(data.startswith(b"HTTP/1.1 100 Continue"), data[:200])

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        c = self.server.conn()
        try:
            for code in ["00004", "00008", "01"]:
                c.request("GET", "/api/v1/units/" + code)
                r = c.getresponse()
                self.assertEqual(r.status, 200)
                self.assertEqual(json.loads(r.read())["code"], code)
        finally:
            c.close()

    def test_concurrent_clients(self):
        errors = []

        def worker():
            try:
                for _ in range(20):
                    status, _, _ = self.server.request("GET", "/api/v1/units/resolve?q=ba%20dinh%20ha%20noi")
                    if status != 200:
                        errors.append(status)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])

    def test_threads_are_named_for_operators(self):
        # `top -H` and `ps -L` show these names: the committer, its answerer,
        # the access log's writer, the three periodic jobs, the checkpointer
        # (SQLite) and the HTTP workers. The main thread keeps the program's name.
        pid = self.server.proc.pid
        names = set()
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/comm", encoding="utf-8") as f:
                names.add(f.read().strip())
        expected = {"commit", "answer", "access-log", "session-purge", "deadline-sweep",
                    "stats-recount"}
        if self.BACKEND == "sqlite":
            expected.add("checkpoint")
        if (os.cpu_count() or 1) > 1:
            expected.add("http-1")
        self.assertLessEqual(expected, names)
        self.assertEqual(names - expected - {"motcua"} - {n for n in names if n.startswith("http-")},
                         set(), "a thread without a name")

    def test_access_log_is_json_without_query_strings(self):
        self.server.request("GET", "/api/v1/units/resolve?q=secret%20address")
        self.server.request("GET", "/healthz")
        # The log is written by a background thread: poll briefly.
        import time
        for _ in range(50):
            entries = self.server.access_log()
            if any(e.get("path") == "/api/v1/units/resolve" for e in entries):
                break
            time.sleep(0.1)
        hits = [e for e in entries if e.get("path") == "/api/v1/units/resolve"]
        self.assertTrue(hits, entries[-5:])
        for key in ("time", "method", "status", "duration_ms", "request_id"):
            self.assertIn(key, hits[0])
        with open(self.server.log.name, encoding="utf-8") as f:
            self.assertNotIn("secret", f.read())


class Lifecycle(harness.ServerCase):
    """Restart on an imported database, and the migrate/import commands."""

    def test_restart_changes_nothing_and_migrate_is_idempotent(self):
        url = self.DB_URL(type(self).__name__)
        _, _, before = self.server.get_json("/api/v1/units?level=province&limit=100")
        self.assertEqual(self.server.stop(), 0)
        out = subprocess.run([harness.ARGS.binary, "migrate", "--db", url],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("0 migrations applied", out.stdout + out.stderr)
        again = harness.Server(url)
        try:
            log = "".join(again.stderr_lines)
            self.assertNotIn("importing reference data", log)
            _, _, after = again.get_json("/api/v1/units?level=province&limit=100")
            self.assertEqual(before, after)
        finally:
            self.assertEqual(again.stop(), 0)
        type(self).server = None

    def test_checks_of_a_database_that_is_not_there_fail_and_create_nothing(self):
        # A mistyped path is not a new empty database that passes every check.
        missing = os.path.join(tempfile.mkdtemp(prefix="motcua-missing-"), "typo.db")
        for args in (["stats", "verify"], ["stats", "rebuild"], ["audit", "verify"],
                     ["deadlines", "sweep"]):
            out = subprocess.run([harness.ARGS.binary, *args, "--db", "sqlite:" + missing,
                                  "--data", harness.ARGS.data],
                                 capture_output=True, text=True, timeout=120)
            self.assertNotEqual(out.returncode, 0, args)
            self.assertIn("no database at", out.stderr, args)
            self.assertFalse(os.path.exists(missing), args)

    def test_a_sweep_interval_past_a_day_is_refused_at_start(self):
        for every in ("86401", "10000000000", "-1", "x"):
            out = subprocess.run([harness.ARGS.binary, "serve", "--listen", "127.0.0.1:0",
                                  "--db", "sqlite::memory:", "--data", harness.ARGS.data,
                                  "--sweep-every", every],
                                 capture_output=True, text=True, timeout=60)
            self.assertNotEqual(out.returncode, 0, every)
            self.assertIn("--sweep-every", out.stderr, every)
            self.assertIn("0..86400", out.stderr, every)

    def test_bad_database_url_fails_with_a_clear_message(self):
        out = subprocess.run([harness.ARGS.binary, "migrate", "--db", "mysql://nope"],
                             capture_output=True, text=True, timeout=60)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("sqlite:", out.stderr)

    def test_port_in_use_fails_with_a_clear_message(self):
        out = subprocess.run([harness.ARGS.binary, "serve", "--listen", f"127.0.0.1:{self.server.port}",
                              "--db", self.DB_URL("port-in-use"), "--data", harness.ARGS.data],
                             capture_output=True, text=True, timeout=120)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn(str(self.server.port), out.stderr)


class ForwardedProtoNotBelievedIsLogged(harness.ServedOffLoopback, harness.ServerCase):
    """An X-Forwarded-Proto: https that is not believed (a TLS proxy on
    another machine, not named) costs its clients Secure cookies and HSTS:
    the server's log says so once for the peer and names the option."""
    WARNED = True

    def get(self, headers):
        c = http.client.HTTPConnection(LOCAL, self.server.port, timeout=30)
        try:
            c.request("GET", "/healthz", headers=headers)
            r = c.getresponse()
            r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}
        finally:
            c.close()

    def test_the_peer_is_named_once(self):
        for headers in ({"X-Forwarded-Proto": "https"}, {"X-Forwarded-Proto": "https"},
                        {"X-Forwarded-Proto": "http"}, {}):
            status, got = self.get(headers)
            self.assertEqual(status, 200)
            said_https = headers.get("X-Forwarded-Proto") == "https"
            self.assertEqual("strict-transport-security" in got, said_https and not self.WARNED, got)
        server = self.server
        self.assertEqual(server.stop(), 0)
        type(self).server = None
        log = "".join(server.stderr_lines).splitlines()
        english = [l for l in log if f"X-Forwarded-Proto: https from {LOCAL} is not believed" in l]
        vietnamese = [l for l in log if f"không tin X-Forwarded-Proto: https từ {LOCAL}" in l]
        expected = 1 if self.WARNED else 0
        self.assertEqual(len(english), expected, log)
        self.assertEqual(len(vietnamese), expected, log)
        for line in english + vietnamese:
            # With no proxy named, naming this one would end the loopback
            # default: the line says to name loopback too.
            if self.TRUSTED:
                self.assertTrue(line.endswith(f"--trusted-proxy {LOCAL}"), line)
            else:
                self.assertIn(f"--trusted-proxy {LOCAL} (", line)
                self.assertIn("--trusted-proxy 127.0.0.1 --trusted-proxy ::1", line)


class ForwardedProtoFromAPeerNotTheNamedProxyIsLogged(ForwardedProtoNotBelievedIsLogged):
    TRUSTED = ("--trusted-proxy", OTHER)


class ForwardedProtoFromTheNamedProxyIsNotLogged(ForwardedProtoNotBelievedIsLogged):
    TRUSTED = ("--trusted-proxy", LOCAL or "192.0.2.2")
    WARNED = False


if __name__ == "__main__":
    harness.run_suites([ServerBasics, Lifecycle, ForwardedProtoNotBelievedIsLogged,
                        ForwardedProtoFromAPeerNotTheNamedProxyIsLogged,
                        ForwardedProtoFromTheNamedProxyIsNotLogged])
