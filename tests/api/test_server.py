"""The server itself: health, metrics, limits, access log, restart, shutdown."""
import http.client
import json
import os
import resource
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

import harness
from dossier_client import DossierClient
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


def terminate(proc, timeout=60):
    """Stops a server started here as an operator would (SIGTERM), killing it if it hangs."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


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

    def test_a_request_refused_as_too_large_is_logged_and_answered_with_its_path(self):
        # The request line was valid: its path (not its query) is the
        # problem's instance and the access log's path.
        token = self.server.token("citizen").encode()
        for target, auth in ((b"/api/v1/units?q=secret", b""),
                             (b"/api/v1/attachments?name=secret",
                              b"Authorization: Bearer " + token + b"\r\n")):
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
            try:
                s.sendall(b"POST " + target + b" HTTP/1.1\r\nHost: t\r\n" + auth +
                          b"Content-Type: application/octet-stream\r\n"
                          b"Content-Length: 2000000000\r\n\r\n")
                data = read_until(s, lambda d: False)  # to the close
            finally:
                s.close()
            self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:300])
            doc = json.loads(data.split(b"\r\n\r\n", 1)[1])
            path = target.split(b"?")[0].decode()
            self.assertEqual(doc["instance"], path, doc)
            self.assertIn("detail_vi", doc)
            for _ in range(50):
                hits = [e for e in self.server.access_log()
                        if e.get("status") == 413 and e.get("path") == path]
                if hits:
                    break
                time.sleep(0.1)
            self.assertTrue(hits, self.server.access_log()[-5:])
        with open(self.server.log.name, encoding="utf-8") as f:
            self.assertNotIn("secret", f.read())

    def test_head_is_counted_as_head(self):
        def count(text):
            for line in text.splitlines():
                if line.startswith('motcua_http_requests_total{route="/healthz",method="HEAD",'
                                   'status="200"}'):
                    return float(line.rsplit(" ", 1)[1])
            return 0
        before = count(self.server.request("GET", "/metrics")[2].decode())
        status, _, body = self.server.request("HEAD", "/healthz")
        self.assertEqual((status, body), (200, b""))
        # Counted once the answer is written, so a read on another connection
        # right after may come first: wait for it a little.
        for _ in range(50):
            after = count(self.server.request("GET", "/metrics")[2].decode())
            if after == before + 1:
                break
            time.sleep(0.1)
        self.assertEqual(after, before + 1)

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

    def test_a_request_without_exactly_one_host_is_400_and_closed(self):
        # RFC 9112 3.2: an HTTP/1.1 request names exactly one Host, and no
        # request two. An HTTP/1.0 client may leave it out.
        def send(raw):
            """The answer to `raw` up to the close, and whether the server closed."""
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
            data, closed = b"", True
            try:
                s.sendall(raw)
                while chunk := s.recv(65536):
                    data += chunk
            except socket.timeout:
                closed = False
            finally:
                s.close()
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            headers = dict(line.lower().split(": ", 1) for line in lines[1:])
            return int(lines[0].split()[1]), headers, body, closed
        for raw in (b"GET /api/v1/units/00004 HTTP/1.1\r\n\r\n",
                    b"GET /api/v1/units/00004 HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n",
                    b"GET /api/v1/units/00004 HTTP/1.0\r\nHost: a.example\r\nHost: b.example\r\n\r\n",
                    # The second request is not answered: the connection closes after the 400.
                    b"GET /api/v1/units/00004 HTTP/1.1\r\n\r\n"
                    b"GET /api/v1/units/00004 HTTP/1.1\r\nHost: t\r\n\r\n"):
            status, headers, body, closed = send(raw)
            doc = self.assertProblem(status, headers, body, 400, param="Host")
            self.assertIn("Host", doc["detail_vi"])
            self.assertTrue(closed, raw)
        for raw in (b"GET /api/v1/units/00004 HTTP/1.0\r\n\r\n",
                    b"GET /api/v1/units/00004 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"):
            status, _, body, _ = send(raw)
            self.assertEqual(status, 200, (raw, body[:300]))
            self.assertEqual(json.loads(body)["code"], "00004")

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
        # the access log's writer, the three periodic jobs, /healthz's probe, the
        # checkpointer (SQLite) and the HTTP workers. The main thread keeps the program's name.
        pid = self.server.proc.pid
        names = set()
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/comm", encoding="utf-8") as f:
                names.add(f.read().strip())
        expected = {"commit", "answer", "access-log", "session-purge", "deadline-sweep",
                    "stats-recount", "health-probe"}
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


class PersonalAnswersAreNotStored(DossierClient):
    """An API answer to a request with credentials may hold personal data: no
    cache, shared or the browser's, may keep it (Cache-Control: no-store)."""

    def get(self, path, headers):
        status, headers, raw = self.server.request("GET", path, None, headers)
        self.assertEqual(status, 200, (path, raw[:300]))
        return headers

    def cookie_jar(self, role):
        acc = self.server.demo_accounts[role]
        c = self.server.conn()
        try:
            c.request("POST", "/api/v1/auth/login",
                      body=json.dumps({"username": acc["username"], "password": acc["password"],
                                       "session": "cookie"}),
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            self.assertEqual(r.status, 200)
            return "; ".join(x.split(";")[0] for x in r.msg.get_all("Set-Cookie"))
        finally:
            c.close()

    def test_personal_answers_to_a_signed_in_request_are_no_store(self):
        d = self.receive_new()
        admin = self.server.auth_headers("system_admin")
        officer = self.server.auth_headers("receiving_officer")
        citizen = self.server.auth_headers("citizen")
        someone = self.user_id("specialist")
        for path, headers in (
                (f"/api/v1/dossiers/{d['id']}", citizen),
                (f"/api/v1/dossiers/{d['code']}", officer),
                (f"/api/v1/dossiers/{d['id']}/events", citizen),
                ("/api/v1/inbox", officer),
                ("/api/v1/users", admin),
                (f"/api/v1/users/{someone}", admin),
                ("/api/v1/audit/personal-data-views", admin),
                ("/api/v1/stats/dossiers?unit=00004&period=day&status=received&format=csv",
                 self.server.auth_headers("leader")),
                ("/api/v1/procedures/export?format=csv", admin)):
            self.assertEqual(self.get(path, headers).get("cache-control"), "no-store", path)
        # The browser's session cookie counts as much as a bearer token.
        jar = {"Cookie": self.cookie_jar("receiving_officer")}
        for path in (f"/api/v1/dossiers/{d['id']}", "/api/v1/inbox"):
            self.assertEqual(self.get(path, jar).get("cache-control"), "no-store", path)
        # A handler's own Cache-Control is kept, not doubled.
        status, headers, raw = self.server.request("GET", "/api/v1/auth/me", None, citizen)
        self.assertEqual((status, headers.get("cache-control")), (200, "no-store"), raw[:300])

    def test_public_answers_keep_their_caching_unless_asked_with_credentials(self):
        d = self.receive_new()
        code = self.procedure["code"]
        token = self.server.auth_headers("citizen")
        for path in ("/api/v1/units/00004", "/api/v1/units?province=01&limit=5",
                     "/api/v1/procedures?limit=5", f"/api/v1/procedures/{code}",
                     f"/api/v1/public/dossiers/{d['code']}"):
            # Anonymous: as before, no Cache-Control (an ETag where there is one).
            self.assertNotIn("cache-control", self.get(path, {}), path)
            # Asked with a token, the answer is who-is-asking's: not kept.
            self.assertEqual(self.get(path, token).get("cache-control"), "no-store", path)
        self.assertNotIn("cache-control", self.get("/healthz", token))


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
        self.assertIn("Choose another port", out.stderr)

    def test_a_host_that_does_not_resolve_fails_with_advice_that_fits(self):
        out = subprocess.run([harness.ARGS.binary, "serve", "--listen", "nosuchhost.invalid:18404",
                              "--db", self.DB_URL("no-such-host"), "--data", harness.ARGS.data],
                             capture_output=True, text=True, timeout=120)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("nosuchhost.invalid", out.stderr)
        self.assertIn("cannot be resolved", out.stderr)
        self.assertIn("--listen", out.stderr)
        self.assertNotIn("port", out.stderr.split("cannot be resolved", 1)[1].split("\n")[0])


class AccessLogReaderGone(unittest.TestCase):
    """`serve | head -1`: once the access log's reader is gone the server
    goes on answering (no SIGPIPE), says so once and counts the lost lines."""
    BACKEND = None

    def test_requests_are_answered_after_the_log_s_reader_went_away(self):
        proc = subprocess.Popen([harness.ARGS.binary, "serve", "--listen", "127.0.0.1:0",
                                 "--db", self.DB_URL("log-reader-gone"), "--data", harness.ARGS.data],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            port = None
            for line in proc.stderr:
                if "listening on http://" in line:
                    port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
                    break
            self.assertIsNotNone(port)
            proc.stdout.close()  # the reader goes away
            for _ in range(4):
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                c.request("GET", "/api/v1/units/00004")
                self.assertEqual(c.getresponse().status, 200)
                c.close()
                time.sleep(0.4)  # the log's writer runs every 200 ms
            self.assertIsNone(proc.poll(), "the server ended")
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", "/metrics")
            metrics = c.getresponse().read().decode()
            c.close()
            dropped = [l for l in metrics.splitlines()
                       if l.startswith("motcua_http_access_log_dropped_total ")]
            self.assertTrue(dropped and float(dropped[0].split()[1]) >= 3, dropped)
        finally:
            terminate(proc)
            rest = proc.stderr.read()
        self.assertEqual(proc.returncode, 0, rest)
        self.assertEqual(rest.count("access log's reader went away"), 1, rest)


class ProcessLimitsAndSignals(harness.ServerCase):
    """What the machine does to the process: a file-size limit (ulimit -f) and
    a hangup. Each killed the server with every request in flight."""

    def test_an_upload_past_the_file_size_limit_is_a_503_and_the_server_lives(self):
        other = harness.Server(self.DB_URL("file-size"))
        try:
            headers = dict(other.auth_headers("citizen"), **{"Content-Type": "application/pdf"})
            pid = other.proc.pid
            soft, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (2 << 20, hard))
            try:
                big = b"%PDF-1.4\n" + b"0" * (5 << 20) + b"\n%%EOF\n"
                status, got, raw = other.request("POST", "/api/v1/attachments", big, headers)
            finally:
                resource.prlimit(pid, resource.RLIMIT_FSIZE, (soft, hard))
            self.assertIsNone(other.proc.poll(), "the server died of the file-size limit")
            self.assertEqual(status, 503, raw)
            self.assertTrue(got["content-type"].startswith("application/problem+json"), got)
            problem = json.loads(raw)
            self.assertIn("giới hạn kích thước tệp", problem["detail_vi"])  # not the system's English
            self.assertIn("File too large", problem["detail"])
            small = b"%PDF-1.4\n% nho\n%%EOF\n"
            status, _, raw = other.request("POST", "/api/v1/attachments", small, headers)
            self.assertIn(status, (200, 201), raw)
        finally:
            self.assertEqual(other.stop(), 0)
        # The operator is told where: the file that could not be written.
        log = "".join(other.stderr_lines)
        self.assertRegex(log, r"Cannot write the file: File too large\.[^\n]*\.tmp\.", log[-2000:])

    def test_a_hangup_stops_the_server_as_sigterm_does(self):
        # The terminal of `make run` closed (an SSH session ending).
        other = harness.Server(self.DB_URL("hangup"))
        self.assertEqual(other.get_json("/healthz")[0], 200)
        other.proc.send_signal(signal.SIGHUP)
        try:
            code = other.proc.wait(60)
        except subprocess.TimeoutExpired:
            other.proc.kill()
            raise
        self.assertEqual(code, 0, "".join(other.stderr_lines)[-2000:])


class FewDescriptors(unittest.TestCase):
    """ulimit -n 64: the connections allowed leave room for what the server
    holds besides, so the one past them is refused at once (it allowed 48
    while about 21 were taken, and a connection past the room left waited
    unanswered for the idle ones' header timeout)."""
    BACKEND = None

    def test_the_connection_past_the_cap_is_refused_at_once(self):
        def few():
            resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

        proc = subprocess.Popen([harness.ARGS.binary, "serve", "--listen", "127.0.0.1:0",
                                 "--db", self.DB_URL("few-descriptors"), "--data", harness.ARGS.data,
                                 "--no-access-log", "--header-timeout", "30"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=few)
        idle = []
        try:
            cap = port = None
            for line in proc.stderr:
                if "connections at once" in line:
                    cap = int(line.split("at most ", 1)[1].split()[0])
                if "listening on http://" in line:
                    port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
                    break
            self.assertIsNotNone(port)
            for _ in range(cap):
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            time.sleep(0.5)  # accepted, each waiting for its header
            started = time.monotonic()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/healthz")
            status = c.getresponse().status
            c.close()
            self.assertEqual(status, 503)
            self.assertLess(time.monotonic() - started, 3)
        finally:
            for s in idle:
                s.close()
            terminate(proc)
        self.assertEqual(proc.returncode, 0, proc.stderr.read()[-2000:])


class SqliteDiskTrouble(DossierClient):
    """An SQLite database another program holds (an operator's sqlite3, a
    VACUUM), or whose files cannot grow: a 503 that says so in both languages
    (it answered SQLite's own words, or a bare 500), and the next submission
    is taken once the trouble has passed."""

    def setUp(self):
        if self.BACKEND != "sqlite":
            self.skipTest("SQLite only")

    def assertSaidPlainly(self, status, headers, doc, english, vietnamese):
        problem = self.assertProblem(status, headers, doc, 503)
        self.assertIn(english, problem["detail"])
        self.assertIn(vietnamese, problem["detail_vi"])
        for said in (problem["detail"], problem["detail_vi"]):
            self.assertNotIn("SQLite", said)
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)

    def test_a_database_whose_files_cannot_grow_is_a_503_said_plainly(self):
        self.assertEqual(self.submit()[0], 201)
        pid = self.server.proc.pid
        soft, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (4096, hard))  # the log's first page at most
        try:
            status, headers, doc = self.submit()
        finally:
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (soft, hard))
        self.assertSaidPlainly(status, headers, doc, "cannot be read or written", "Không đọc ghi được")

    def test_a_database_another_program_holds_is_a_503_said_plainly(self):
        self.assertEqual(self.submit()[0], 201)  # signed in before the lock
        holder = sqlite3.connect(harness.sqlite_path(self.server.db_url), timeout=5, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            status, headers, doc = self.submit()  # after the server's wait for the lock (10 s)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        self.assertSaidPlainly(status, headers, doc, "The database is busy", "đang bận")


    def test_the_log_a_long_reader_grew_shrinks_once_it_is_done(self):
        # A check run beside the server (audit verify, stats verify) reads
        # for long: the write-ahead log cannot start over meanwhile and grows
        # (hundreds of MB); it stayed that size until the server stopped.
        db = harness.sqlite_path(self.server.db_url)
        reader = sqlite3.connect(db, isolation_level=None)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM dossiers").fetchall()
            out = subprocess.run([harness.ARGS.binary, "simulate", "--db", self.server.db_url,
                                  "--province", "01", "--days", "20", "--data", harness.ARGS.data],
                                 capture_output=True, text=True, timeout=600)
            self.assertEqual(out.returncode, 0, out.stderr)
            grown = os.path.getsize(db + "-wal")
            self.assertGreater(grown, 80 << 20)
        finally:
            reader.execute("COMMIT")
            reader.close()
        size = grown
        for _ in range(100):  # the server's writes checkpoint, then the log starts over
            self.assertEqual(self.submit()[0], 201)
            size = os.path.getsize(db + "-wal")
            if size <= 64 << 20:
                break
            time.sleep(0.1)
        self.assertLessEqual(size, 64 << 20, f"the log stays {size} bytes (it grew to {grown})")


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


def connect_from(source, port):
    """A connection to the server from `source`, an address of the loopback
    network (127.0.0.0/8 is all this machine's), so that one test can be
    several clients."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(10)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def answer_of(sock):
    """The status and problem document of the one answer a refused connection
    gets before the server closes it."""
    data = read_until(sock, lambda d: False)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = dict(l.split(": ", 1) for l in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


class ConnectionLimits(harness.ServerCase):
    """One client cannot hold every connection: each address gets a share,
    a header must arrive in time, and past the server's own limit a new
    connection is told so at once, not left waiting. 127.0.0.1 is named a
    trusted proxy (not held to a client's share) so that the other loopback
    addresses are ordinary clients."""
    PER_CLIENT = 8
    MOST = 40

    @classmethod
    def server_args(cls):
        return ("--trusted-proxy", "127.0.0.1", "--max-per-client", str(cls.PER_CLIENT),
                "--max-connections", str(cls.MOST), "--header-timeout", "3")

    def finish(self, sock, begun):
        """The answer to a request whose first bytes, `begun`, were sent on
        `sock`, once the rest is."""
        whole = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        sock.sendall(whole[len(begun):])
        try:
            return read_until(sock, lambda d: False)
        finally:
            sock.close()

    def quiet(self):
        """Waits until the server holds no connection but the one asking."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            _, _, body = self.server.request("GET", "/metrics")
            if "motcua_http_open_connections 1\n" in body.decode():
                return
            time.sleep(0.05)
        self.fail("connections of earlier tests still open")

    def refused(self, source, expected_status):
        s = connect_from(source, self.server.port)
        try:
            status, headers, body = answer_of(s)
        finally:
            s.close()
        doc = self.assertProblem(status, headers, body, expected_status)
        self.assertEqual(headers.get("connection"), "close", headers)
        return doc, headers

    def test_one_client_cannot_hold_every_connection(self):
        held = [connect_from("127.0.0.2", self.server.port) for _ in range(self.PER_CLIENT)]
        try:
            for s in held:
                s.sendall(b"GET /heal")  # a request line begun, never ended
            doc, _ = self.refused("127.0.0.2", 429)
            self.assertIn(str(self.PER_CLIENT), doc["detail"])
            self.assertIn(str(self.PER_CLIENT), doc["detail_vi"])
            # The share is exactly PER_CLIENT: the last one held was taken.
            self.assertTrue(self.finish(held.pop(), b"GET /heal").startswith(b"HTTP/1.1 200"))
            # Everyone else is served meanwhile: another client, and the proxy.
            other = connect_from("127.0.0.3", self.server.port)
            other.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            self.assertTrue(read_until(other, lambda d: False).startswith(b"HTTP/1.1 200"))
            other.close()
            self.assertEqual(self.server.get_json("/healthz")[0], 200)
        finally:
            for s in held:
                s.close()
        # Its share comes back as its connections close.
        deadline = time.monotonic() + 5
        while True:
            s = connect_from("127.0.0.2", self.server.port)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            got = read_until(s, lambda d: False)
            s.close()
            if got.startswith(b"HTTP/1.1 200") or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertTrue(got.startswith(b"HTTP/1.1 200"), got[:200])
        status, _, body = self.server.request("GET", "/metrics")
        self.assertRegex(body.decode(), r'motcua_http_connections_refused_total\{limit="per_client"\} [1-9]')

    def test_a_header_sent_too_slowly_is_cut_off(self):
        silent = connect_from("127.0.0.4", self.server.port)
        slow = connect_from("127.0.0.5", self.server.port)
        started = time.monotonic()
        slow.sendall(b"GET /healthz HTTP/1.1\r\n")
        closed_after = None
        # A header byte every 0.2 s keeps the connection busy, never done.
        slow.settimeout(0.2)
        for _ in range(50):
            try:
                slow.sendall(b"X")
                if slow.recv(4096) == b"":
                    closed_after = time.monotonic() - started
                    break
            except socket.timeout:
                continue
            except OSError:
                closed_after = time.monotonic() - started
                break
        self.assertIsNotNone(closed_after, "a header trickled for 10 s was never cut off")
        self.assertGreater(closed_after, 2.5)
        self.assertLess(closed_after, 7)
        silent.settimeout(7)
        self.assertEqual(silent.recv(4096), b"")  # closed, having sent nothing
        self.assertLess(time.monotonic() - started, 8)
        silent.close()
        slow.close()

    def test_past_the_server_s_limit_a_connection_is_told_at_once(self):
        self.quiet()
        # One connection from each of MOST addresses: none is over its share.
        held = [connect_from(f"127.0.1.{i + 1}", self.server.port) for i in range(self.MOST)]
        try:
            # Each is the server's once the server answers on one after it.
            started = time.monotonic()
            doc, headers = self.refused("127.0.2.1", 503)
            self.assertLess(time.monotonic() - started, 2)
            self.assertEqual(headers.get("retry-after"), "1")
            self.assertIn(str(self.MOST), doc["detail"])
            got = self.finish(held.pop(), b"")
            self.assertTrue(got.startswith(b"HTTP/1.1 200"), got[:400])
        finally:
            for s in held:
                s.close()


class Relay:
    """A TCP relay to the test PostgreSQL that can be cut: the database gone
    out of reach, as when its machine or network fails."""

    def __init__(self, target_port):
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = []
        self.cut_off = False
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                if self.cut_off:  # accepted as the cut came
                    client.close()
                    upstream.close()
                    return
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    @staticmethod
    def pump(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        # A listener closed while accept() waits in another thread would
        # stay open until it returns: shut down first, which wakes it.
        with self.lock:
            self.cut_off = True
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()


class DatabaseOutOfReach(unittest.TestCase):
    """With PostgreSQL out of reach, a client is told to try again later and
    is shown nothing of where the database lives (host, port, socket): that
    is for the operator, and the server's log has it."""
    BACKEND = None

    def test_the_answer_names_no_database_address(self):
        if self.BACKEND != "postgresql":
            self.skipTest("PostgreSQL only")
        url = urllib.parse.urlparse(self.DB_URL("out-of-reach"))
        query = urllib.parse.parse_qs(url.query)
        relay = Relay(int(query["port"][0]))
        server = harness.Server(f"postgresql://{query['user'][0]}@127.0.0.1:{relay.port}{url.path}",
                                demo=False)
        try:
            self.assertEqual(server.get_json("/healthz")[0], 200)
            relay.cut()
            for path in ("/healthz", "/api/v1/public/dossiers/H01-251201-0001"):
                status, headers, body = server.request("GET", path)
                self.assertEqual(status, 503, body)
                self.assertTrue(headers["content-type"].startswith("application/problem+json"))
                doc = json.loads(body)
                self.assertIn("database", doc["detail"])
                self.assertIn("cơ sở dữ liệu", doc["detail_vi"])
                for secret in (str(relay.port), "127.0.0.1", "host=", "socket", "dbname"):
                    self.assertNotIn(secret, body.decode(), path)
        finally:
            server.stop()
        log = "".join(server.stderr_lines)
        self.assertRegex(log, f"port[= ]{relay.port}")
        # Each line names the request it answered, as the access log and the
        # answer's X-Request-Id do.
        lines = [ln for ln in server.stderr_lines if str(relay.port) in ln]
        self.assertTrue(lines)
        for ln in lines:
            self.assertRegex(ln, r"\(request [^ ,]+, /")


class DatabaseFrozen(unittest.TestCase):
    """PostgreSQL stopped (SIGSTOP): it takes connections but answers nothing.
    /healthz says so in bounded time, what needs no database keeps answering,
    a read is refused in bounded time, and SIGTERM ends the server."""
    BACKEND = None

    @staticmethod
    def cluster_pids(url):
        # The test cluster's postmaster (DIR/data/postmaster.pid, its socket
        # in DIR/socket) and every process it started.
        host = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["host"][0]
        with open(os.path.join(os.path.dirname(host), "data", "postmaster.pid")) as f:
            postmaster = int(f.readline())
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True,
                                  text=True).stdout.split()
        return [postmaster] + [int(p) for p in children]

    def timed(self, server, method, path, headers=None):
        started = time.monotonic()
        c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            c.request(method, path, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read(), time.monotonic() - started
        finally:
            c.close()

    def test_a_frozen_database_holds_up_no_io_thread_nor_the_stop(self):
        if self.BACKEND != "postgresql":
            self.skipTest("PostgreSQL only")
        url = self.DB_URL("frozen")
        server = harness.Server(url, extra=["--request-timeout", "3", "--threads", "2"])
        token = server.token("citizen")
        pids = self.cluster_pids(url)
        frozen = []
        try:
            for pid in pids:
                os.kill(pid, signal.SIGSTOP)
                frozen.append(pid)
            # Two health checks held at once (as many as there are io threads).
            background = [threading.Thread(target=self.timed, args=(server, "GET", "/healthz"))
                          for _ in range(2)]
            for t in background:
                t.start()
            time.sleep(0.5)
            status, body, took = self.timed(server, "GET", "/healthz")
            self.assertEqual(status, 503, body)
            self.assertLess(took, 5)
            doc = json.loads(body)
            self.assertIn("database", doc["detail"])
            self.assertIn("cơ sở dữ liệu", doc["detail_vi"].lower())
            host = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["host"][0]
            for secret in (host, "port=", "dbname", "motcua_api"):
                self.assertNotIn(secret, body.decode())
            for path in ("/metrics", "/api/v1/units/00004", "/api/v1/openapi.json"):
                status, body, took = self.timed(server, "GET", path)
                self.assertEqual(status, 200, (path, body[:300]))
                self.assertLess(took, 2, path)
            # A read that needs the database is refused in bounded time.
            for path in ("/api/v1/public/dossiers/H01-251201-0001", "/api/v1/auth/me"):
                status, body, took = self.timed(server, "GET", path,
                                                {"Authorization": "Bearer " + token})
                self.assertEqual(status, 503, (path, body))
                self.assertLess(took, 12, path)
            for t in background:
                t.join(30)
            started = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            server.proc.wait(60)
            self.assertLess(time.monotonic() - started, 40)
        finally:
            for pid in frozen:
                os.kill(pid, signal.SIGCONT)
            server.stop()


if __name__ == "__main__":
    harness.run_suites([ServerBasics, PersonalAnswersAreNotStored, Lifecycle, ForwardedProtoNotBelievedIsLogged,
                        ForwardedProtoFromAPeerNotTheNamedProxyIsLogged,
                        ForwardedProtoFromTheNamedProxyIsNotLogged, ConnectionLimits,
                        DatabaseOutOfReach, AccessLogReaderGone, DatabaseFrozen, ProcessLimitsAndSignals,
                        FewDescriptors, SqliteDiskTrouble])
