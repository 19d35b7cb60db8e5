"""The slow tier: PostgreSQL restarted at once (`pg_ctl -m immediate`, as after
a crash) under an idle server. Each session the server held is gone without
libpq's status saying so; the next request on each must reconnect and be
answered, never a 500, and nothing is half done. On a cluster of its own, so
no other suite's sessions are touched. PostgreSQL only."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import harness  # noqa: E402
from dossier_client import APPLICANT  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")


def cluster(*args):
    out = subprocess.run([os.path.join(ROOT, "scripts", "pg-test-cluster"), *args],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return out.stdout.strip()


def pg_ctl(data, *args):
    cmd = [os.path.join(PG_BIN, "pg_ctl"), "-D", data, "-w", *args]
    if os.getuid() == 0:  # the cluster belongs to the postgres user
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)


class RestartCase(unittest.TestCase):
    def setUp(self):
        if not os.environ.get("MOTCUA_TEST_PG_API_URL"):
            self.skipTest("PostgreSQL only (scripts/test starts one)")
        self.dir = tempfile.mkdtemp(prefix="motcua-pgr-")
        os.chmod(self.dir, 0o755)
        self.pg = os.path.join(self.dir, "pg")
        cluster("start", self.pg)
        self.server = harness.Server(cluster("createdb", self.pg, "restart"))

    def tearDown(self):
        if getattr(self, "server", None):
            self.server.stop()
        subprocess.run([os.path.join(ROOT, "scripts", "pg-test-cluster"), "stop", self.pg],
                       capture_output=True, timeout=120)
        shutil.rmtree(self.dir, ignore_errors=True)

    def call(self, method, path, role, body=None, headers=None):
        h = {**self.server.auth_headers(role), **(headers or {})}
        if body is not None:
            h["Content-Type"] = "application/json"
        status, _, raw = self.server.request(method, path,
                                             None if body is None else json.dumps(body), h)
        return status, (json.loads(raw) if raw else None)

    def test_sessions_lost_to_an_immediate_restart_are_made_again(self):
        status, _, page = self.server.get_json("/api/v1/procedures/2.000815")
        self.assertEqual(status, 200, page)
        components = [{"component_id": f"c{i + 1}", "form": "paper_original",
                       "quantity": max(1, c.get("quantity") or 1)}
                      for i, c in enumerate(page["components"])]
        filed = []
        for _ in range(4):
            status, d = self.call("POST", "/api/v1/dossiers", "citizen",
                                  {"procedure_code": "2.000815", "competent_unit": "00004",
                                   "applicant": dict(APPLICANT)})
            self.assertEqual(status, 201, d)
            filed.append(d)
        self.server.auth_headers("receiving_officer")  # signed in before the restart
        # Several reading sessions open, then the server restarted at once.
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: self.call("GET", "/api/v1/dossiers/" + filed[i % 4]["id"],
                                              "citizen"), range(48)))
        data = os.path.join(self.pg, "data")
        pg_ctl(data, "-m", "immediate", "stop")
        pg_ctl(data, "-l", os.path.join(self.pg, "server.log"), "start")

        answers = []
        for i in range(12):
            status, d = self.call("GET", "/api/v1/dossiers/" + filed[i % 4]["id"], "citizen")
            answers.append(("read", status, d))
        for d in filed:
            status, r = self.call("POST", f"/api/v1/dossiers/{d['id']}/actions/receive",
                                  "receiving_officer", {"components": components},
                                  {"If-Match": f'"{d["version"]}"'})
            answers.append(("receive", status, r))
        for what, status, doc in answers:
            self.assertEqual(status, 200, f"{what}: {json.dumps(doc, ensure_ascii=False)[:300]}")
        for d in filed:
            status, now = self.call("GET", "/api/v1/dossiers/" + d["id"], "citizen")
            self.assertEqual((status, now["state"], now["version"]), (200, "received", 2))
        out = subprocess.run([harness.ARGS.binary, "audit", "verify", "--db", self.server.db_url],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


if __name__ == "__main__":
    harness.parse_args()
    result = unittest.TextTestRunner(verbosity=2).run(
        unittest.TestLoader().loadTestsFromTestCase(RestartCase))
    sys.exit(0 if result.wasSuccessful() else 1)
