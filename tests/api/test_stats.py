"""The operations centre through the real binary, on SQLite and PostgreSQL: a
simulated history (`motcua simulate`) and then live dossiers through the API
move the figures exactly as the rules say, the counters kept incrementally
equal a recomputation from scratch (`motcua stats verify`), communes are
ranked, tables export as CSV and Excel, the forecast reports its error, bad
units, periods and ranges get 400 naming them, and only the roles allowed see
the figures; and the simulator's generating thread runs at a lower priority."""
import collections
import csv
import datetime
import fractions
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import zipfile

import harness
from harness import run_suites

from dossier_client import RUN, VN, DossierClient

PROVINCE = "01"
COMMUNE = "00004"
# What a server logs when it takes the calendars another server changed.
TOOK_CALENDARS = "took the calendars another process changed"


def run_binary(*args, timeout=600):
    out = subprocess.run([harness.ARGS.binary, *args, "--data", harness.ARGS.data],
                         capture_output=True, text=True, timeout=timeout)
    return out.returncode, out.stdout, out.stderr


def waiting_while_overdue_seed(history, at):
    """The first seed from 11 whose simulated history ending at `at` leaves
    a dossier waiting for the applicant while overdue (11 if none does),
    tried on a scratch SQLite file."""
    with tempfile.TemporaryDirectory(prefix="motcua-seed-") as scratch:
        for seed in range(11, 31):
            db = os.path.join(scratch, f"{seed}.db")
            code, out, err = run_binary("simulate", "--db", "sqlite:" + db, *history,
                                        "--seed", str(seed))
            assert code == 0, out + err
            with sqlite3.connect(db) as c:
                (n,), = c.execute("SELECT count(*) FROM dossiers WHERE state = 'waiting_supplement'"
                                  " AND live_due IS NOT NULL AND live_due < ?",
                                  (int(at.timestamp()),)).fetchall()
            if n:
                return seed
    return 11


def own_database(url, name):
    """A fresh PostgreSQL database `name` on the server of `url`."""
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", "-qAt", url, "-c", sql], check=True, capture_output=True)
    parts = urllib.parse.urlsplit(url)  # postgresql:///db?host=... keeps its empty host
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


def exact_score(item, holds_today):
    """The service index of a unit's JSON figures as an exact fraction (None
    without any input): 766's groups and weights over the counters."""
    k = item["counters"]
    overdue = item["overdue_now"] if holds_today else 0

    def rate(num, den):
        return fractions.Fraction(num, den) if den > 0 else None
    groups = [(20, [rate(k["on_time"], k["finished"] + overdue)]),
              (22, [rate(k["digitised"], k["received"]),
                    rate(k["results_electronic"], k["finished"] - k["refused"])]),
              (22, [rate(k["received_online"] + k["received_portal"], k["received"]),
                    rate(k["paid_online"], k["fees_due"])]),
              (18, [rate(k["satisfied"], k["ratings"])])]
    points, out_of = fractions.Fraction(0), 0
    for weight, inputs in groups:
        values = [v for v in inputs if v is not None]
        if values:
            points += weight * sum(values) / len(values)
            out_of += weight
    return points / out_of * 100 if out_of else None


