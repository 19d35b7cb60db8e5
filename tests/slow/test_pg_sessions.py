"""The slow tier: PostgreSQL ends the server's sessions (pg_terminate_backend)
again and again while it takes submissions, with and without an
Idempotency-Key, and receipts with If-Match. Every acknowledged submission is
there exactly once, none refused is there, every acknowledged receipt is
there, `motcua audit verify` and `motcua stats verify` pass, and the server
keeps serving. PostgreSQL only."""
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import harness  # noqa: E402
from dossier_client import DossierClient  # noqa: E402
from harness import run_suites  # noqa: E402

WRITERS = 6
LOAD_SECONDS = 12
TERMINATE = ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
             " WHERE datname = current_database() AND pid <> pg_backend_pid()"
             " AND backend_type = 'client backend'")


def psql(url, sql):
    out = subprocess.run(["psql", "-qAt", url, "-c", sql], capture_output=True, text=True,
                         timeout=60)
    return out.stdout


class SessionsCase(DossierClient):
    def test_sessions_ended_under_write_load_lose_and_double_nothing(self):
        if self.BACKEND != "postgresql":
            self.skipTest("PostgreSQL only")
        s = self.server
        proc = self.procedure  # a commune's, taken online, with components
        citizen = {**s.auth_headers("citizen"), "Content-Type": "application/json"}
        officer = {**s.auth_headers("receiving_officer"), "Content-Type": "application/json"}
        receive = json.dumps({"components": [
            {"component_id": f"c{i + 1}", "form": "paper_original",
             "quantity": max(1, c.get("quantity") or 1)}
            for i, c in enumerate(proc["components"])]})
        acked, refused, received = {}, [], {}  # marker -> id; markers; id -> version
        ended = [0]
        lock = threading.Lock()
        stop = threading.Event()

        def send(c, method, path, body, headers):
            c.request(method, path, body, headers)
            r = c.getresponse()
            return r.status, r.read()

        def writer():
            c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
            while not stop.is_set():
                # The applicant's address tells each submission's dossiers apart.
                marker = uuid.uuid4().hex
                key = {"Idempotency-Key": marker} if random.random() < 0.5 else {}
                body = json.dumps({"procedure_code": proc["code"], "competent_unit": "00004",
                                   "applicant": {"kind": "person", "name": "Trần Thị Bền",
                                                 "id_number": "001190000002",
                                                 "phone": "0987654321",
                                                 "address": f"Số {marker}, Ba Đình, Hà Nội"}})
                d = None
                for _ in range(20):  # with a key, asked again until answered
                    try:
                        status, raw = send(c, "POST", "/api/v1/dossiers", body,
                                           {**citizen, **key})
                    except (OSError, http.client.HTTPException):
                        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
                        status, raw = None, b""
                    if status == 201 or (key and status == 200):
                        d = json.loads(raw)
                        break
                    if not key:
                        if status is not None:
                            with lock:
                                refused.append(marker)
                        break
                    time.sleep(0.05)
                if d is None:
                    continue
                with lock:
                    acked[marker] = d["id"]
                try:
                    status, raw = send(c, "POST", f"/api/v1/dossiers/{d['id']}/actions/receive",
                                       receive, {**officer, "If-Match": f'"{d["version"]}"'})
                except (OSError, http.client.HTTPException):
                    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
                    continue
                if status == 200:
                    with lock:
                        received[d["id"]] = json.loads(raw)["version"]

        def terminator():
            while not stop.is_set():
                time.sleep(random.uniform(0.05, 0.3))
                ended[0] += int(psql(s.db_url, TERMINATE).strip() or 0)

        threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
        threads.append(threading.Thread(target=terminator))
        for t in threads:
            t.start()
        time.sleep(LOAD_SECONDS)
        stop.set()
        for t in threads:
            t.join()
        self.assertGreater(ended[0], 10, "too few sessions ended")
        self.assertGreater(len(received), 100, "too little load")

        # Still serving, and reads and writes agree with what was acknowledged.
        status, _, _ = s.request("GET", "/healthz")
        self.assertEqual(status, 200)
        behind = [i for i, v in received.items()
                  if json.loads(s.request("GET", "/api/v1/dossiers/" + i, None, officer)[2])
                  ["version"] < v]
        self.assertEqual(behind, [], "acknowledged receipts lost")
        counts = {}
        for row in psql(s.db_url, "SELECT substring(body from 'Số ([0-9a-f]{32})'), count(*)"
                                  " FROM dossiers GROUP BY 1").split():
            marker, n = row.split("|")
            counts[marker] = int(n)
        self.assertEqual([m for m in acked if counts.get(m) != 1], [],
                         "acknowledged submissions lost or doubled")
        self.assertEqual([m for m in refused if m in counts], [],
                         "submissions answered with an error were written")
        for what in (["audit", "verify"], ["stats", "verify"]):
            out = subprocess.run([harness.ARGS.binary, *what, "--db", s.db_url],
                                 capture_output=True, text=True, timeout=300)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        print(f"\n{ended[0]} sessions ended; {len(acked)} submissions, {len(received)} receipts"
              f" acknowledged, {len(refused)} refused; every one as answered")


if __name__ == "__main__":
    run_suites([SessionsCase])
