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
import socket
import sqlite3
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
    ARGS, _ = p.parse_known_args()


class Server:
    """A motcua process on an ephemeral loopback port."""

    def __init__(self, db_url, extra=(), demo=True):
        self.db_url = db_url
        # --demo: one account per role, printed on stderr; auth_headers() signs in with them.
        cmd = [ARGS.binary, "serve", "--listen", "127.0.0.1:0", "--db", db_url,
               "--data", ARGS.data, *(["--demo"] if demo else []), *extra]
        self.demo_accounts = {}
        self._tokens = {}
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
            if "demo account role=" in line:
                fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
                self.demo_accounts[fields["role"]] = fields
            if "listening on http://" in line:
                self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
                break
        if self.port is None:
            self.proc.kill()
            raise RuntimeError("server did not start: " + "".join(self.stderr_lines))
        self.ready_after = time.monotonic() - self.started

    def login(self, username, password, session="bearer"):
        """POST /api/v1/auth/login; returns (status, headers, parsed body)."""
        body = json.dumps({"username": username, "password": password, "session": session})
        status, headers, data = self.request("POST", "/api/v1/auth/login", body,
                                             {"Content-Type": "application/json"})
        return status, headers, (json.loads(data) if data else None)

    def token(self, role="system_admin", fresh=False):
        """A bearer token of the demo account with `role` (cached unless fresh)."""
        if fresh or role not in self._tokens:
            account = self.demo_accounts[role]
            status, _, doc = self.login(account["username"], account["password"])
            if status != 200:
                raise RuntimeError(f"demo login as {role} failed: {status} {doc}")
            self._tokens[role] = doc["token"]
        return self._tokens[role]

    def auth_headers(self, role="system_admin"):
        """Headers that authenticate a request as the demo account with `role`
        (the server runs with --demo): a bearer token, signed in once and cached."""
        return {"Authorization": "Bearer " + self.token(role)}

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


def sqlite_path(db_url):
    """The file of a `sqlite:PATH` database URL."""
    return db_url[len("sqlite:"):]


def sqlite_rows(db_url, sql, params=()):
    """All rows of one query on a `sqlite:PATH` database, read beside the
    server (WAL: the last committed state)."""
    db = sqlite3.connect(sqlite_path(db_url), timeout=30)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def sqlite_edit(db_url, *statements):
    """Runs (sql, params) pairs in one transaction on a `sqlite:PATH` database
    beside the server, as someone editing the file by hand would; returns how
    many rows they changed."""
    db = sqlite3.connect(sqlite_path(db_url), timeout=30)
    try:
        for sql, params in statements:
            db.execute(sql, params)
        db.commit()
        return db.total_changes
    finally:
        db.close()


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
    parse_args()
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


def local_address_not_loopback():
    """An address of this machine that is not loopback, to reach the server
    from a peer that is not 127.0.0.1; None when there is none."""
    for probe in ("192.0.2.1", "198.51.100.1", "10.255.255.254"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.connect((probe, 9))  # no packet is sent: this picks a source address
            except OSError:
                continue
            address = s.getsockname()[0]
            if not address.startswith("127."):
                return address
    return None


LOCAL_ADDRESS = local_address_not_loopback()


class ServedOffLoopback:
    """Mixin, before a ServerCase base: the server listens on LOCAL_ADDRESS
    only, so its peers are not loopback; skipped on a machine with no other
    address. TRUSTED: serve's --trusted-proxy arguments."""
    TRUSTED = ()

    @classmethod
    def setUpClass(cls):
        if LOCAL_ADDRESS is None and cls.BACKEND is not None:
            raise unittest.SkipTest("this machine has no address but loopback")
        super().setUpClass()

    @classmethod
    def server_args(cls):
        return ("--listen", f"{LOCAL_ADDRESS}:0", *cls.TRUSTED)


class ServerCase(unittest.TestCase):
    """One server per TestCase class, shared by its tests."""
    BACKEND = None
    DB_URL = None
    server = None

    @classmethod
    def setUpClass(cls):
        if cls.BACKEND is None:
            raise unittest.SkipTest("base class")
        cls.server = Server(cls.DB_URL(cls.__name__), extra=cls.server_args())

    @classmethod
    def server_args(cls):
        """Options the class's server starts with, beyond the database and data."""
        return ()

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
