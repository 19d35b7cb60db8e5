"""Black-box harness: starts the real motcua binary and talks HTTP to it.

Each test module calls run_suites(); the suites run once against SQLite (a fresh
file) and once against PostgreSQL when MOTCUA_TEST_PG_API_URL is set.
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

ARGS = None


def parse_args():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--data", required=True)
    ARGS, rest = p.parse_known_args()
    return rest


class Server:
    """A motcua process on an ephemeral loopback port."""

    def __init__(self, db_url, extra=()):
        self.db_url = db_url
        cmd = [ARGS.binary, "serve", "--listen", "127.0.0.1:0", "--db", db_url,
               "--data", ARGS.data, *extra]
        self.started = time.monotonic()
        # stdout carries the JSON access log; keep it for the tests to read.
        self.log = tempfile.NamedTemporaryFile(prefix="motcua-access-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.PIPE, text=True)
        self.port = None
        self.stderr_lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.stderr_lines.append(line)
            if "listening on http://" in line:
                self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
                break
        if self.port is None:
            self.proc.kill()
            raise RuntimeError("server did not start: " + "".join(self.stderr_lines))
        self.ready_after = time.monotonic() - self.started

    def auth_headers(self, role="system_admin"):
        """Headers that authenticate a request as a user with `role`.

        Filled in by the access layer (accounts and sessions); until then no
        route asks for them and this returns no headers.
        """
        return {}

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def get_json(self, path):
        status, headers, data = self.request("GET", path)
        return status, headers, (json.loads(data) if data else None)

    def access_log(self):
        with open(self.log.name, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rest = self.proc.stderr.read()
        if rest:
            self.stderr_lines.append(rest)
        return self.proc.returncode


def backends():
    """(name, db_url factory) pairs to run the suites against."""
    out = []
    tmp = tempfile.mkdtemp(prefix="motcua-api-")
    out.append(("sqlite", lambda n: f"sqlite:{tmp}/{n}.db"))
    pg = os.environ.get("MOTCUA_TEST_PG_API_URL")
    if pg:
        out.append(("postgresql", lambda n: pg))
    return out, tmp


def run_suites(cases):
    """Runs each TestCase class once per backend; exits non-zero on failure."""
    rest = parse_args()
    bks, tmp = backends()
    if not os.environ.get("MOTCUA_TEST_PG_API_URL"):
        print("note: MOTCUA_TEST_PG_API_URL is not set: PostgreSQL API runs skipped "
              "(scripts/test sets it)")
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for name, url in bks:
        for case in cases:
            sub = type(f"{case.__name__}_{name}", (case,), {"BACKEND": name, "DB_URL": staticmethod(url)})
            suite.addTests(loader.loadTestsFromTestCase(sub))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if result.wasSuccessful() else 1)


class ServerCase(unittest.TestCase):
    """One server per TestCase class, shared by its tests."""
    BACKEND = None
    DB_URL = None
    server = None

    @classmethod
    def setUpClass(cls):
        if cls.BACKEND is None:
            raise unittest.SkipTest("base class")
        cls.server = Server(cls.DB_URL(cls.__name__))

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            code = cls.server.stop()
            assert code == 0, "server exited with %s: %s" % (code, "".join(cls.server.stderr_lines)[-4000:])

    def assertProblem(self, status, headers, body, expected_status, param=None):
        self.assertEqual(status, expected_status, body)
        self.assertTrue(headers["content-type"].startswith("application/problem+json"), headers)
        doc = json.loads(body) if isinstance(body, (bytes, str)) else body
        self.assertEqual(doc["status"], expected_status)
        for key in ("type", "title", "detail", "detail_vi"):
            self.assertTrue(doc.get(key), f"problem lacks {key}: {doc}")
        if param is not None:
            self.assertEqual(doc.get("param"), param, doc)
        return doc