class StatsCase(DossierClient):
    @classmethod
    def setUpClass(cls):
        if cls.BACKEND is None:
            return super().setUpClass()
        # History first, on the database the server will open, ending now.
        # Whether it holds a dossier waiting for a paper while overdue depends
        # on the day; the seed is the first whose history does (one simulated
        # history is the same on both databases for one seed and end).
        at = datetime.datetime.now(VN).replace(microsecond=0)
        history = ("--province", PROVINCE, "--days", "70", "--per-day", "1",
                   "--at", at.isoformat())
        seed = waiting_while_overdue_seed(history, at)
        if cls.BACKEND == "postgresql":
            # A database of its own, as each SQLite class has: the other
            # suites' calendars and dossiers in the shared one moved the
            # history's figures away from the scratch copy the seed was found on.
            own = own_database(cls.DB_URL(cls.__name__), "motcua_stats_case")
            cls.DB_URL = staticmethod(lambda name, url=own: url)
        code, out, err = run_binary("simulate", "--db", cls.DB_URL(cls.__name__), *history,
                                    "--seed", str(seed))
        assert code == 0, out + err
        cls.simulated = json.loads(out.strip().splitlines()[-1])
        super().setUpClass()

    def stats(self, what, query, role="national_viewer"):
        status, headers, doc = self.call("GET", f"/api/v1/stats/{what}?{query}", role=role)
        return status, headers, doc

    def figures(self, unit):
        status, _, doc = self.stats("indicators", f"unit={unit}&period=day")
        self.assertEqual(status, 200, doc)
        return doc

    def other_commune(self):
        status, _, page = self.call("GET", f"/api/v1/units?province={PROVINCE}&level=commune&limit=5")
        self.assertEqual(status, 200, page)
        return next(u["code"] for u in page["items"] if u["code"] != COMMUNE)

    def test_simulated_history_is_counted(self):
        self.assertGreater(self.simulated["dossiers"], 100)
        self.assertGreater(self.simulated["events"], self.simulated["dossiers"] * 3)
        today = datetime.datetime.now(VN).date()  # Vietnam's, not this machine's zone
        status, _, f = self.stats("indicators", f"unit={PROVINCE}&from="
                                  + (today - datetime.timedelta(days=75)).isoformat()
                                  + "&to=" + today.isoformat())
        self.assertEqual(status, 200, f)
        self.assertGreaterEqual(f["received"], self.simulated["dossiers"] * 0.9)
        channels = f["received_by_channel"]
        self.assertEqual(sum(channels.values()), f["received"])
        self.assertGreater(f["finished"], 0)
        # Every finished dossier is on time or late; refusals after receipt count too.
        self.assertEqual(f["on_time"] + f["late"], f["finished"])
        self.assertGreater(f["online_rate"], 0.3)
        self.assertLess(f["online_rate"], 0.9)
        # Rates go out as computed, so a page rounds them once: 6/11 rounded
        # to 0.5455 first was shown as 54.6%.
        self.assertEqual(f["online_rate"],
                         (channels["online"] + channels["national_portal"]) / f["received"])
        self.assertEqual(f["on_time_rate"], f["on_time"] / f["finished"])
        self.assertEqual(f["online_target"], 0.7)
        # Fees are paid by their actions: online through the platform by most
        # online filers, the rest at the desk after receipt.
        self.assertGreater(f["counters"]["paid_online"], 0, f["counters"])
        self.assertLess(f["counters"]["paid_online"], f["counters"]["fees_due"])
        if self.BACKEND == "sqlite":
            paid = dict(harness.sqlite_rows(self.DB_URL(self.__class__.__name__),
                                            "SELECT action, count(*) FROM dossier_events"
                                            " WHERE action IN ('pay', 'pay_online') GROUP BY action"))
            self.assertGreater(paid.get("pay", 0), 0, paid)
            self.assertGreater(paid.get("pay_online", 0), 0, paid)
        index = f["service_index"]
        self.assertEqual([g["weight"] for g in index["groups"]], [18, 20, 22, 22, 18])
        self.assertIn("portal_sync", index["missing_inputs"])
        self.assertEqual(index["out_of"], 82)
        self.assertGreater(index["score"], 0)

    def test_a_past_range_without_dossiers_has_no_progress_score(self):
        # Dossiers overdue today say nothing of a year before the platform.
        self.assertGreater(self.figures(PROVINCE)["overdue_now"], 0)
        status, _, f = self.stats("indicators", f"unit={PROVINCE}&from=2023-01-01&to=2023-12-31")
        self.assertEqual(status, 200, f)
        self.assertEqual((f["received"], f["finished"]), (0, 0))
        index = f["service_index"]
        progress = next(g for g in index["groups"] if g["key"] == "progress")
        self.assertIsNone(progress["points"], progress)
        self.assertIsNone(progress["inputs"][0]["value"], progress)
        self.assertNotIn("on_time_rate", index["missing_inputs"])
        self.assertIsNone(index["score"], index)

    def test_live_dossiers_move_the_figures_and_match_a_recomputation(self):
        other = self.other_commune()
        before = {u: self.figures(u) for u in (COMMUNE, PROVINCE, "VN", other)}

        # A: online, supplemented once, electronic result, rated 5.
        status, _, a = self.submit(key="stats-a-" + RUN)
        self.assertEqual(status, 201, a)
        status, _, a = self.act("receiving_officer", a["id"], "receive", a["version"],
                                {"components": self.all_components()})
        self.assertEqual(status, 200, a)
        status, _, a = self.act("leader", a["code"], "assign", a["version"],
                                {"assignee": self.user_id("specialist")})
        self.assertEqual(status, 200, a)
        status, _, a = self.act("specialist", a["code"], "request_supplement", a["version"],
                                {"missing": ["Bản sao giấy khai sinh"]})
        self.assertEqual(status, 200, a)
        scan = self.upload("citizen")
        status, _, a = self.act("citizen", a["code"], "supplement", a["version"],
                                {"components": [{"component_id": "c1", "form": "uploaded_file",
                                                 "file_ref": scan}]})
        self.assertEqual(status, 200, a)
        for role, action in (("specialist", "propose"), ("leader", "approve")):
            status, _, a = self.act(role, a["code"], action, a["version"])
            self.assertEqual(status, 200, a)
        result_file = self.upload("leader")
        status, _, a = self.act("leader", a["code"], "issue_result", a["version"],
                                {"result": {"number": "9/QĐ", "form": "electronic",
                                            "file_ref": result_file}})
        self.assertEqual(status, 200, a)
        status, _, a = self.act("receiving_officer", a["code"], "return_result", a["version"],
                                {"delivery": "electronic"})
        self.assertEqual(status, 200, a)
        status, _, a = self.act("citizen", a["code"], "rate", a["version"], {"score": 5})
        self.assertEqual(status, 200, a)

        # B: at the counter, refused after receipt.
        status, _, b = self.call("POST", "/api/v1/dossiers",
                                 self.submission(channel="counter"), "receiving_officer")
        self.assertEqual(status, 201, b)
        status, _, b = self.act("receiving_officer", b["id"], "receive", b["version"],
                                {"components": self.all_components()})
        self.assertEqual(status, 200, b)
        status, _, b = self.act("leader", b["code"], "refuse", b["version"],
                                {"note": "Không thuộc thẩm quyền"})
        self.assertEqual(status, 200, b)

        # C: received, then forwarded to another commune: its figures move there.
        status, _, c = self.submit(key="stats-c-" + RUN)
        self.assertEqual(status, 201, c)
        status, _, c = self.act("receiving_officer", c["id"], "receive", c["version"],
                                {"components": self.all_components()})
        self.assertEqual(status, 200, c)
        status, _, c = self.act("leader", c["code"], "forward", c["version"],
                                {"target_unit": other, "note": "Đúng thẩm quyền"})
        self.assertEqual(status, 200, c)
        # It names both units: where it was received, and where it is settled now.
        self.assertEqual((c["receiving_unit"], c["competent_unit"]), (COMMUNE, other))
        self.assertEqual(c["receiving_unit_name"], "Phường Ba Đình")
        self.assertTrue(c["competent_unit_name"] and c["competent_unit_name"] != c["receiving_unit_name"], c)

        after = {u: self.figures(u) for u in (COMMUNE, PROVINCE, "VN", other)}

        def moved(unit, key):
            return after[unit]["counters"][key] - before[unit]["counters"][key]

        expect_commune = {"received": 2, "received_online": 1, "received_counter": 1,
                          "finished": 2, "on_time": 2, "late": 0, "refused": 1,
                          "supplement_requests": 1, "supplemented": 1, "results_electronic": 1,
                          "ratings": 1, "rating_sum": 5, "satisfied": 1}
        for key, n in expect_commune.items():
            self.assertEqual(moved(COMMUNE, key), n, key)
        self.assertEqual(after[COMMUNE]["open_now"] - before[COMMUNE]["open_now"], 0)
        for unit in (PROVINCE, "VN"):
            self.assertEqual(moved(unit, "received"), 3, unit)
            self.assertEqual(moved(unit, "finished"), 2, unit)
            self.assertEqual(after[unit]["open_now"] - before[unit]["open_now"], 1, unit)
        self.assertEqual(moved(other, "received"), 1)
        self.assertEqual(after[other]["open_now"] - before[other]["open_now"], 1)

        # Incremental = from scratch, over the whole database.
        code, out, err = run_binary("stats", "verify", "--db", self.server.db_url)
        self.assertEqual(code, 0, out + err)
        self.assertIn('"differences":0', out)

    def test_a_desk_counts_what_it_receives_for_another_unit(self):
        # Received anywhere in the province (phi địa giới): the commune's desk
        # shows the dossier it received for another commune, which still
        # counts it as received where it is settled.
        other = self.other_commune()
        units = (COMMUNE, other, PROVINCE, "VN")
        before = {u: self.figures(u) for u in units}
        status, _, d = self.call("POST", "/api/v1/dossiers",
                                 self.submission(competent_unit=other, channel="counter"),
                                 "receiving_officer")
        self.assertEqual(status, 201, d)
        status, _, d = self.act("receiving_officer", d["id"], "receive", d["version"],
                                {"components": self.all_components()})
        self.assertEqual(status, 200, d)
        self.assertEqual((d["receiving_unit"], d["competent_unit"]), (COMMUNE, other))
        own = self.receive_new()  # filed online, received at the commune it is for
        self.assertEqual((own["receiving_unit"], own["competent_unit"]), (COMMUNE, COMMUNE))
        after = {u: self.figures(u) for u in units}

        def moved(unit, key):
            return after[unit][key] - before[unit][key]

        self.assertEqual((moved(COMMUNE, "received_at_desk"), moved(COMMUNE, "received")), (2, 1))
        self.assertEqual((moved(other, "received_at_desk"), moved(other, "received")), (0, 1))
        for unit in (PROVINCE, "VN"):
            self.assertEqual((moved(unit, "received_at_desk"), moved(unit, "received")), (2, 2), unit)
        for unit in units:
            self.assertEqual(after[unit]["counters"]["received_at_desk"],
                             after[unit]["received_at_desk"], unit)
        # A province's desks received what its communes and agencies settle.
        status, _, children = self.stats("units", f"unit={PROVINCE}&period=day")
        self.assertEqual(status, 200, children)
        self.assertEqual(sum(i["received_at_desk"] for i in children["items"]),
                         after[PROVINCE]["received_at_desk"])
        row = next(i for i in children["items"] if i["unit"]["code"] == COMMUNE)
        self.assertEqual(row["received_at_desk"], after[COMMUNE]["received_at_desk"])
        h = self.server.auth_headers("province_supervisor")
        status, _, raw = self.server.request(
            "GET", f"/api/v1/stats/units?unit={PROVINCE}&period=day&format=csv", None, h)
        self.assertEqual(status, 200)
        table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        column = table[0].index("Tiếp nhận tại bộ phận một cửa / Received at the desk")
        line = next(x for x in table if x[0] == COMMUNE)
        self.assertEqual(line[column], str(after[COMMUNE]["received_at_desk"]), line)
        # Incremental = from scratch.
        code, out, err = run_binary("stats", "verify", "--db", self.server.db_url)
        self.assertEqual(code, 0, out + err)
        self.assertIn('"differences":0', out)

    def test_supplemented_are_the_received_dossiers_that_were_asked(self):
        # The supplement rate is the share of a range's received dossiers
        # asked for supplements after receipt, whenever they were asked: never
        # above 1, and the count is theirs, as the received list shows them.
        # One of them withdrawn after it was asked: still asked (it has no
        # time status, and its list line said 0 requests).
        d = self.receive_new()
        steps = [("leader", "assign", {"assignee": self.user_id("specialist")}),
                 ("specialist", "request_supplement", {"missing": ["Bản sao giấy khai sinh"]}),
                 ("citizen", "withdraw", {"note": "Không bổ sung được"})]
        for role, action, body in steps:
            status, _, d = self.act(role, d["id"], action, d["version"], body)
            self.assertEqual(status, 200, (action, d))
        today = datetime.datetime.now(VN).date()
        for days in (4, 12):
            period = f"from={today - datetime.timedelta(days=days)}&to={today}"
            status, _, units = self.stats("units", f"unit={PROVINCE}&{period}")
            self.assertEqual(status, 200, units)
            for item in units["items"]:
                self.assertLessEqual(item["supplement_rate"] or 0, 1, item)
            all_asked = 0
            for item in units["items"]:
                if item["unit"]["level"] != "commune" or not item["received"]:
                    continue
                unit = item["unit"]["code"]
                status, _, doc = self.stats("dossiers",
                                            f"unit={unit}&{period}&status=received&limit=1000")
                self.assertEqual(status, 200, doc)
                self.assertEqual(doc["total"], item["received"])
                asked = sum(1 for d in doc["items"] if d["supplement_requests"] > 0)
                self.assertEqual(item["counters"]["supplemented"], asked, (days, unit))
                all_asked += asked
            self.assertGreater(all_asked, 0, days)

    def test_communes_are_ranked_within_their_province(self):
        status, _, doc = self.stats("units", f"unit={PROVINCE}&period=year", role="province_supervisor")
        self.assertEqual(status, 200, doc)
        items = doc["items"]
        self.assertGreater(len(items), 50)
        levels = {i["unit"]["level"] for i in items}
        self.assertEqual(levels, {"commune", "province_agencies"})
        ranked = sorted((i for i in items if "rank" in i), key=lambda i: i["rank"])
        self.assertGreater(len(ranked), 10)
        scores = [i["service_index"]["score"] for i in ranked]
        self.assertEqual(scores, sorted(scores, reverse=True))
        # Standard competition ranking: one more than the scores above it, so
        # equal scores share a rank (1, 1, 3).
        self.assertEqual([i["rank"] for i in ranked],
                         [1 + sum(s > score for s in scores) for score in scores])
        # A ranked commune's index is its own indicators' index, in brief: the
        # groups' keys, weights and points, without the names and inputs.
        first = ranked[0]
        status, _, own = self.stats("indicators", f"unit={first['unit']['code']}&period=year",
                                    role="province_supervisor")
        self.assertEqual(status, 200, own)
        brief, full = first["service_index"], own["service_index"]
        self.assertEqual(brief["score"], full["score"])
        self.assertEqual(brief["missing_inputs"], full["missing_inputs"])
        self.assertEqual(brief["groups"], [{k: g[k] for k in ("key", "weight", "points")}
                                           for g in full["groups"]])
        self.assertTrue(all("name_vi" in g and g["inputs"] for g in full["groups"]), full)
        status, _, nation = self.stats("units", "unit=VN&period=year")
        self.assertEqual(status, 200, nation)
        self.assertEqual(len(nation["items"]), 34)
        total = sum(i["received"] for i in nation["items"])
        status, _, vn = self.stats("indicators", "unit=VN&period=year")
        self.assertEqual(total, vn["received"])

    def test_tables_export_as_csv_and_excel(self):
        h = self.server.auth_headers("province_supervisor")
        status, headers, raw = self.server.request(
            "GET", f"/api/v1/stats/units?unit={PROVINCE}&period=year&format=csv", None, h)
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/csv"), headers)
        self.assertIn("attachment", headers["content-disposition"])
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw.lstrip("\ufeff")
        lines = text.strip().split("\r\n")
        self.assertTrue(lines[0].startswith("Mã / Code,"), lines[0])
        self.assertGreater(len(lines), 50)
        status, headers, raw = self.server.request(
            "GET", f"/api/v1/stats/series?unit={COMMUNE}&period=month&format=xlsx", None,
            self.server.auth_headers("leader"))
        self.assertEqual(status, 200)
        self.assertIn("spreadsheetml", headers["content-type"])
        body = raw if isinstance(raw, bytes) else raw.encode("latin-1")
        self.assertEqual(body[:2], b"PK")
        status, _, raw = self.server.request(
            "GET", f"/api/v1/stats/series?unit={COMMUNE}&period=month&format=pdf", None,
            self.server.auth_headers("leader"))
        self.assertProblem(status, {"content-type": "application/problem+json"}, raw, 400, "format")

    def test_csv_downloads_keep_formula_like_text_as_text(self):
        # A catalog admin names a procedure as a spreadsheet formula: the
        # download of the dossiers that list it must not run it when opened.
        code = self.procedure["code"]
        status, _, old = self.call("GET", f"/api/v1/procedures/{code}")
        self.assertEqual(status, 200, old)
        formula = '=HYPERLINK("http://example.com/x","Bấm vào đây")'
        status, _, doc = self.call("PUT", f"/api/v1/procedures/{code}", dict(old, name=formula),
                                   "system_admin")
        self.assertEqual(status, 200, doc)
        try:
            received = self.receive_new()
            status, headers, raw = self.server.request(
                "GET", f"/api/v1/stats/dossiers?unit={COMMUNE}&period=day&status=received&format=csv",
                None, self.server.auth_headers("leader"))
            self.assertEqual(status, 200, raw)
            lines = raw.decode("utf-8-sig").strip().split("\r\n")
            line = next(x for x in lines if x.startswith(received["code"] + ","))
            self.assertIn(',"\'=HYPERLINK(""http://example.com/x"",""Bấm vào đây"")",', line)
            self.assertNotIn(',"=HYPERLINK', line)
        finally:
            status, _, doc = self.call("PUT", f"/api/v1/procedures/{code}", old, "system_admin")
            self.assertEqual(status, 200, doc)

    def test_series_warnings_and_forecast(self):
        status, _, s = self.stats("series", f"unit={PROVINCE}&period=month")
        self.assertEqual(status, 200, s)
        self.assertGreaterEqual(len(s["items"]), 28)
        self.assertEqual(s["items"][0]["date"][-2:], "01")
        status, _, w = self.stats("warnings", f"unit={PROVINCE}", role="province_supervisor")
        self.assertEqual(status, 200, w)
        now = datetime.datetime.now(VN)
        for d in w["overdue"]:
            self.assertLess(datetime.datetime.fromisoformat(d["due_at"]), now)
            self.assertNotIn("applicant", d)
        for d in w["due_soon"]:
            self.assertGreaterEqual(datetime.datetime.fromisoformat(d["due_at"]), now)
        # A commune counts its own overdue dossiers, the same ones the province's list names.
        self.assertLess(len(w["overdue"]), 100)  # the list is whole
        self.assertEqual(w["overdue_total"], len(w["overdue"]))
        self.assertEqual(len(w["due_soon"]), min(100, w["due_soon_total"]))
        late_by_unit = collections.Counter(d["competent_unit"] for d in w["overdue"])
        for unit in list(late_by_unit)[:3] + [self.other_commune()]:
            f = self.figures(unit)
            self.assertEqual(f["overdue_now"], late_by_unit[unit], unit)
        self.assertEqual(self.figures(PROVINCE)["overdue_now"], len(w["overdue"]))
        status, _, f = self.stats("forecast", f"unit={PROVINCE}&per_staff=20")
        self.assertEqual(status, 200, f)
        self.assertEqual(len(f["days"]), 14)
        days = [datetime.date.fromisoformat(d["date"]) for d in f["days"]]
        self.assertEqual(days, sorted(set(days)))
        self.assertGreater(days[0], datetime.datetime.now(VN).date())
        for d in f["days"]:
            self.assertGreaterEqual(d["expected"], 0)
            # Enough officers at 20 a day, and not one too many (expected is rounded to 0.1).
            self.assertGreaterEqual(d["staff"] * 20, d["expected"] - 0.05, d)
            self.assertLess((d["staff"] - 1) * 20, d["expected"] + 0.05, d)
        self.assertIsNotNone(f["error"])
        self.assertEqual(f["error"]["held_back_days"], 14)
        self.assertEqual(len(f["error"]["days"]), 14)
        self.assertGreaterEqual(f["error"]["mae"], 0)
        # The history starts on the platform's first day with figures (the
        # simulated 70 days), not 16 weeks ago with weeks of zeros before it.
        today = datetime.datetime.now(VN).date()
        status, _, s = self.stats("series", f"unit=VN&from={today - datetime.timedelta(days=120)}"
                                  f"&to={today}")
        self.assertEqual(status, 200, s)
        first = datetime.date.fromisoformat(next(d["date"] for d in s["items"] if d["received"]))
        self.assertEqual(f["history_from"], first.isoformat(), f)
        weekdays = sum((first + datetime.timedelta(days=i)).weekday() < 5
                       for i in range((today - first).days))
        self.assertLessEqual(f["history_working_days"], weekdays)
        self.assertGreater(f["history_working_days"], weekdays - 10)  # a few holidays at most
        # The back-test's days are the last held back of that history.
        self.assertGreater(datetime.date.fromisoformat(f["error"]["days"][0]["date"]), first)

    def test_warning_lists_are_the_soonest_due_of_their_totals(self):
        def warnings(limit):
            status, _, w = self.stats("warnings", f"unit={PROVINCE}&limit={limit}",
                                      role="province_supervisor")
            self.assertEqual(status, 200, w)
            return w
        whole = warnings(1000)
        self.assertEqual(whole["overdue_total"], len(whole["overdue"]))
        self.assertEqual(whole["due_soon_total"], len(whole["due_soon"]))
        self.assertEqual(whole["overdue_total"], self.figures(PROVINCE)["overdue_now"])
        # Enough overdue to fill the soonest-due places of a short list, and
        # some due soon that must still be listed.
        self.assertGreaterEqual(whole["overdue_total"], 2)
        self.assertGreaterEqual(whole["due_soon_total"], 1)
        short = warnings(1)
        self.assertEqual(short["overdue"], whole["overdue"][:1])
        self.assertEqual(short["due_soon"], whole["due_soon"][:1])
        for key in ("overdue_total", "due_soon_total"):
            self.assertEqual(short[key], whole[key], key)
        # Each is what the dossier's own time status says (due soon: at most
        # one working day left, the end of that day included).
        for listed, expect in ((whole["due_soon"][:5], "due_soon"), (whole["overdue"][:5], "overdue")):
            for item in listed:
                status, _, view = self.call("GET", f"/api/v1/dossiers/{item['code']}",
                                            role="province_supervisor")
                self.assertEqual(status, 200, view)
                self.assertTrue(view["time"][expect], (expect, item, view["time"]))
        for bad in ("0", "1001", "x", "-1", "2.5"):
            status, headers, p = self.stats("warnings", f"unit={PROVINCE}&limit={bad}",
                                            role="province_supervisor")
            self.assertEqual(status, 400, p)
            self.assertEqual(p["param"], "limit", p)
            self.assertTrue(p["detail_vi"] and p["detail"], p)

    def test_each_figure_of_a_commune_lists_its_dossiers(self):
        # A commune with overdue dossiers, so that every list has some.
        status, _, w = self.stats("warnings", f"unit={PROVINCE}&limit=1000")
        self.assertEqual(status, 200, w)
        self.assertTrue(w["overdue"], w)
        unit = w["overdue"][0]["competent_unit"]
        today = datetime.datetime.now(VN).date()
        # The lists of a short range, which the store's columns narrow, agree too.
        for days in (3, 10):
            since = today - datetime.timedelta(days=days)
            short = f"unit={unit}&from={since.isoformat()}&to={today.isoformat()}"
            status, _, f = self.stats("indicators", short)
            self.assertEqual(status, 200, f)
            for kind, key in (("received", "received"), ("finished", "finished"),
                              ("on_time", "on_time"), ("late", "late")):
                status, _, doc = self.stats("dossiers", f"{short}&status={kind}&limit=1000")
                self.assertEqual(status, 200, doc)
                self.assertEqual(doc["total"], f[key], (days, kind))
                self.assertEqual(len(doc["items"]), f[key], (days, kind))
        first = today - datetime.timedelta(days=75)
        period = f"unit={unit}&from={first.isoformat()}&to={today.isoformat()}"
        status, _, f = self.stats("indicators", period)
        self.assertEqual(status, 200, f)

        def listed(kind, extra=""):
            status, _, doc = self.stats("dossiers", f"{period}&status={kind}{extra}")
            self.assertEqual(status, 200, doc)
            return doc
        figure = {"received": "received", "finished": "finished", "on_time": "on_time",
                  "late": "late", "open": "open_now", "overdue": "overdue_now"}
        moment = {"received": "received_at", "finished": "finished_at", "on_time": "finished_at",
                  "late": "finished_at", "open": "due_at", "overdue": "due_at"}
        lists = {}
        for kind, key in figure.items():
            doc = listed(kind, "&limit=1000")
            items = doc["items"]
            # The list is the figure's own dossiers: as many, each once.
            self.assertEqual(doc["total"], f[key], kind)
            self.assertEqual(len(items), doc["total"], kind)
            self.assertEqual(len({d["code"] for d in items}), len(items), kind)
            self.assertEqual((doc["status"], doc["unit"]["code"]), (kind, unit))
            lists[kind] = items
            times = [datetime.datetime.fromisoformat(d[moment[kind]]) for d in items]
            # Newest receipt or finish first; open and overdue soonest due first.
            self.assertEqual(times, sorted(times, reverse=moment[kind] != "due_at"), kind)
            if moment[kind] != "due_at":
                for t in times:
                    self.assertTrue(first <= t.astimezone(VN).date() <= today, (kind, t))
            for d in items:
                self.assertNotIn("applicant", d)
                self.assertTrue(d["procedure_name"], d)
        for kind in ("received", "finished", "open", "overdue"):
            self.assertTrue(lists[kind], kind)
        codes = {k: {d["code"] for d in v} for k, v in lists.items()}
        self.assertEqual(codes["on_time"] | codes["late"], codes["finished"])
        self.assertFalse(codes["on_time"] & codes["late"])
        self.assertLessEqual(codes["overdue"], codes["open"])
        self.assertEqual(codes["overdue"], {d["code"] for d in w["overdue"] if d["competent_unit"] == unit})
        # Each is what the dossier's own time status says.
        for kind in ("on_time", "late", "overdue"):
            for d in lists[kind]:
                self.assertEqual(d["time_status"], kind, d)
        for d in lists["open"]:
            self.assertIn(d["state"], ("received", "waiting_supplement", "in_progress",
                                       "proposed", "approved"), d)
        if lists["late"]:
            status, _, view = self.call("GET", f"/api/v1/dossiers/{lists['late'][0]['code']}",
                                        role="province_supervisor")
            self.assertEqual(status, 200, view)
            self.assertEqual(view["time"]["status"], "late", view["time"])
        # Pages of a few make up the whole list, in its order.
        whole = [d["code"] for d in lists["received"]]
        paged, offset = [], 0
        while offset < len(whole):
            doc = listed("received", f"&limit=7&offset={offset}")
            self.assertEqual((doc["total"], doc["offset"], doc["limit"]), (len(whole), offset, 7))
            self.assertEqual(len(doc["items"]), min(7, len(whole) - offset))
            paged += [d["code"] for d in doc["items"]]
            offset += 7
        self.assertEqual(paged, whole)
        self.assertEqual(listed("received", f"&offset={len(whole)}")["items"], [])
        # A download is the whole list, whatever page is asked for.
        status, headers, raw = self.server.request(
            "GET", f"/api/v1/stats/dossiers?{period}&status=received&limit=3&format=csv", None,
            self.server.auth_headers("province_supervisor"))
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/csv"), headers)
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw.lstrip("\ufeff")
        lines = text.strip().split("\r\n")
        self.assertTrue(lines[0].startswith("Mã hồ sơ / Code,"), lines[0])
        self.assertEqual(len(lines), len(whole) + 1)
        self.assertEqual([line.split(",")[0] for line in lines[1:]], whole)
        # Bad input: a 400 naming what to change.
        for query, param in ((f"{period}&status=delayed", "status"),
                             (f"unit={PROVINCE}&period=month", "unit"),
                             ("unit=VN&period=month", "unit"), (f"{period}&limit=0", "limit"),
                             (f"{period}&limit=1001", "limit"), (f"{period}&offset=-1", "offset"),
                             (f"unit={unit}&period=fortnight", "period")):
            status, headers, doc = self.stats("dossiers", query)
            self.assertProblem(status, headers, doc, 400, param)
        # Access as for the figures: a commune's leader sees only their own commune.
        status, _, doc = self.stats("dossiers", f"unit={COMMUNE}&period=month", role="leader")
        self.assertEqual(status, 200, doc)
        status, headers, doc = self.stats("dossiers", f"unit={self.other_commune()}&period=month",
                                          role="leader")
        self.assertProblem(status, headers, doc, 403)
        for role in ("citizen", "specialist"):
            status, headers, doc = self.stats("dossiers", f"unit={COMMUNE}", role=role)
            self.assertProblem(status, headers, doc, 403)

    def test_dossiers_waiting_since_they_were_overdue_count_as_overdue(self):
        # The simulated history asks some late dossiers for a paper after their
        # due time: they wait for the applicant, and stay overdue while they do.
        # Found commune by commune through the open list, whose lines carry each
        # dossier's own time status. Over the whole simulated history (70
        # days): the month alone, early in a month, may hold no such dossier.
        status, _, page = self.call(
            "GET", f"/api/v1/units?province={PROVINCE}&level=commune&limit=200")
        self.assertEqual(status, 200, page)
        today = datetime.datetime.now(VN).date()
        period = f"from={today - datetime.timedelta(days=75)}&to={today}"
        found = None
        for u in page["items"]:
            status, _, doc = self.stats("dossiers", f"unit={u['code']}&{period}&status=open&limit=1000")
            self.assertEqual(status, 200, doc)
            if any(d["state"] == "waiting_supplement" and d["time_status"] == "overdue"
                   for d in doc["items"]):
                found = (u["code"], doc["items"])
                break
        self.assertIsNotNone(found, "no commune has a dossier waiting while overdue")
        unit, open_items = found
        overdue = {d["code"] for d in open_items if d["time_status"] == "overdue"}
        waiting = {d["code"] for d in open_items
                   if d["state"] == "waiting_supplement" and d["time_status"] == "overdue"}
        # The figure, the commune's overdue list and the province's warnings all
        # count every open dossier past its due, the waiting ones among them.
        self.assertEqual(self.figures(unit)["overdue_now"], len(overdue))
        status, _, doc = self.stats("dossiers", f"unit={unit}&{period}&status=overdue&limit=1000")
        self.assertEqual(status, 200, doc)
        self.assertEqual({d["code"] for d in doc["items"]}, overdue)
        status, _, w = self.stats("warnings", f"unit={PROVINCE}&limit=1000", role="province_supervisor")
        self.assertEqual(status, 200, w)
        listed = {d["code"]: d["state"] for d in w["overdue"] if d["competent_unit"] == unit}
        self.assertEqual(set(listed), overdue)
        self.assertTrue(all(listed[c] == "waiting_supplement" for c in waiting), listed)
        # And the dossier's own page says so.
        code = sorted(waiting)[0]
        status, _, view = self.call("GET", f"/api/v1/dossiers/{code}", role="province_supervisor")
        self.assertEqual(status, 200, view)
        self.assertEqual((view["state"], view["time"]["overdue"]), ("waiting_supplement", True))

    def test_verify_names_a_live_due_time_that_disagrees_with_its_dossier(self):
        if self.BACKEND != "sqlite":
            self.skipTest("the row is edited with Python's sqlite3")
        url = self.server.db_url
        (dossier_id, live), = harness.sqlite_rows(
            url, "SELECT id, live_due FROM dossiers WHERE live_due IS NOT NULL ORDER BY id LIMIT 1")
        edit = "UPDATE dossiers SET live_due = ? WHERE id = ?"
        self.assertEqual(harness.sqlite_edit(url, (edit, (None, dossier_id))), 1)
        try:
            code, out, err = run_binary("stats", "verify", "--db", url)
            self.assertEqual(code, 1, out + err)
            self.assertIn(f"differs: dossier {dossier_id} live_due=none(recomputed 20", out)
            self.assertIn('"differences":1', out)
        finally:
            harness.sqlite_edit(url, (edit, (live, dossier_id)))
        code, out, err = run_binary("stats", "verify", "--db", url)
        self.assertEqual(code, 0, out + err)
        self.assertIn('"differences":0', out)

    def test_bad_units_periods_and_ranges_are_400_naming_them(self):
        for query, param in (("unit=XYZ", "unit"), ("unit=99", "unit"), ("", "unit"),
                             ("unit=01&period=fortnight", "period"),
                             ("unit=01&period=day&date=2026-02-30", "date"),
                             ("unit=01&from=2026-03-01&to=2026-02-01", "to"),
                             ("unit=01&to=2026-02-01", "from"),
                             ("unit=01&from=2000-01-01&to=2026-01-01", "to")):
            status, headers, doc = self.stats("indicators", query)
            self.assertProblem(status, headers, doc, 400, param)
        for per_staff in ("0", "nan", "-nan", "NaN", "inf", "infinity", "-inf", "1e400"):
            status, headers, doc = self.stats("forecast", f"unit=01&per_staff={per_staff}")
            self.assertProblem(status, headers, doc, 400, "per_staff")
        # A period with a range: which one was meant is not guessed.
        for extra in ("&from=2026-01-01&to=2026-01-31", "&from=2026-01-01", "&to=2026-01-31"):
            status, headers, doc = self.stats("indicators", "unit=01&period=month" + extra)
            problem = self.assertProblem(status, headers, doc, 400, "period")
            for text in (problem["detail"], problem["detail_vi"]):
                self.assertIn("'period'", text)
                self.assertIn("'from'", text)

    def test_a_range_not_begun_has_no_score(self):
        # Next month: no dossier can be in it, and those overdue today say
        # nothing of it, as of a past range without dossiers.
        self.assertGreater(self.figures(PROVINCE)["overdue_now"], 0)
        today = datetime.datetime.now(VN).date()
        first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        query = f"from={first.isoformat()}&to={last.isoformat()}"
        for unit in (PROVINCE, COMMUNE):
            status, _, f = self.stats("indicators", f"unit={unit}&{query}")
            self.assertEqual(status, 200, f)
            self.assertEqual((f["received"], f["finished"]), (0, 0))
            progress = next(g for g in f["service_index"]["groups"] if g["key"] == "progress")
            self.assertIsNone(progress["points"], progress)
            self.assertIsNone(f["service_index"]["score"], f["service_index"])
        status, _, doc = self.stats("units", f"unit={PROVINCE}&{query}", role="province_supervisor")
        self.assertEqual(status, 200, doc)
        self.assertGreater(sum(i["overdue_now"] for i in doc["items"]), 0)
        self.assertEqual([i for i in doc["items"] if "rank" in i or i["service_index"]["score"] is not None], [])
        # A range that holds today still counts them.
        status, _, f = self.stats("indicators", f"unit={PROVINCE}&from={today.isoformat()}&to={last.isoformat()}")
        self.assertEqual(status, 200, f)
        progress = next(g for g in f["service_index"]["groups"] if g["key"] == "progress")
        self.assertEqual(progress["inputs"][0]["value"],
                         f["on_time"] / (f["finished"] + f["overdue_now"]))

    def test_equal_scores_share_a_rank_and_one_number(self):
        # Every score is its exact value (the fractions of the counters)
        # rounded once, so equal scores are one number and one rank: added up
        # in floating point, 74.21875 showed as 74.21874999999999, ranked apart.
        today = datetime.datetime.now(VN).date()
        ranges = [(today - datetime.timedelta(days=d),) * 2 for d in range(1, 15)]
        ranges += [(today - datetime.timedelta(days=30), today - datetime.timedelta(days=1)),
                   (today - datetime.timedelta(days=75), today)]
        shared = 0
        for first, last in ranges:
            status, _, doc = self.stats("units", f"unit={PROVINCE}&from={first}&to={last}",
                                        role="province_supervisor")
            self.assertEqual(status, 200, doc)
            holds_today = first <= today <= last
            by_exact = collections.defaultdict(list)
            for item in doc["items"]:
                exact = exact_score(item, holds_today)
                score = item["service_index"]["score"]
                self.assertEqual(score, None if exact is None else float(exact), item["unit"])
                if "rank" in item:
                    by_exact[exact].append(item)
            exacts = sorted(by_exact, reverse=True)
            for exact, items in by_exact.items():
                above = sum(len(by_exact[e]) for e in exacts if e > exact)
                self.assertEqual({i["rank"] for i in items}, {above + 1}, (first, last, exact))
                self.assertEqual(len({repr(i["service_index"]["score"]) for i in items}), 1)
                shared += len(items) > 1
        self.assertGreater(shared, 0)

    def test_excel_values_are_the_csv_numbers(self):
        # A cell holds the number the CSV shows. libxlsxwriter writes 16
        # significant digits (92.4 as 92.40000000000001): the same double,
        # which Excel shows with its 15 as 92.4.
        h = self.server.auth_headers("province_supervisor")
        for path in (f"units?unit={PROVINCE}&period=year", f"indicators?unit={COMMUNE}&period=year",
                     f"units?unit={PROVINCE}&period=day"):
            status, _, raw = self.server.request("GET", f"/api/v1/stats/{path}&format=csv", None, h)
            self.assertEqual(status, 200, raw)
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
            status, _, book = self.server.request("GET", f"/api/v1/stats/{path}&format=xlsx", None, h)
            self.assertEqual(status, 200, book)
            sheet = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()
            numbers = [[v for t, v in re.findall(r'<c r="[A-Z]+\d+"(?: s="\d+")?( t="\w+")?><v>([^<]*)</v>', row)
                        if not t]
                       for row in re.findall(r"<row [^>]*>(.*?)</row>", sheet)]
            self.assertEqual(len(numbers), len(rows))
            self.assertEqual([[float(v) for v in r] for r in numbers[1:]],
                             [[float(x) for x in r[2:] if x] for r in rows[1:]], path)
            self.assertTrue(any("." in v for r in numbers for v in r), path)

    def test_the_indicators_download_has_no_rank_column(self):
        # A unit's own figures carry no rank (nor does their JSON); the
        # province's table ranks its communes.
        h = self.server.auth_headers("province_supervisor")
        status, _, raw = self.server.request(
            "GET", f"/api/v1/stats/indicators?unit={COMMUNE}&period=year&format=csv", None, h)
        self.assertEqual(status, 200, raw)
        own = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        self.assertNotIn("Hạng / Rank", own[0])
        self.assertEqual(len(own[1]), len(own[0]))
        status, _, raw = self.server.request(
            "GET", f"/api/v1/stats/units?unit={PROVINCE}&period=year&format=csv", None, h)
        self.assertEqual(status, 200, raw)
        table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        self.assertEqual(table[0][2], "Hạng / Rank")
        row = next(r for r in table if r[0] == COMMUNE)
        self.assertEqual(own[1], row[:2] + row[3:])

    def test_only_the_allowed_roles_see_the_figures(self):
        for role in ("citizen", "receiving_officer", "specialist"):
            status, headers, doc = self.stats("indicators", f"unit={COMMUNE}", role=role)
            self.assertProblem(status, headers, doc, 403)
        status, headers, doc = self.stats("indicators", "unit=VN", role="province_supervisor")
        self.assertProblem(status, headers, doc, 403)
        status, headers, doc = self.stats("indicators", "unit=79", role="province_supervisor")
        self.assertProblem(status, headers, doc, 403)
        status, headers, doc = self.stats("indicators", f"unit={PROVINCE}", role="leader")
        self.assertProblem(status, headers, doc, 403)
        for role, unit in (("leader", COMMUNE), ("unit_admin", COMMUNE),
                           ("province_supervisor", PROVINCE), ("province_supervisor", COMMUNE),
                           ("national_viewer", "VN"), ("system_admin", "VN")):
            status, _, doc = self.stats("indicators", f"unit={unit}", role=role)
            self.assertEqual(status, 200, (role, unit, doc))
        status, _, _ = self.call("GET", "/api/v1/stats/indicators?unit=VN")
        self.assertEqual(status, 401)


