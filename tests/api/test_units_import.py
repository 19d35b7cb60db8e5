"""A units import while servers run, through the real binary, on SQLite and
PostgreSQL: the operations centre's counters roll up by the registry, so the
import leaves them a mark that only a process holding the new units consumes.
A server started before the import keeps its units, says in its log (English
and Vietnamese) that it must be restarted, leaves the mark alone, and marks
again as it stops; a server started after recounts at its start, and moves a
commune's figures to the province the new data puts it in."""
import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

import harness
from harness import run_suites
from dossier_client import VN

# Not any other suite's provinces: on PostgreSQL they share one database.
OLD_PROVINCE = "11"
NEW_PROVINCE = "14"
NEWEST_SNAPSHOT = "2026-04-30"
RESTART_EN = "units data was imported after this server started"
RESTART_VI = "dữ liệu đơn vị hành chính đã được nhập sau khi máy chủ này khởi động"
MARKED_AT_STOP = "marked for a recount by the new registry"


def run(*args):
    out = subprocess.run([harness.ARGS.binary, *args], capture_output=True, text=True,
                         timeout=600)
    return out.returncode, out.stdout + out.stderr


def recomputed(log):
    """The units-import marks a server's log says it recounted."""
    return re.findall(r"recomputed the operations centre's counters \((units_import:\d+)\)", log)


class UnitsImportCase(unittest.TestCase):
    BACKEND = None
    DB_URL = None

    def setUp(self):
        if self.BACKEND is None:
            raise unittest.SkipTest("base class")
        self.url = self.DB_URL(type(self).__name__)
        self.tmp = tempfile.mkdtemp(prefix="motcua-units-import-")
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def serve(self):
        server = harness.Server(self.url, extra=["--sweep-every", "1"])
        self.servers.append(server)
        return server

    def stop(self, server):
        self.assertEqual(server.stop(), 0, "".join(server.stderr_lines)[-4000:])
        return "".join(server.stderr_lines)

    def import_units(self, data):
        code, out = run("import", "--db", self.url, "--data", data)
        self.assertEqual(code, 0, out)
        self.assertIn("counters must be recomputed by the new units", out)

    def verify(self):
        code, out = run("stats", "verify", "--db", self.url, "--data", harness.ARGS.data)
        return code, out

    def until_verified(self):
        deadline = time.monotonic() + 60
        while True:
            code, out = self.verify()
            if code == 0:
                return
            self.assertLess(time.monotonic(), deadline, f"not recounted: {out[-2000:]}")
            time.sleep(0.5)

    def received(self, server, unit):
        today = datetime.datetime.now(VN).date()
        status, _, raw = server.request(
            "GET", f"/api/v1/stats/indicators?unit={unit}"
            f"&from={today - datetime.timedelta(days=60)}&to={today}",
            None, server.auth_headers("national_viewer"))
        self.assertEqual(status, 200, raw)
        return json.loads(raw)["received"]

    def moved_data(self, commune):
        """The project's data with `commune` put in NEW_PROVINCE by the newest snapshot."""
        data = os.path.join(self.tmp, "data")
        shutil.copytree(harness.ARGS.data, data)
        path = os.path.join(data, "units", NEWEST_SNAPSHOT, "communes.csv")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        moved = text.replace(f"\n{commune},{OLD_PROVINCE},", f"\n{commune},{NEW_PROVINCE},")
        self.assertNotEqual(moved, text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(moved)
        return data

    def test_a_units_import_is_recounted_by_a_server_holding_it(self):
        code, out = run("simulate", "--db", self.url, "--data", harness.ARGS.data, "--province",
                        OLD_PROVINCE, "--days", "20", "--per-day", "1", "--seed", "39")
        self.assertEqual(code, 0, out)
        old = self.serve()
        status, _, raw = old.request("GET", f"/api/v1/stats/units?unit={OLD_PROVINCE}", None,
                                     old.auth_headers("national_viewer"))
        self.assertEqual(status, 200, raw)
        commune = max((i for i in json.loads(raw)["items"] if i["unit"]["level"] == "commune"),
                      key=lambda i: i["received"])["unit"]["code"]
        before = {u: self.received(old, u) for u in (OLD_PROVINCE, NEW_PROVINCE, commune)}
        self.assertGreater(before[commune], 0)

        self.import_units(self.moved_data(commune))
        if self.BACKEND == "sqlite":
            # Not among the reasons a server of an earlier version would recount by its old units.
            self.assertEqual(harness.sqlite_rows(self.url, "SELECT reason FROM stats_rebuild_due"), [])
            self.assertEqual(len(harness.sqlite_rows(self.url, "SELECT import_id FROM stats_units_due")), 1)
        time.sleep(3)  # three of the old server's recount passes
        code, out = self.verify()
        self.assertNotEqual(code, 0, out)
        self.assertIn("counters due for a rebuild (units_import:", out)
        # It counts by its own units still.
        self.assertEqual(self.received(old, OLD_PROVINCE), before[OLD_PROVINCE])

        new = self.serve()
        started = "".join(new.stderr_lines)
        self.assertEqual(len(recomputed(started)), 1, started)
        self.until_verified()
        self.assertEqual(self.received(new, OLD_PROVINCE), before[OLD_PROVINCE] - before[commune])
        self.assertEqual(self.received(new, NEW_PROVINCE), before[NEW_PROVINCE] + before[commune])
        self.assertEqual(self.received(new, commune), before[commune])

        log = self.stop(old)
        self.assertEqual(log.count(RESTART_EN), 1, log[-4000:])
        self.assertEqual(log.count(RESTART_VI), 1, log[-4000:])
        self.assertEqual(recomputed(log), [], log[-4000:])
        self.assertIn(MARKED_AT_STOP, log)
        # What the old server counted meanwhile is recounted by the new one.
        self.until_verified()
        log = self.stop(new)
        self.assertEqual(len(recomputed(log)), 2, log[-4000:])
        self.assertNotIn(RESTART_EN, log)
        self.assertNotIn(MARKED_AT_STOP, log)

        # The project's data back, for the suites that share the database.
        self.import_units(harness.ARGS.data)
        back = self.serve()
        self.assertEqual(len(recomputed("".join(back.stderr_lines))), 1)
        self.until_verified()
        self.assertEqual({u: self.received(back, u) for u in before}, before)


if __name__ == "__main__":
    run_suites([UnitsImportCase])
