"""The slow tier: kill -9 the server while it takes durable writes, start it
again on the same database, and check that every acknowledged submission and
receipt is there, that the database passes its integrity check, and that
`motcua audit verify` passes. On SQLite and on PostgreSQL."""
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import harness  # noqa: E402
from dossier_client import DossierClient  # noqa: E402
from harness import Server, run_suites  # noqa: E402

APPLICANT = {"kind": "person", "name": "Trần Thị Bền", "id_number": "001190000002",
             "phone": "0987654321", "address": "Phường Ba Đình, Hà Nội"}
WRITERS = 8
LOAD_SECONDS = 4


class CrashCase(DossierClient):
    def test_kill_9_under_write_load_loses_no_acknowledged_write(self):
        s = self.server
        proc = self.procedure  # a commune's, taken online, with components
        citizen = s.auth_headers("citizen")
        officer = s.auth_headers("receiving_officer")
        body = json.dumps({"procedure_code": proc["code"], "competent_unit": "00004",
                           "applicant": APPLICANT})
        receive = json.dumps({"components": [
            {"component_id": f"c{i + 1}", "form": "paper_original",
             "quantity": max(1, c.get("quantity") or 1)}
            for i, c in enumerate(proc["components"])]})
        acked = {}  # dossier id -> the version last acknowledged
        lock = threading.Lock()
        stop = threading.Event()

        def writer():
            c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
            while not stop.is_set():
                try:
                    c.request("POST", "/api/v1/dossiers", body,
                              {**citizen, "Content-Type": "application/json"})
                    r = c.getresponse()
                    d = json.loads(r.read())
                    if r.status != 201:
                        continue
                    with lock:
                        acked[d["id"]] = d["version"]
                    c.request("POST", f"/api/v1/dossiers/{d['id']}/actions/receive", receive,
                              {**officer, "Content-Type": "application/json",
                               "If-Match": f'"{d["version"]}"'})
                    r = c.getresponse()
                    d2 = json.loads(r.read())
                    if r.status == 200:
                        with lock:
                            acked[d["id"]] = d2["version"]
                except (OSError, http.client.HTTPException, ValueError):
                    return  # the server is gone

        threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
        for t in threads:
            t.start()
        time.sleep(LOAD_SECONDS)
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait()
        stop.set()
        for t in threads:
            t.join()
        with lock:
            snapshot = dict(acked)
        self.assertGreater(len(snapshot), 20, "too little load before the kill")

        # Start again on the same database; the class's teardown stops it.
        again = Server(s.db_url)
        type(self).server = again
        officer = again.auth_headers("receiving_officer")
        missing, behind = [], []
        for dossier_id, version in snapshot.items():
            status, _, raw = again.request("GET", "/api/v1/dossiers/" + dossier_id, None, officer)
            if status != 200:
                missing.append(dossier_id)
            elif json.loads(raw)["version"] < version:
                behind.append(dossier_id)
        self.assertEqual(missing, [], "acknowledged submissions lost")
        self.assertEqual(behind, [], "acknowledged receipts lost")

        if self.BACKEND == "sqlite":
            self.assertEqual(harness.sqlite_rows(s.db_url, "PRAGMA integrity_check"), [("ok",)])
            self.assertEqual(harness.sqlite_rows(s.db_url, "PRAGMA foreign_key_check"), [])
        out = subprocess.run([harness.ARGS.binary, "audit", "verify", "--db", s.db_url],
                             capture_output=True, text=True, timeout=300)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        print(f"\n{self.BACKEND}: {len(snapshot)} acknowledged dossiers survived kill -9; "
              + out.stdout.strip())


if __name__ == "__main__":
    run_suites([CrashCase])