class SimulatorCase(unittest.TestCase):
    """The simulator's threads as the process shows them."""
    BACKEND = None
    DB_URL = None

    def test_the_generating_thread_yields_to_the_writer(self):
        # Its writer is the critical path: the generator runs at niceness 5
        # so that the writer never waits for a core. SQLite only: on
        # PostgreSQL the suites share one database, and the thread is the same.
        if self.BACKEND != "sqlite":
            self.skipTest("the same thread on every back end")
        proc = subprocess.Popen(
            [harness.ARGS.binary, "simulate", "--db", self.DB_URL("simulator_threads"),
             "--province", PROVINCE, "--days", "30", "--per-day", "3", "--seed", "5",
             "--data", harness.ARGS.data], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        nice = None
        try:
            while nice is None and proc.poll() is None:
                nice = thread_nice(proc.pid, "sim-generate")
                time.sleep(0.001)
        finally:
            out, err = proc.communicate(timeout=600)
        self.assertEqual(proc.returncode, 0, err)
        self.assertGreater(json.loads(out.strip().splitlines()[-1])["dossiers"], 1000)
        self.assertEqual(nice, 5, "the generating thread was never seen, or not at niceness 5")


    def test_a_rebuild_while_dossiers_are_written_loses_none(self):
        # A rebuild is computed from one snapshot and replaces the counters only
        # if no counted change came after it; else it tries again, or refuses.
        # Either way the counters then equal a recomputation. SQLite only: on
        # PostgreSQL the suites share one database.
        if self.BACKEND != "sqlite":
            self.skipTest("a history of its own")
        url = self.DB_URL("rebuild_under_writes")
        code, out, err = run_binary("simulate", "--db", url, "--province", PROVINCE, "--days", "20",
                                    "--per-day", "3", "--seed", "8")
        self.assertEqual(code, 0, err)
        writer = subprocess.Popen(
            [harness.ARGS.binary, "simulate", "--db", url, "--province", PROVINCE, "--days", "60",
             "--per-day", "6", "--seed", "9", "--at", "2026-03-01T17:00:00+07:00",
             "--data", harness.ARGS.data], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            rebuilt = run_binary("stats", "rebuild", "--db", url)
        finally:
            w_out, w_err = writer.communicate(timeout=600)
        self.assertEqual(writer.returncode, 0, w_err)
        self.assertIn(rebuilt[0], (0, 1), rebuilt)
        if rebuilt[0] == 1:
            self.assertIn("changed while the figures were recomputed", rebuilt[2])
        code, out, err = run_binary("stats", "verify", "--db", url)
        self.assertEqual((code, json.loads(out.strip().splitlines()[-1])["differences"]), (0, 0),
                         out[-2000:] + err)


class DeadlineSweepCase(unittest.TestCase):
    """The deadline sweep over a simulated history in which some dossiers wait
    for the applicant while already overdue (a paper asked for after the due
    time), among others waiting since before theirs (not overdue, however
    long past their indexed due; no live due time, so no candidates): the
    command reads every candidate a chunk at a time, and the server's rounds
    reach every overdue one."""
    BACKEND = None
    DB_URL = None
    # Not the other suites' province: on PostgreSQL they share one database.
    SWEPT = "08"
    AT = "2026-03-20T16:00:00+07:00"  # a Friday afternoon

    def simulate(self, url, seed, at):
        code, out, err = run_binary("simulate", "--db", url, "--province", self.SWEPT, "--days",
                                    "40", "--per-day", "2", "--seed", str(seed), "--at", at)
        self.assertEqual(code, 0, out + err)

    def sweep(self, url, per_pass, at):
        code, out, err = run_binary("deadlines", "sweep", "--db", url, "--at", at,
                                    "--per-pass", str(per_pass))
        self.assertEqual(code, 0, out + err)
        return json.loads(out)

    def test_the_command_reads_every_candidate_a_chunk_at_a_time(self):
        url = self.DB_URL("deadline_sweep")
        self.simulate(url, 4, self.AT)
        first = self.sweep(url, 2, self.AT)
        # More than a chunk of each pass was flagged...
        self.assertGreater(first["overdue"], 4, first)
        self.assertGreater(first["due_soon"], 2, first)
        # ...and a chunk holding every candidate finds nothing left.
        self.assertEqual(self.sweep(url, 1000000, self.AT), {"due_soon": 0, "overdue": 0})
        if self.BACKEND == "sqlite":
            # Waiting dossiers flagged overdue behind one that is not.
            self.assertIn("01", flagged_pattern(waiting_past_due(url, self.AT)))

    def test_the_servers_rounds_reach_every_overdue_dossier_waiting(self):
        if self.BACKEND != "sqlite":
            self.skipTest("reads the flags from the SQLite file; the same sweep on both")
        now = datetime.datetime.now(VN).replace(microsecond=0).isoformat()
        # A history (they depend on today's date) in which a waiting dossier
        # not overdue comes, by indexed due, before one overdue: a sweep
        # reading candidates by their indexed due, from the start every round,
        # never got past such dossiers when a chunk held only them.
        for seed in range(1, 20):
            url = self.DB_URL(f"deadline_rounds_{seed}")
            self.simulate(url, seed, now)
            whole = self.DB_URL(f"deadline_rounds_{seed}_whole")
            copy_sqlite(url, whole)
            self.sweep(whole, 1000000, now)
            order = waiting_past_due(whole, now)
            if "01" in flagged_pattern(order):
                break
        else:
            self.fail("no simulated history has an overdue waiting dossier behind one not overdue")
        expected = {i for i, f in order if f}
        # Two candidates a pass a second; the overdue waiting ones stay
        # overdue while they wait, whatever the server's clock says by then.
        server = harness.Server(url, extra=["--sweep-every", "1", "--per-pass", "2"], demo=False)
        try:
            deadline = time.monotonic() + 90
            got = set()
            while time.monotonic() < deadline and not expected <= got:
                time.sleep(0.5)
                got = flagged_overdue_waiting(url)
            self.assertLessEqual(expected, got, f"{len(order)} waiting past their indexed due")
        finally:
            self.assertEqual(server.stop(), 0, "".join(server.stderr_lines)[-4000:])


class StatsUpgradeCase(unittest.TestCase):
    """Counters an upgrade left stale (migration 17 marks them when a dossier's
    "supplemented" moved to its receipt day): verify says so, and serve
    recomputes them on start, before it listens."""
    BACKEND = None
    DB_URL = None

    def test_serve_recomputes_the_counters_an_upgrade_left_stale(self):
        if self.BACKEND != "sqlite":
            self.skipTest("the rows are edited with Python's sqlite3; the same mark on both")
        url = self.DB_URL("stats_upgrade")
        code, out, err = run_binary("simulate", "--db", url, "--province", "08", "--days", "20",
                                    "--per-day", "1", "--seed", "7")
        self.assertEqual(code, 0, out + err)
        # As an older version left it: a count where it no longer belongs, and
        # the mark the migration leaves on a database with counters.
        moved = harness.sqlite_edit(
            url, ("UPDATE stats_daily SET supplemented = supplemented + 1 WHERE level = 'nation'"
                  " AND day = (SELECT max(day) FROM stats_daily WHERE level = 'nation')", ()),
            ("INSERT INTO stats_rebuild_due (reason) VALUES ('supplemented_on_receipt_day')", ()))
        self.assertEqual(moved, 2)
        code, out, err = run_binary("stats", "verify", "--db", url)
        self.assertEqual(code, 1, out + err)
        self.assertIn("counters due for a rebuild (supplemented_on_receipt_day)", out)
        server = harness.Server(url, demo=False)
        try:
            self.assertIn("recomputed the operations centre's counters"
                          " (supplemented_on_receipt_day)", "".join(server.stderr_lines))
            # Serving, once recomputed (and a stop that finds it running).
            status, _, _ = server.request("GET", "/healthz")
            self.assertEqual(status, 200)
        finally:
            self.assertEqual(server.stop(), 0, "".join(server.stderr_lines)[-4000:])
        code, out, err = run_binary("stats", "verify", "--db", url)
        self.assertEqual(code, 0, out + err)
        self.assertIn('"differences":0', out)


class StatsCalendarCase(unittest.TestCase):
    """A change of a unit's working hours changes the working time of its
    dossiers already finished: the change marks the counters in its own
    write, and a serving server recounts them in the background (every
    --sweep-every seconds), so `stats verify` agrees again without a restart;
    also when the server recounting is not the one the change was made on."""
    BACKEND = None
    DB_URL = None
    PROVINCE = "15"  # no other suite's: on PostgreSQL they share one database

    def until_verified(self, url):
        """Waits for `stats verify` to pass (a change's mark stays due until
        its recount); fails after 60 s."""
        deadline = time.monotonic() + 60
        while True:
            code, out, err = run_binary("stats", "verify", "--db", url)
            if code == 0:
                return
            if time.monotonic() > deadline:
                self.fail(f"not recounted: {out[-2000:]}{err}")
            time.sleep(0.5)

    def change_and_restore(self, url, changer, counter):
        """Shortens the hours of the commune with the most finished dossiers
        on `changer`, waits for the recount, then sets the default hours
        back; `counter` (the server that recounts) logs both recounts."""
        viewer = changer.auth_headers("national_viewer")

        def get(path):
            status, _, raw = changer.request("GET", path, None, viewer)
            return status, json.loads(raw)
        today = datetime.datetime.now(VN).date()
        period = f"from={today - datetime.timedelta(days=30)}&to={today}"
        status, units = get(f"/api/v1/stats/units?unit={self.PROVINCE}&{period}")
        self.assertEqual(status, 200, units)
        commune = max((i for i in units["items"] if i["unit"]["level"] == "commune"),
                      key=lambda i: i["finished"])["unit"]["code"]

        def processing_days():
            status, doc = get(f"/api/v1/stats/indicators?unit={commune}&{period}")
            self.assertEqual(status, 200, doc)
            self.assertGreater(doc["finished"], 5)
            return doc["avg_processing_days"]

        before = processing_days()
        admin = {"Content-Type": "application/json", **changer.auth_headers("system_admin")}
        path = f"/api/v1/units/{commune}/calendar-settings"
        short = {"morning_start": "09:00", "morning_end": "10:00", "afternoon_start": "14:00",
                 "afternoon_end": "15:00"}
        status, _, body = changer.request("PUT", path, json.dumps(short), admin)
        self.assertEqual(status, 200, body)
        self.until_verified(url)
        self.assertNotEqual(processing_days(), before)
        # Back to the default hours: recounted again, to the first figure.
        status, _, body = changer.request("PUT", path, "{}", admin)
        self.assertEqual(status, 200, body)
        deadline = time.monotonic() + 60
        while processing_days() != before and time.monotonic() < deadline:
            time.sleep(0.5)
        self.assertEqual(processing_days(), before)
        self.until_verified(url)
        self.assertEqual(counter.stop(), 0, "".join(counter.stderr_lines)[-4000:])
        log = "".join(counter.stderr_lines)
        self.assertEqual(log.count("recomputed the operations centre's counters (calendar_changed:"
                                   f" working hours of unit {commune} at"), 2, log[-4000:])

    def history(self, name, seed):
        # A seed of its own: on PostgreSQL both tests' histories share one database.
        url = self.DB_URL(name)
        code, out, err = run_binary("simulate", "--db", url, "--province", self.PROVINCE,
                                    "--days", "20", "--per-day", "1", "--seed", str(seed))
        self.assertEqual(code, 0, out + err)
        return url

    def test_a_change_of_working_hours_is_recounted_while_serving(self):
        url = self.history("stats_calendar_one", 5)
        server = harness.Server(url, extra=["--sweep-every", "1"])
        try:
            self.change_and_restore(url, server, server)
        finally:
            self.assertEqual(server.stop(), 0, "".join(server.stderr_lines)[-4000:])
        # Its own changes are no news to it: the calendars it reads back are the ones it has.
        self.assertNotIn(TOOK_CALENDARS, "".join(server.stderr_lines))

    def test_another_server_recounts_with_the_changed_calendar(self):
        # Two servers on one database: the one recounting started before the
        # change, so its own calendars lack it; it counts with the stored ones.
        url = self.history("stats_calendar_two", 6)
        counter = harness.Server(url, extra=["--sweep-every", "1"])
        changer = harness.Server(url, extra=["--sweep-every", "0"])
        try:
            self.change_and_restore(url, changer, counter)
        finally:
            for server in (changer, counter):
                self.assertEqual(server.stop(), 0, "".join(server.stderr_lines)[-4000:])

    def test_a_server_takes_the_calendars_another_changed(self):
        # Two servers on one database: what the one changes, the other uses
        # within a few of its passes, for due times and for the counters.
        url = self.history("stats_calendar_take", 8)
        taker = harness.Server(url, extra=["--sweep-every", "1"])
        changer = harness.Server(url, extra=["--sweep-every", "0"])
        try:
            admin = {"Content-Type": "application/json", **changer.auth_headers("system_admin")}
            status, _, raw = changer.request("GET", f"/api/v1/stats/units?unit={self.PROVINCE}",
                                             None, changer.auth_headers("national_viewer"))
            self.assertEqual(status, 200, raw)
            # The province's first commune: no other suite's (they share a PostgreSQL database).
            commune = min(i["unit"]["code"] for i in json.loads(raw)["items"]
                          if i["unit"]["level"] == "commune")
            settings = f"/api/v1/units/{commune}/calendar-settings"
            year = "/api/v1/calendar/2027/overrides"

            def hours_on(server):
                status, _, doc = server.get_json(settings)
                self.assertEqual(status, 200, doc)
                return doc["working_hours"]["morning_start"]

            def due_on(server):
                status, _, doc = server.get_json(
                    f"/api/v1/calendar/due?unit={commune}&days=3"
                    "&from=2027-03-01T10%3A00%3A00%2B07%3A00")
                self.assertEqual(status, 200, doc)
                return doc["due"]

            def until(what, check):
                deadline = time.monotonic() + 30
                while not check():
                    self.assertLess(time.monotonic(), deadline, what)
                    time.sleep(0.2)

            self.assertEqual(hours_on(taker), "07:30")
            self.assertEqual(due_on(taker), "2027-03-04T17:00:00+07:00")
            short = {"morning_start": "09:00", "morning_end": "10:00", "afternoon_start": "14:00",
                     "afternoon_end": "15:00"}
            status, _, body = changer.request("PUT", settings, json.dumps(short), admin)
            self.assertEqual(status, 200, body)
            decision = {"days_off": [{"date": "2027-03-03", "name_vi": "Nghỉ hoán đổi",
                                      "name_en": "Swapped day off"}]}
            status, _, body = changer.request("PUT", year, json.dumps(decision), admin)
            self.assertEqual(status, 200, body)
            until("the other server's hours are taken", lambda: hours_on(taker) == "09:00")
            until("the other server's decision is taken",
                  lambda: due_on(taker) == "2027-03-05T15:00:00+07:00")
            self.until_verified(url)
            # Back as they were, and taken again.
            for path in (settings, year):
                status, _, body = changer.request("PUT", path, "{}", admin)
                self.assertEqual(status, 200, body)
            until("the hours set back are taken", lambda: hours_on(taker) == "07:30")
            until("the decision set back is taken",
                  lambda: due_on(taker) == "2027-03-04T17:00:00+07:00")
            self.until_verified(url)
        finally:
            for server in (changer, taker):
                self.assertEqual(server.stop(), 0, "".join(server.stderr_lines)[-4000:])
        log = "".join(taker.stderr_lines)
        self.assertIn(TOOK_CALENDARS, log)
        # What it counted with its old calendars meanwhile was marked, and recounted.
        self.assertIn("recomputed the operations centre's counters (calendar_changed:"
                      " calendars changed by another process at", log)


class ListPagesCase(DossierClient):
    """A commune's list longer than the pages the server reads it in (256
    dossiers, a state at a time, decided on two threads as they come): each
    of its dossiers once, as many as its figure counts, newest first."""
    # Not the other suites' province: on PostgreSQL they share one database.
    LISTED = "12"
    DAYS = 40

    @classmethod
    def setUpClass(cls):
        if cls.BACKEND is None:
            return super().setUpClass()
        code, out, err = run_binary("simulate", "--db", cls.DB_URL(cls.__name__), "--province",
                                    cls.LISTED, "--days", str(cls.DAYS), "--per-day", "6",
                                    "--seed", "3")
        assert code == 0, out + err
        super().setUpClass()

    def test_a_list_longer_than_a_page_holds_each_of_its_dossiers_once(self):
        today = datetime.datetime.now(VN).date()
        period = (f"from={(today - datetime.timedelta(days=self.DAYS)).isoformat()}"
                  f"&to={today.isoformat()}")
        status, _, units = self.call("GET", f"/api/v1/stats/units?unit={self.LISTED}&{period}",
                                     role="national_viewer")
        self.assertEqual(status, 200, units)
        busiest = max((i for i in units["items"] if i["unit"]["level"] == "commune"),
                      key=lambda i: i["received"])["unit"]["code"]
        query = f"unit={busiest}&{period}"
        status, _, f = self.call("GET", f"/api/v1/stats/indicators?{query}", role="national_viewer")
        self.assertEqual(status, 200, f)
        for kind, moment in (("received", "received_at"), ("finished", "finished_at")):
            status, _, doc = self.call("GET", f"/api/v1/stats/dossiers?{query}&status={kind}"
                                       "&limit=1000", role="national_viewer")
            self.assertEqual(status, 200, doc)
            items = doc["items"]
            self.assertEqual(doc["total"], f[kind], kind)
            self.assertEqual(len(items), f[kind], kind)
            self.assertEqual(len({d["code"] for d in items}), len(items), kind)
            times = [datetime.datetime.fromisoformat(d[moment]) for d in items]
            self.assertEqual(times, sorted(times, reverse=True), kind)
            # More than a page in one state, or the test proves nothing.
            per_state = collections.Counter(d["state"] for d in items)
            self.assertGreater(max(per_state.values()), 256, (kind, per_state))
            # A short page from anywhere is that stretch of the whole list (a
            # received page is ordered from the bodies of the days it spans).
            for offset in (0, 1, 9, 250, len(items) - 3):
                status, _, page = self.call("GET", f"/api/v1/stats/dossiers?{query}&status={kind}"
                                            f"&limit=7&offset={offset}", role="national_viewer")
                self.assertEqual(status, 200, page)
                self.assertEqual([d["code"] for d in page["items"]],
                                 [d["code"] for d in items[offset:offset + 7]], (kind, offset))


class ProvinceAgenciesCase(DossierClient):
    """A province's own agencies (dossiers whose competent unit is the
    province itself) as a scope of their own, `scope=own`: the staff placed
    at the province's code read it without reading the communes, the
    province's ranking leads to it, and a bad scope is a 400 naming it. On
    PostgreSQL the database is shared: figures are compared before and after
    this suite's own dossiers, never assumed empty."""
    ENDPOINTS = ("indicators", "units", "series", "warnings", "forecast", "dossiers")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province_procedure = cls.pick_procedure("province", "counter")
        # A leader placed at the province's code, as its agencies' staff are.
        doc = {"kind": "staff", "username": f"agency.leader.{RUN}", "display_name": "Lãnh đạo sở",
               "roles": ["leader"], "unit_code": PROVINCE, "password": "agency-password-1"}
        status, _, raw = cls.server.request("POST", "/api/v1/users", json.dumps(doc),
                                            {"Content-Type": "application/json",
                                             **cls.server.auth_headers("system_admin")})
        assert status == 201, raw
        status, _, signed = cls.server.login(doc["username"], doc["password"])
        assert status == 200, signed
        cls.agency_token = signed["token"]

    def as_agency(self, what, query):
        return self.call("GET", f"/api/v1/stats/{what}?{query}", token=self.agency_token)

    def stats(self, what, query, role="national_viewer"):
        return self.call("GET", f"/api/v1/stats/{what}?{query}", role=role)

    def receive_for_province(self):
        """A dossier received at commune 00004's desk for the province to settle."""
        body = self.submission(procedure_code=self.province_procedure["code"],
                               competent_unit=PROVINCE, channel="counter")
        status, _, d = self.call("POST", "/api/v1/dossiers", body, "receiving_officer")
        self.assertEqual(status, 201, d)
        components = [{"component_id": f"c{i + 1}", "form": "paper_original",
                       "quantity": max(1, c.get("quantity") or 1)}
                      for i, c in enumerate(self.province_procedure["components"])]
        status, _, d = self.act("receiving_officer", d["id"], "receive", d["version"],
                                {"components": components})
        self.assertEqual(status, 200, d)
        self.assertEqual(d["competent_unit"], PROVINCE)
        return d

    def test_the_provinces_own_staff_read_their_own_agencies_figures(self):
        own = f"unit={PROVINCE}&scope=own&period=day"
        status, _, before = self.stats("indicators", own)
        self.assertEqual(status, 200, before)
        status, _, whole_before = self.stats("indicators", f"unit={PROVINCE}&period=day")
        self.assertEqual(status, 200, whole_before)
        codes = {self.receive_for_province()["code"] for _ in range(2)}
        self.receive_new()  # a commune's: the province's, not its agencies'

        status, _, f = self.as_agency("indicators", own)
        self.assertEqual(status, 200, f)
        self.assertEqual((f["unit"]["code"], f["unit"]["level"]), (PROVINCE, "province_agencies"))
        self.assertEqual(f["received"] - before["received"], 2)
        self.assertEqual(f["open_now"] - before["open_now"], 2)
        # The whole province counts them too, with its communes' besides.
        status, _, whole = self.stats("indicators", f"unit={PROVINCE}&period=day")
        self.assertEqual(whole["received"] - whole_before["received"], 3)
        self.assertGreater(whole["received"], f["received"])
        # The list behind the figure holds exactly what it counts.
        status, _, listed = self.as_agency("dossiers", own + "&status=received&limit=1000")
        self.assertEqual(status, 200, listed)
        self.assertEqual(listed["unit"]["level"], "province_agencies")
        self.assertEqual(listed["total"], f["received"])
        self.assertTrue(codes <= {d["code"] for d in listed["items"]}, listed)
        status, _, opened = self.as_agency("dossiers", own + "&status=open&limit=1000")
        self.assertEqual(status, 200, opened)
        self.assertEqual(opened["total"], f["open_now"])
        # The series adds up to the figure; the warnings name only the province's own.
        status, _, series = self.as_agency("series", own)
        self.assertEqual(status, 200, series)
        self.assertEqual(series["scope"], "own")
        self.assertEqual(sum(d["received"] for d in series["items"]), f["received"])
        status, _, w = self.as_agency("warnings", f"unit={PROVINCE}&scope=own&limit=1000")
        self.assertEqual(status, 200, w)
        self.assertEqual(w["unit"]["level"], "province_agencies")
        self.assertEqual({d["competent_unit"] for d in w["overdue"] + w["due_soon"]} - {PROVINCE},
                         set(), w)
        self.assertEqual(w["overdue_total"], f["overdue_now"])
        status, _, fc = self.as_agency("forecast", f"unit={PROVINCE}&scope=own")
        self.assertEqual(status, 200, fc)
        self.assertEqual((fc["unit"]["level"], len(fc["days"])), ("province_agencies", 14))
        status, _, under = self.as_agency("units", own)
        self.assertEqual((status, under["items"]), (200, []), under)

    def test_the_provinces_own_staff_read_nothing_else(self):
        status, headers, doc = self.as_agency("indicators", f"unit={PROVINCE}")
        problem = self.assertProblem(status, headers, doc, 403, "unit")
        for text in (problem["detail"], problem["detail_vi"]):
            self.assertIn("scope=own", text)
        for query in (f"unit={COMMUNE}", "unit=79&scope=own", "unit=VN"):
            for what in self.ENDPOINTS:
                extra = "&status=received" if what == "dossiers" else ""
                status, headers, doc = self.as_agency(what, query + extra)
                self.assertProblem(status, headers, doc, 403)
        # A commune's leader reads its commune, not the province's agencies.
        status, headers, doc = self.stats("indicators", f"unit={PROVINCE}&scope=own", role="leader")
        self.assertProblem(status, headers, doc, 403)
        for role in ("province_supervisor", "national_viewer"):
            status, _, doc = self.stats("indicators", f"unit={PROVINCE}&scope=own", role=role)
            self.assertEqual(status, 200, (role, doc))

    def test_the_provinces_ranking_leads_to_its_own_agencies(self):
        self.receive_for_province()
        self.receive_new()
        period = "period=month"
        status, _, units = self.stats("units", f"unit={PROVINCE}&{period}", role="province_supervisor")
        self.assertEqual(status, 200, units)
        agencies = [i for i in units["items"] if i["unit"]["level"] == "province_agencies"]
        self.assertEqual(len(agencies), 1, units)
        row = agencies[0]
        self.assertEqual(row["unit"]["code"], PROVINCE)
        self.assertNotIn("rank", row)
        status, _, own = self.stats("indicators", f"unit={PROVINCE}&scope=own&{period}",
                                    role="province_supervisor")
        self.assertEqual(status, 200, own)
        for key in ("received", "finished", "open_now", "overdue_now", "on_time_rate"):
            self.assertEqual(row[key], own[key], key)
        self.assertGreater(own["received"], 0)
        status, _, whole = self.stats("indicators", f"unit={PROVINCE}&{period}",
                                      role="province_supervisor")
        self.assertEqual(sum(i["received"] for i in units["items"]), whole["received"])
        self.assertGreater(whole["received"], own["received"])
        # An export labels the row in both languages, not as the province itself.
        h = self.server.auth_headers("province_supervisor")
        status, _, raw = self.server.request(
            "GET", f"/api/v1/stats/units?unit={PROVINCE}&{period}&format=csv", None, h)
        self.assertEqual(status, 200)
        line = next(x for x in raw.decode("utf-8-sig").splitlines() if x.startswith(PROVINCE + ","))
        self.assertIn("Các cơ quan cấp tỉnh / Province agencies", line)

    def test_a_bad_scope_is_400_naming_it(self):
        for what in self.ENDPOINTS:
            extra = "&status=received" if what == "dossiers" else ""
            for query in (f"unit={PROVINCE}&scope=agencies", f"unit={PROVINCE}&scope=",
                          f"unit={PROVINCE}&scope=OWN", "unit=VN&scope=own",
                          f"unit={COMMUNE}&scope=own"):
                status, headers, doc = self.stats(what, query + extra)
                self.assertProblem(status, headers, doc, 400, "scope")
        # "all" is the default, said aloud.
        status, _, said = self.stats("indicators", f"unit={PROVINCE}&scope=all&period=day")
        status2, _, unsaid = self.stats("indicators", f"unit={PROVINCE}&period=day")
        self.assertEqual((status, status2), (200, 200))
        self.assertEqual(said["unit"], unsaid["unit"])
        self.assertEqual(said["received"], unsaid["received"])


def copy_sqlite(url, to_url):
    src = sqlite3.connect(harness.sqlite_path(url))
    dst = sqlite3.connect(harness.sqlite_path(to_url))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def waiting_past_due(url, at):
    """(id, flagged overdue) of the dossiers waiting for the applicant past
    their indexed due at `at`, soonest due first, as the sweep reads them."""
    epoch = int(datetime.datetime.fromisoformat(at).timestamp())
    return harness.sqlite_rows(
        url, "SELECT id, EXISTS (SELECT 1 FROM dossier_deadline_flags f WHERE f.dossier_id = d.id"
        " AND f.flag = 'overdue') FROM dossiers d WHERE state = 'waiting_supplement'"
        " AND due_at < ? ORDER BY due_at, id", (epoch,))


def flagged_pattern(order):
    """waiting_past_due as a string, "1" for each flagged overdue, "0" for each not."""
    return "".join("1" if flagged else "0" for _, flagged in order)


class ExcelExportTempFiles(harness.ServerCase):
    """libxlsxwriter writes an Excel download to a file before it is sent. It
    was /tmp/motcua-<pid>-<n>.xlsx, opened following links: a local user who
    planted a link there had the server overwrite the file it pointed to. The
    server here has a temporary folder of the test's own (TMPDIR), so that what
    it leaves there can be seen."""

    @classmethod
    def setUpClass(cls):
        if cls.BACKEND is None:
            return super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="motcua-xlsx-tmp-")
        saved = os.environ.get("TMPDIR")
        os.environ["TMPDIR"] = cls.tmp  # the server's, not this process's
        try:
            super().setUpClass()
        finally:
            if saved is None:
                del os.environ["TMPDIR"]
            else:
                os.environ["TMPDIR"] = saved

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        if cls.BACKEND is not None:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_an_excel_download_follows_no_link_planted_in_the_temporary_folder(self):
        with tempfile.TemporaryDirectory(prefix="motcua-xlsx-victim-") as elsewhere:
            victim = os.path.join(elsewhere, "precious.txt")
            with open(victim, "w") as f:
                f.write("not to be overwritten\n")
            pid = self.server.proc.pid
            for n in range(21):
                os.symlink(victim, os.path.join(self.tmp, f"motcua-{pid}-{n}.xlsx"))
            planted = sorted(os.listdir(self.tmp))
            h = self.server.auth_headers("leader")
            for _ in range(3):
                status, headers, book = self.server.request(
                    "GET", f"/api/v1/stats/indicators?unit={COMMUNE}&format=xlsx", None, h)
                self.assertEqual(status, 200, book[:300])
                self.assertIn("spreadsheetml", headers["content-type"])
                workbook = zipfile.ZipFile(io.BytesIO(book))
                self.assertIsNone(workbook.testzip())
                self.assertIn("xl/workbook.xml", workbook.namelist())
                self.assertIn("<row ", workbook.read("xl/worksheets/sheet1.xml").decode())
                with open(victim, "rb") as f:
                    self.assertEqual(f.read(), b"not to be overwritten\n")
            # Nothing left behind: the links planted, no file or folder of the server's.
            self.assertEqual(sorted(os.listdir(self.tmp)), planted)
            for name in planted:
                os.unlink(os.path.join(self.tmp, name))


def flagged_overdue_waiting(url):
    return {r[0] for r in harness.sqlite_rows(
        url, "SELECT d.id FROM dossier_deadline_flags f JOIN dossiers d ON d.id = f.dossier_id"
        " WHERE f.flag = 'overdue' AND d.state = 'waiting_supplement'")}


def thread_nice(pid, name):
    """The niceness of `pid`'s thread called `name`, or None while it has none."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return None
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if f.read().strip() != name:
                    continue
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        # "pid (comm) state ...": nice is the 19th field, the 17th after the comm.
        return int(stat[stat.rindex(")") + 2:].split()[16])
    return None


if __name__ == "__main__":
    run_suites([StatsCase, SimulatorCase, DeadlineSweepCase, StatsUpgradeCase, ListPagesCase,
                StatsCalendarCase, ProvinceAgenciesCase, ExcelExportTempFiles])
