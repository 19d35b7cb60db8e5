"""The one-stop dossier engine through the real binary, on SQLite and PostgreSQL:
the full journey (online submission, receipt with code and due time, assignment,
supplement with the clock stopped, proposal, approval, result, return), the
public status without personal data, idempotent retries, 409/412/422/400, another
commune's staff kept out, and `motcua audit verify` passing, then failing after an
event row is edited behind the program's back (SQLite)."""
import contextlib
import datetime
import hashlib
import json
import random
import sqlite3
import subprocess
import time
import unicodedata
import urllib.parse

import harness
from harness import run_suites

from dossier_client import APPLICANT, RUN, VN, DossierClient


class DossierCase(DossierClient):
    # --- the journey -------------------------------------------------------------

    def test_full_journey(self):
        status, headers, d = self.submit(key="journey-" + RUN)
        self.assertEqual(status, 201, d)
        self.assertEqual(d["state"], "submitted")
        self.assertEqual(d["channel"], "online")
        self.assertEqual(d["procedure_version"], str(self.procedure["version"]))
        self.assertEqual(headers["etag"], '"1"')
        ref = d["id"]

        # The desk sees it in its inbox.
        self.assertIn(ref, self.inbox_ids("receiving_officer", "state=submitted"))

        status, _, d = self.act("receiving_officer", ref, "receive", d["version"],
                                {"components": self.all_components()})
        self.assertEqual(status, 200, d)
        self.assertEqual(d["state"], "received")
        received = datetime.datetime.fromisoformat(d["received_at"])
        # The receipt's own Vietnamese date, not this machine's clock read after it (midnight).
        today = received.astimezone(VN).strftime("%y%m%d")
        self.assertRegex(d["code"], r"^H01\.000\.04-" + today + r"-\d{4}$")
        due = datetime.datetime.fromisoformat(d["due_at"])
        self.assertTrue(d["due_at"].endswith("+07:00"))
        self.assertGreater(due, received)
        self.assertEqual(d["time"]["status"], "not_due")
        # Its units by the names people know them by, from the registry.
        self.assertEqual((d["competent_unit_name"], d["receiving_unit_name"]),
                         ("Phường Ba Đình", "Phường Ba Đình"))
        code = d["code"]

        # The public status is cached, and an action shows in it at once.
        status, _, pub = self.call("GET", "/api/v1/public/dossiers/" + code)
        self.assertEqual((status, pub["state"]), (200, "received"), pub)
        self.assertEqual((pub["competent_unit"], pub["competent_unit_name"]), ("00004", "Phường Ba Đình"))
        status, _, d = self.act("leader", code, "assign", d["version"],
                                {"assignee": self.user_id("specialist")})
        self.assertEqual(status, 200, d)
        self.assertEqual(d["state"], "in_progress")
        status, _, pub = self.call("GET", "/api/v1/public/dossiers/" + code)
        self.assertEqual((status, pub["state"]), (200, "in_progress"), pub)
        # Typed in lower case (on a phone): the same dossier.
        status, _, low = self.call("GET", "/api/v1/public/dossiers/" + code.lower())
        self.assertEqual((status, low), (200, pub))

        # Supplement: the clock stops while waiting for the applicant.
        status, _, d = self.act("specialist", code, "request_supplement", d["version"],
                                {"missing": ["Bản sao giấy tờ tùy thân"]})
        self.assertEqual(status, 200, d)
        self.assertEqual(d["state"], "waiting_supplement")
        self.assertTrue(d["time"]["waiting_for_applicant"])
        self.assertTrue(d["supplements"][0]["after_receipt"])
        self.assertIsNone(d["supplements"][0]["answered_at"])
        scan = self.upload("citizen")
        status, _, d = self.act("citizen", code, "supplement", d["version"],
                                {"components": [{"component_id": "c1", "form": "uploaded_file",
                                                 "file_ref": scan}]})
        self.assertEqual(status, 200, d)
        self.assertEqual(d["state"], "in_progress")
        self.assertFalse(d["time"]["waiting_for_applicant"])
        self.assertIsNotNone(d["supplements"][0]["answered_at"])

        status, _, d = self.act("specialist", code, "propose", d["version"], {"note": "Đủ điều kiện"})
        self.assertEqual(status, 200, d)
        status, _, d = self.act("leader", code, "approve", d["version"])
        self.assertEqual(status, 200, d)
        self.assertEqual(d["state"], "approved")
        status, _, d = self.act("leader", code, "issue_result", d["version"],
                                {"result": {"number": "123/QĐ-UBND", "form": "paper"}})
        self.assertEqual(status, 200, d)
        self.assertEqual(d["state"], "result_issued")
        status, _, d = self.act("receiving_officer", code, "return_result", d["version"],
                                {"delivery": "counter"})
        self.assertEqual(status, 200, d)
        self.assertEqual(d["state"], "returned")
        self.assertIsNotNone(d["returned_at"])

        # The citizen sees the result.
        status, headers, mine = self.call("GET", "/api/v1/dossiers/" + code, role="citizen")
        self.assertEqual(status, 200, mine)
        self.assertEqual(mine["state"], "returned")
        self.assertEqual(mine["result"]["number"], "123/QĐ-UBND")
        self.assertEqual(headers["etag"], f'"{mine["version"]}"')
        self.assertIn("rate", mine["allowed_actions"])
        self.assertNotIn("apologise", mine["allowed_actions"])  # staff only

        # Rated once: the view stops offering it, and a second rating is
        # refused and changes nothing.
        status, _, rated = self.act("citizen", code, "rate", mine["version"], {"score": 4})
        self.assertEqual(status, 200, rated)
        self.assertEqual(rated["rating"]["score"], 4)
        self.assertNotIn("rate", rated["allowed_actions"])
        status, _, again = self.act("citizen", code, "rate", rated["version"], {"score": 1})
        self.assertEqual(status, 409, again)
        self.assertIn("already been rated", again["detail"])
        status, _, after = self.call("GET", "/api/v1/dossiers/" + code, role="citizen")
        self.assertEqual((after["version"], after["rating"]["score"]), (rated["version"], 4))
        d = after

        # Public status: nothing personal.
        status, _, pub = self.call("GET", "/api/v1/public/dossiers/" + code)
        self.assertEqual(status, 200, pub)
        self.assertEqual(pub["state"], "returned")
        self.assertEqual(pub["procedure_code"], self.procedure["code"])
        self.assertEqual(pub["competent_unit"], "00004")
        self.assertEqual(pub["due_at"], d["due_at"])
        text = json.dumps(pub, ensure_ascii=False)
        for personal in ("applicant", APPLICANT["id_number"], APPLICANT["name"], "0912345678",
                         "form_data", "assignee"):
            self.assertNotIn(personal, text)

        # The log: every change, hash-chained.
        status, _, ev = self.call("GET", f"/api/v1/dossiers/{code}/events", role="leader")
        self.assertEqual(status, 200, ev)
        actions = [e["action"] for e in ev["items"]]
        self.assertEqual(actions, ["submit", "receive", "assign", "request_supplement",
                                   "supplement", "propose", "approve", "issue_result",
                                   "return_result", "rate"])
        self.assertEqual(ev["items"][0]["prev_hash"], "0" * 64)
        for a, b in zip(ev["items"], ev["items"][1:]):
            self.assertEqual(b["prev_hash"], a["hash"])
            self.assertEqual(b["seq"], a["seq"] + 1)
        self.assertEqual(ev["items"][1]["actor"]["role"], "receiving_officer")
        self.assertEqual(ev["items"][1]["actor"]["unit"], "00004")

        # Audit verify passes after the journey.
        out = subprocess.run([harness.ARGS.binary, "audit", "verify", "--db", self.server.db_url],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("OK", out.stdout)

    def test_idempotent_retry_returns_the_same_dossier(self):
        status, _, first = self.submit(key="retry-" + RUN)
        self.assertEqual(status, 201, first)
        status, headers, again = self.submit(key="retry-" + RUN)
        self.assertEqual(status, 200, again)
        self.assertEqual(again["id"], first["id"])
        self.assertEqual(headers.get("idempotent-replayed"), "true")
        # The same request laid out otherwise (a client that formats its JSON) is the same request.
        laid_out = json.dumps(self.submission(), ensure_ascii=True, indent=2)
        status, headers, same = self.call("POST", "/api/v1/dossiers", laid_out, "citizen",
                                          {"Idempotency-Key": "retry-" + RUN})
        self.assertEqual((status, same["id"]), (200, first["id"]), same)
        # And with its members in another order, at every depth.
        def reordered(v):
            return dict(reversed([(k, reordered(x)) for k, x in v.items()])) if isinstance(v, dict) else v
        status, headers, same = self.call("POST", "/api/v1/dossiers", json.dumps(reordered(self.submission())),
                                          "citizen", {"Idempotency-Key": "retry-" + RUN})
        self.assertEqual((status, same["id"]), (200, first["id"]), same)
        # The same key with another body is refused and makes nothing.
        status, headers, doc = self.submit(key="retry-" + RUN, form_data={"other": 1})
        self.assertProblem(status, headers, doc, 422, "Idempotency-Key")
        self.assertEqual(self.inbox_ids("citizen", "state=submitted").count(first["id"]), 1)

    def test_a_replayed_key_shows_only_what_its_filer_may_still_read(self):
        # A desk's replay is a read of the dossier as it is now, and logged as one.
        key = "desk-replay-" + RUN
        h = {"Idempotency-Key": key}
        status, _, first = self.call("POST", "/api/v1/dossiers", self.submission(), "receiving_officer", h)
        self.assertEqual(status, 201, first)
        status, headers, again = self.call("POST", "/api/v1/dossiers", self.submission(), "receiving_officer", h)
        self.assertEqual((status, again["id"]), (200, first["id"]), again)
        replay_id = headers["x-request-id"]
        status, _, log = self.call("GET", "/api/v1/audit/personal-data-views?subject_id=" + first["id"],
                                   role="system_admin")
        self.assertEqual(status, 200, log)
        self.assertEqual([(r["route"], r["action"]) for r in log["items"] if r["request_id"] == replay_id],
                         [("POST /api/v1/dossiers", "read")], log["items"])
        # An officer moved to another commune since may not read it: the
        # replay says so, and shows nothing of it.
        name = "mover." + RUN.replace("-", ".")
        status, _, mover = self.call("POST", "/api/v1/users",
                                     {"kind": "staff", "username": name, "display_name": "M",
                                      "roles": ["receiving_officer"], "unit_code": "00004",
                                      "password": "mover-password-1"}, "system_admin")
        self.assertEqual(status, 201, mover)
        token = self.server.login(name, "mover-password-1")[2]["token"]
        h = {"Idempotency-Key": "moved-" + RUN}
        status, _, filed = self.call("POST", "/api/v1/dossiers", self.submission(), headers=h, token=token)
        self.assertEqual(status, 201, filed)
        status, _, moved = self.call("PATCH", f"/api/v1/users/{mover['id']}", {"unit_code": "00008"},
                                     "system_admin")
        self.assertEqual(status, 200, moved)
        status, headers, raw = self.server.request(
            "POST", "/api/v1/dossiers", json.dumps(self.submission()),
            {**h, "Authorization": "Bearer " + token, "Content-Type": "application/json"})
        doc = self.assertProblem(status, headers, raw, 403, "Idempotency-Key")
        self.assertIn("no longer yours to see", doc["detail"])
        for secret in (APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"], filed["id"]):
            self.assertNotIn(secret, raw.decode(), secret)
        self.assertEqual(self.call("GET", "/api/v1/dossiers/" + filed["id"], token=token)[0], 404)

    def test_an_idempotency_key_is_printable_ascii(self):
        # Headers carry bytes: a key that is not UTF-8 reached PostgreSQL,
        # which refused it (a 500).
        before = sorted(self.inbox_ids("citizen"))
        for key in (b"", b"\xff", b"retry-\xc3", "khoá-tờ".encode(), b"x" * 201):
            status, headers, doc = self.call("POST", "/api/v1/dossiers", self.submission(), "citizen",
                                             {"Idempotency-Key": key})
            problem = self.assertProblem(status, headers, doc, 400, "Idempotency-Key")
            self.assertIn("ASCII", problem["detail"], key)
            self.assertIn("ASCII", problem["detail_vi"], key)
        # A control character in any header is refused as HTTP goes, said in both languages.
        for key in (b"a\x01b", b"a\x7fb"):
            status, headers, doc = self.call("POST", "/api/v1/dossiers", self.submission(), "citizen",
                                             {"Idempotency-Key": key})
            problem = self.assertProblem(status, headers, doc, 400)
            self.assertIn("control character", problem["detail"])
            self.assertIn("ký tự điều khiển", problem["detail_vi"])
        self.assertEqual(sorted(self.inbox_ids("citizen")), before)
        # The longest key and every printable character are taken.
        for key in ("k" * 200, "".join(chr(c) for c in range(0x20, 0x7F)) + RUN):
            status, _, doc = self.submit(key=key)
            self.assertEqual(status, 201, doc)

    def test_a_write_answers_the_dossier_a_read_gives(self):
        # The answer of a submission and of an action is the row just written;
        # a later read writes the stored row again: the two must be the same
        # document, member for member and in the same order.
        def same(answer, role):
            status, _, read = self.call("GET", "/api/v1/dossiers/" + answer["id"], role=role)
            self.assertEqual(status, 200, read)
            answer, read = dict(answer), dict(read)
            # The time report is worked out at each request (its clock may tick).
            answer.pop("time"), read.pop("time")
            self.assertEqual(list(answer), list(read))
            self.assertEqual(answer, read)
        status, _, d = self.submit(form_data={"ghi_chu": "dòng \"một\"\nhai", "so": [1, 2.5]})
        self.assertEqual(status, 201, d)
        self.assertEqual(d["form_data"], {"ghi_chu": "dòng \"một\"\nhai", "so": [1, 2.5]})
        same(d, "citizen")
        status, _, r = self.act("receiving_officer", d["id"], "receive", d["version"],
                                {"components": self.all_components()})
        self.assertEqual(status, 200, r)
        self.assertTrue(r["code"])
        same(r, "receiving_officer")

    def test_codes_are_consecutive_per_unit_and_day(self):
        a = self.receive_new()
        b = self.receive_new()
        seq = lambda code: int(code.rsplit("-", 1)[1])
        self.assertEqual(seq(b["code"]), seq(a["code"]) + 1)

    def test_action_not_allowed_in_state_is_409_listing_allowed(self):
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        status, headers, doc = self.act("receiving_officer", d["id"], "approve", d["version"])
        doc = self.assertProblem(status, headers, doc, 409, "action")
        self.assertIn("receive", doc["detail"])
        self.assertIn("request_supplement", doc["detail"])
        status, _, after = self.call("GET", "/api/v1/dossiers/" + d["id"], role="citizen")
        self.assertEqual(after["version"], d["version"])

    def test_stale_if_match_is_412_and_changes_nothing(self):
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        status, _, r = self.act("receiving_officer", d["id"], "receive", d["version"],
                                {"components": self.all_components()})
        self.assertEqual(status, 200, r)
        status, headers, doc = self.act("leader", r["code"], "assign", d["version"],
                                        {"assignee": self.user_id("specialist")})
        self.assertProblem(status, headers, doc, 412, "If-Match")
        status, _, now = self.call("GET", "/api/v1/dossiers/" + r["code"], role="leader")
        self.assertEqual(now["state"], "received")
        self.assertEqual(now["version"], r["version"])
        # Without If-Match: 428 (the version read must be named); unreadable: 400.
        status, headers, doc = self.call("POST", f"/api/v1/dossiers/{r['code']}/actions/assign",
                                         {"assignee": "1"}, "leader")
        self.assertProblem(status, headers, doc, 428, "If-Match")
        for tag in ('"x"', '"0"', "", '"3'):
            status, headers, doc = self.call("POST", f"/api/v1/dossiers/{r['code']}/actions/assign",
                                             {"assignee": "1"}, "leader", {"If-Match": tag})
            self.assertProblem(status, headers, doc, 400, "If-Match")
        status, _, now = self.call("GET", "/api/v1/dossiers/" + r["code"], role="leader")
        self.assertEqual(now["version"], r["version"])

    def test_a_change_by_another_server_on_the_same_database_is_respected(self):
        # Two processes on one database: the second moves the dossier on. The
        # first must then refuse an action made from the version it saw last
        # (and change nothing), and take one made from the new version.
        d = self.receive_new()
        specialist = self.user_id("specialist")
        other = harness.Server(self.server.db_url, demo=False)
        try:
            h = {"If-Match": f'"{d["version"]}"', "Content-Type": "application/json",
                 **self.server.auth_headers("leader")}
            status, _, raw = other.request("POST", f"/api/v1/dossiers/{d['code']}/actions/assign",
                                           json.dumps({"assignee": specialist}), h)
            self.assertEqual(status, 200, raw)
            moved = json.loads(raw)
        finally:
            self.assertEqual(other.stop(), 0, "".join(other.stderr_lines)[-2000:])
        self.assertEqual(moved["version"], d["version"] + 1)
        status, headers, doc = self.act("leader", d["code"], "assign", d["version"],
                                        {"assignee": specialist})
        self.assertProblem(status, headers, doc, 412, "If-Match")
        status, _, now = self.call("GET", "/api/v1/dossiers/" + d["code"], role="leader")
        self.assertEqual((now["state"], now["version"]), ("in_progress", moved["version"]))
        status, _, done = self.act("specialist", d["code"], "propose", moved["version"],
                                   {"note": "Đủ điều kiện"})
        self.assertEqual(status, 200, done)
        self.assertEqual((done["state"], done["version"]), ("proposed", moved["version"] + 1))

    def test_a_citizen_lists_every_dossier_of_theirs(self):
        d = self.receive_new()
        status, _, _ = self.act("leader", d["code"], "assign", d["version"],
                                {"assignee": self.user_id("specialist")})
        self.assertEqual(status, 200)
        # In progress, nothing waits on the citizen, yet it is in their list.
        self.assertIn(d["id"], self.inbox_ids("citizen", "state=in_progress"))
        # And only theirs: another citizen's list does not have it.
        id_number = f"07920{time.time_ns() // 1000 % 10**7:07d}"
        status, _, other = self.call("POST", "/api/v1/users", {
            "kind": "citizen", "id_number": id_number, "display_name": "Công dân khác",
            "phone": "0911000222", "password": "cong-dan-khac-123"}, "system_admin")
        self.assertEqual(status, 201, other)
        st, _, login = self.server.login(other["username"], "cong-dan-khac-123")
        self.assertEqual(st, 200, login)
        status, _, page = self.call("GET", "/api/v1/inbox?limit=200", token=login["token"])
        self.assertEqual((status, page["items"]), (200, []))

    def test_the_unit_specialists_are_listed_for_assignment(self):
        status, _, doc = self.call("GET", "/api/v1/specialists", role="leader")
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["unit"], "00004")
        self.assertIn(int(self.user_id("specialist")), [i["id"] for i in doc["items"]])
        self.assertNotIn(int(self.user_id("leader")), [i["id"] for i in doc["items"]])
        for item in doc["items"]:
            self.assertEqual(set(item), {"id", "display_name"})
        status, _, _ = self.call("GET", "/api/v1/specialists?unit=00008", role="leader")
        self.assertEqual(status, 403)
        status, _, _ = self.call("GET", "/api/v1/specialists", role="citizen")
        self.assertEqual(status, 403)

    def test_assignee_must_be_a_specialist_of_the_unit(self):
        d = self.receive_new()
        for who in (self.user_id("leader"), self.user_id("citizen"), "999999", "abc"):
            status, headers, doc = self.act("leader", d["code"], "assign", d["version"],
                                            {"assignee": who})
            self.assertProblem(status, headers, doc, 422, "assignee")
        status, _, after = self.call("GET", "/api/v1/dossiers/" + d["code"], role="leader")
        self.assertEqual((after["state"], after["version"]), ("received", d["version"]))

    def test_incomplete_receipt_is_refused_and_takes_no_number(self):
        status, _, d = self.submit()
        status, headers, doc = self.act("receiving_officer", d["id"], "receive", d["version"], {})
        doc = self.assertProblem(status, headers, doc, 409, "components")
        status, _, still = self.call("GET", "/api/v1/dossiers/" + d["id"], role="citizen")
        self.assertEqual(still["state"], "submitted")
        self.assertEqual(still["code"], "")

    def test_unknown_procedure_or_unit_is_422(self):
        status, headers, doc = self.submit(procedure_code="9.999999")
        self.assertProblem(status, headers, doc, 422, "procedure_code")
        status, headers, doc = self.submit(competent_unit="99999")
        self.assertProblem(status, headers, doc, 422, "competent_unit")
        status, headers, doc = self.submit(components=[{"component_id": "c999"}])
        self.assertProblem(status, headers, doc, 422, "components[0].component_id")
        # Read in Vietnamese, the level and the channel are named in Vietnamese.
        status, headers, doc = self.submit(competent_unit="01")
        doc = self.assertProblem(status, headers, doc, 422, "competent_unit")
        self.assertIn("cấp xã", doc["detail_vi"])
        self.assertNotIn("commune", doc["detail_vi"])
        status, _, page = self.call("GET", "/api/v1/procedures?limit=200&level=commune")
        no_post = next(p["code"] for p in page["items"]
                       if p["channels"] and all(c["channel"] != "post" for c in p["channels"]))
        status, headers, doc = self.call("POST", "/api/v1/dossiers",
                                         self.submission(procedure_code=no_post, channel="post"),
                                         "receiving_officer")
        doc = self.assertProblem(status, headers, doc, 422, "channel")
        self.assertIn("bưu chính", doc["detail_vi"])
        self.assertNotIn(" post", doc["detail_vi"])

    def test_only_the_current_version_of_a_procedure_takes_dossiers(self):
        # An older version has other fees and papers; a retired procedure's
        # older versions are closed too.
        code = "L.7%05d" % random.randrange(100000)
        proc = {"code": code, "name": "Thủ tục thử phiên bản " + RUN, "field": "Thử nghiệm",
                "competent_level": "commune", "online_level": "full",
                "channels": [{"channel": "online", "time_amount": 3, "time_unit": "working_days",
                              "fee_vnd": 7000}],
                "components": [{"name": "Đơn đề nghị", "copy_kind": "copy"}]}
        status, _, doc = self.call("POST", "/api/v1/procedures", proc, "system_admin")
        self.assertEqual(status, 201, doc)
        first = doc["version"]
        proc["channels"][0]["fee_vnd"] = 70000
        status, _, doc = self.call("PUT", "/api/v1/procedures/" + code, proc, "system_admin",
                                   {"If-Match": f'"{first}"'})
        self.assertEqual(status, 200, doc)
        current = doc["version"]
        self.assertEqual(current, first + 1)
        status, headers, doc = self.submit(procedure_code=code, procedure_version=first)
        doc = self.assertProblem(status, headers, doc, 422, "procedure_version")
        self.assertIn(str(current), doc["detail"])
        status, _, doc = self.submit(procedure_code=code, procedure_version=current)
        self.assertEqual(status, 201, doc)
        self.assertEqual(doc["procedure_version"], str(current))
        self.assertEqual([f["amount_vnd"] for f in doc["fees"]], [70000])
        status, _, doc = self.call("POST", f"/api/v1/procedures/{code}/retire", {}, "system_admin")
        self.assertEqual(status, 200, doc)
        for version in (first, current, None):
            over = {"procedure_version": version} if version else {}
            status, headers, doc = self.submit(procedure_code=code, **over)
            self.assertProblem(status, headers, doc, 422, "procedure_code")

    def test_bad_body_is_400_naming_the_field(self):
        bad = dict(APPLICANT, id_number="12345")
        status, headers, doc = self.submit(applicant=bad)
        self.assertProblem(status, headers, doc, 400, "applicant.id_number")
        status, headers, doc = self.submit(applicant=dict(APPLICANT, phone=12))
        self.assertProblem(status, headers, doc, 400, "applicant.phone")
        # A name or address past what a register or a receipt holds (a paste
        # gone wrong): counted in characters, named with its length.
        status, headers, doc = self.submit(applicant=dict(APPLICANT, name="Nguyễn " * 40))
        problem = self.assertProblem(status, headers, doc, 400, "applicant.name")
        self.assertIn("280 characters long; at most 200", problem["detail"])
        self.assertIn("280 ký tự", problem["detail_vi"])
        status, headers, doc = self.submit(applicant=dict(APPLICANT, address="Số 1 phố Tràng Tiền, " * 30))
        self.assertProblem(status, headers, doc, 400, "applicant.address")
        status, headers, doc = self.call("POST", "/api/v1/dossiers", "{not json", "citizen")
        self.assertProblem(status, headers, doc, 400, "body")
        status, _, inbox = self.call("GET", "/api/v1/inbox?state=submitted&limit=200",
                                     role="receiving_officer")
        self.assertEqual(status, 200)

    def test_desk_filings_by_post_and_business_applicants(self):
        """The post is a channel of its own: a postal agent files by post unless
        told otherwise, an officer says so, and the indicators count it by post.
        A business applies with its tax code, not a personal number."""
        business = {"kind": "business", "name": "Hộ kinh doanh Bưu Gửi", "tax_code": "0100109106-001",
                    "email": "buugui@example.vn", "address": "Phường Ba Đình, Hà Nội"}

        def posts():
            status, _, f = self.call("GET", "/api/v1/stats/indicators?unit=00004&period=day",
                                     role="province_supervisor")
            self.assertEqual(status, 200, f)
            return f["received_by_channel"]["post"]

        before = posts()
        for role, over in (("postal_agent", {}), ("receiving_officer", {"channel": "post"})):
            status, _, d = self.call("POST", "/api/v1/dossiers",
                                     self.submission(applicant=dict(business), **over), role)
            self.assertEqual(status, 201, d)
            self.assertEqual(d["channel"], "post", role)
            self.assertEqual(d["applicant"], dict(business, phone="", id_number=""), d)
            status, _, r = self.act(role, d["id"], "receive", d["version"],
                                    {"components": self.all_components()})
            self.assertEqual(status, 200, r)
            self.assertEqual((r["channel"], r["applicant"]["tax_code"]), ("post", "0100109106-001"))
        self.assertEqual(posts(), before + 2)
        # An officer's filing at the counter is still the counter's.
        status, _, d = self.call("POST", "/api/v1/dossiers", self.submission(), "receiving_officer")
        self.assertEqual((status, d["channel"]), (201, "counter"), d)
        # Refused, naming the field, and nothing filed.
        cases = [
            ("postal_agent", {"channel": "online"}, "channel"),
            ("citizen", {"channel": "post"}, "channel"),
            ("postal_agent", {"applicant": {k: v for k, v in business.items() if k != "tax_code"}},
             "applicant.tax_code"),
            ("postal_agent", {"applicant": dict(business, tax_code="01001091")}, "applicant.tax_code"),
            ("postal_agent", {"applicant": dict(business, email="buugui@")}, "applicant.email"),
        ]
        for role, over, param in cases:
            status, headers, doc = self.call("POST", "/api/v1/dossiers", self.submission(**over), role)
            self.assertProblem(status, headers, doc, 400, param)
        status, _, inbox = self.call("GET", "/api/v1/inbox?state=draft&limit=200", role="postal_agent")
        self.assertEqual(status, 200, inbox)
        self.assertEqual([d for d in inbox["items"] if d["applicant"].get("email") == "buugui@"], [])

    def test_a_paper_listed_twice_is_refused_and_its_quantity_asked_for(self):
        # A receipt prints each paper listed: the same one sent a thousand
        # times would be a thousand lines.
        status, _, d = self.call("POST", "/api/v1/dossiers", self.submission(), "receiving_officer")
        self.assertEqual(status, 201, d)
        papers = self.all_components()
        twice = papers + [dict(papers[0])]
        status, headers, doc = self.act("receiving_officer", d["id"], "receive", d["version"],
                                        {"components": twice})
        problem = self.assertProblem(status, headers, doc, 400, f"components[{len(papers)}]")
        self.assertIn("quantity", problem["detail"])
        self.assertIn("components[0]", problem["detail_vi"])
        many = [dict(papers[0], quantity=1 + i % 1000, file_ref=f"{i:064x}") for i in range(501)]
        status, headers, doc = self.act("receiving_officer", d["id"], "receive", d["version"],
                                        {"components": many})
        self.assertProblem(status, headers, doc, 400, "components")
        status, headers, doc = self.submit(components=twice)
        self.assertProblem(status, headers, doc, 400, f"components[{len(papers)}]")
        # Nor under another spelling of its component.
        for other in ("c01", "c1x", "c1 "):
            status, headers, doc = self.act("receiving_officer", d["id"], "receive", d["version"],
                                            {"components": papers + [dict(papers[0], component_id=other)]})
            self.assertProblem(status, headers, doc, 422, f"components[{len(papers)}].component_id")
        # Nothing was done: the draft is as it was, and its receipt still goes.
        self.assertEqual(self.call("GET", "/api/v1/dossiers/" + d["id"], role="receiving_officer")[2]["version"],
                         d["version"])
        # Another form of the same paper, or its quantity, is fine.
        copies = papers + [dict(papers[0], form="paper_copy")]
        copies[0]["quantity"] = 3
        status, _, r = self.act("receiving_officer", d["id"], "receive", d["version"], {"components": copies})
        self.assertEqual(status, 200, r)

    def test_of_several_time_limits_for_a_channel_the_shortest_is_promised(self):
        # 2.000286 lists 10 and 15 working days for each channel (a facility
        # the commune manages, or the province): a commune's receipt promised
        # 15, the last listed, and a dossier 5 days late counted as on time.
        # 1.010824 lists 19 and 24 calendar days, in another order by channel.
        cases = (("2.000286", "00004", ("counter", "post"), {"days": 10}),
                 ("1.010824", "01", ("counter", "post"), {"calendar_days": 19}))
        for code, unit, channels, limit in cases:
            _, _, proc = self.server.get_json("/api/v1/procedures/" + code)
            papers = [{"component_id": f"c{i + 1}", "form": "paper_original"}
                      for i in range(len(proc["components"]))]
            dues = set()
            for channel in channels:
                role = "receiving_officer" if channel == "counter" else "postal_agent"
                status, _, d = self.call("POST", "/api/v1/dossiers",
                                         self.submission(procedure_code=code, competent_unit=unit,
                                                         channel=channel), role)
                self.assertEqual(status, 201, d)
                status, _, r = self.act(role, d["id"], "receive", d["version"], {"components": papers})
                self.assertEqual(status, 200, r)
                query = urllib.parse.urlencode({"from": r["received_at"], "unit": unit, **limit})
                _, _, due = self.server.get_json("/api/v1/calendar/due?" + query)
                self.assertEqual(r["due_at"], due["due"], (code, channel, r["due_at"], due))
                dues.add(r["due_at"])
            self.assertEqual(len(dues), 1, (code, dues))

    def test_digitised_when_every_paper_is_electronic_or_scanned(self):
        """The service index's digitisation: a dossier counts when each paper it
        holds at receipt is an upload or a paper kept with its scan."""
        def digitised_today():
            status, _, f = self.call("GET", "/api/v1/stats/indicators?unit=00004&period=day",
                                     role="province_supervisor")
            self.assertEqual(status, 200, f)
            return round((f["digitisation_rate"] or 0) * f["received"]), f["received"]

        before, received_before = digitised_today()
        n = len(self.procedure["components"])
        # Online, every paper an electronic original (a signed document) uploaded: digitised.
        sha = self.upload("citizen")
        uploaded = [dict(c, form="electronic_original", file_ref=sha) for c in self.all_components()]
        status, _, d = self.submit(components=uploaded)
        self.assertEqual(status, 201, d)
        status, _, online = self.act("receiving_officer", d["id"], "receive", d["version"])
        self.assertEqual(status, 200, online)
        self.assertTrue(online["digitised"], online["components"])
        # At the counter: papers seen and not scanned are not digitised; scanned, they are.
        scan = self.upload("receiving_officer")
        outcome = {}
        for scanned in (False, True):
            status, _, d = self.call("POST", "/api/v1/dossiers", self.submission(), "receiving_officer")
            self.assertEqual(status, 201, d)
            papers = [dict(c, file_ref=scan) if scanned else c for c in self.all_components()]
            status, _, r = self.act("receiving_officer", d["id"], "receive", d["version"],
                                    {"components": papers})
            self.assertEqual(status, 200, r)
            outcome[scanned] = r["digitised"]
        self.assertEqual(outcome, {False: False, True: True}, n)
        after, received_after = digitised_today()
        self.assertEqual((after - before, received_after - received_before), (2, 3))
        # An upload must name its file; a supplement names the procedure's papers.
        status, headers, doc = self.submit(components=[{"component_id": "c1", "form": "uploaded_file"}])
        self.assertProblem(status, headers, doc, 400, "components[0].file_ref")
        self.assertIn("SHA-256", doc["detail"])
        status, _, d = self.submit()
        status, _, d = self.act("receiving_officer", d["id"], "request_supplement", d["version"],
                                {"missing": ["Tờ khai"]})
        self.assertEqual(status, 200, d)
        for bad, param in (([{"component_id": "c999", "form": "uploaded_file", "file_ref": sha}],
                            "components[0].component_id"),
                           ([{"component_id": "c1"}], "components[0].file_ref")):
            status, headers, doc = self.act("citizen", d["id"], "supplement", d["version"],
                                            {"components": bad})
            self.assertProblem(status, headers, doc, 422 if "component_id" in param else 400, param)
        status, _, same = self.call("GET", "/api/v1/dossiers/" + d["id"], role="citizen")
        self.assertEqual((same["version"], same["state"]), (d["version"], "waiting_supplement"))

    def test_digitised_at_receipt_stays_when_a_paper_comes_later(self):
        """Digitisation is counted on the day of receipt, as the dossier was
        then: a paper brought later unscanned does not lower that day's rate."""
        def digitised_today():
            status, _, f = self.call("GET", "/api/v1/stats/indicators?unit=00004&period=day",
                                     role="province_supervisor")
            self.assertEqual(status, 200, f)
            return round((f["digitisation_rate"] or 0) * f["received"])

        scan = self.upload("receiving_officer")
        status, _, d = self.call("POST", "/api/v1/dossiers", self.submission(), "receiving_officer")
        self.assertEqual(status, 201, d)
        status, _, d = self.act("receiving_officer", d["id"], "receive", d["version"],
                                {"components": [dict(c, file_ref=scan) for c in self.all_components()]})
        self.assertEqual((status, d["digitised"]), (200, True), d)
        status, _, d = self.act("leader", d["id"], "assign", d["version"],
                                {"assignee": self.user_id("specialist")})
        self.assertEqual(status, 200, d)
        status, _, d = self.act("specialist", d["id"], "request_supplement", d["version"],
                                {"missing": ["Bản sao giấy tờ"]})
        self.assertEqual(status, 200, d)
        before = digitised_today()
        status, _, d = self.act("receiving_officer", d["id"], "supplement", d["version"],
                                {"components": [{"component_id": "c1", "form": "paper_copy",
                                                 "quantity": 1}]})
        self.assertEqual((status, d["state"], d["digitised"]), (200, "in_progress", True), d)
        self.assertEqual(digitised_today(), before)

    def test_text_is_kept_composed_whatever_form_it_came_in(self):
        # "Nguyễn Văn Dân" decomposed (NFD), as some keyboards send it.
        nfd = unicodedata.normalize("NFD", APPLICANT["name"])
        self.assertNotEqual(nfd, APPLICANT["name"])
        status, _, d = self.submit(applicant=dict(APPLICANT, name=nfd))
        self.assertEqual(status, 201, d)
        self.assertEqual(d["applicant"]["name"], unicodedata.normalize("NFC", nfd))
        status, _, again = self.call("GET", "/api/v1/dossiers/" + d["id"], role="citizen")
        self.assertEqual(again["applicant"]["name"], APPLICANT["name"])

    def test_a_name_or_reason_with_nothing_to_read_is_missing(self):
        # Spaces of any kind and invisible characters (a right-to-left
        # override, a zero-width space) say nothing: such a name was taken.
        before = sorted(self.inbox_ids("citizen"))
        for blank in (" ", "\u00a0\u3000", "\u202e", "\u200b\ufeff "):
            status, headers, doc = self.submit(applicant=dict(APPLICANT, name=blank))
            self.assertProblem(status, headers, doc, 400, "applicant.name")
        self.assertEqual(sorted(self.inbox_ids("citizen")), before)
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        status, headers, doc = self.act("receiving_officer", d["id"], "refuse", d["version"],
                                        {"note": "\u3000\u200b "})
        self.assertProblem(status, headers, doc, 400, "note")
        status, _, again = self.call("GET", "/api/v1/dossiers/" + d["id"], role="receiving_officer")
        self.assertEqual((again["state"], again["version"]), (d["state"], d["version"]))

    def test_a_direction_override_in_a_name_is_refused(self):
        # "Nguyễn<U+202E>Văn" shows staff a name reversed from the one it holds.
        before = sorted(self.inbox_ids("citizen"))
        status, headers, doc = self.submit(applicant=dict(APPLICANT, name="Nguyễn\u202eVăn Dân"))
        doc = self.assertProblem(status, headers, doc, 400, "applicant.name")
        self.assertIn("U+202E", doc["detail"])
        self.assertIn("U+202E", doc["detail_vi"])
        self.assertEqual(sorted(self.inbox_ids("citizen")), before)

    def test_control_characters_are_refused_and_change_nothing(self):
        # A NUL in an event's note was kept cut short on PostgreSQL, so the
        # chain's hash no longer matched and audit verify cried tampering.
        status, headers, doc = self.submit(applicant=dict(APPLICANT, name="Nguyễn\u0001 Văn"))
        doc = self.assertProblem(status, headers, doc, 400, "applicant.name")
        self.assertIn("U+0001", doc["detail"])
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        status, headers, doc = self.act("receiving_officer", d["id"], "refuse", d["version"],
                                        {"note": "thiếu giấy\u0000 tờ"})
        doc = self.assertProblem(status, headers, doc, 400, "note")
        self.assertIn("U+0000", doc["detail"])
        self.assertIn("U+0000", doc["detail_vi"])
        status, headers, doc = self.act("receiving_officer", d["id"], "request_supplement",
                                        d["version"],
                                        {"note": "bổ sung", "missing": ["tờ khai", "ảnh\u007f"]})
        self.assertProblem(status, headers, doc, 400, "missing[1]")
        status, _, ev = self.call("GET", f"/api/v1/dossiers/{d['id']}/events",
                                  role="receiving_officer")
        self.assertEqual([e["action"] for e in ev["items"]], ["submit"])
        # Tabs and line breaks are text people write: kept as written.
        note = "Thiếu:\n\t- tờ khai\r\n\t- ảnh"
        status, _, r = self.act("receiving_officer", d["id"], "refuse", d["version"],
                                {"note": note})
        self.assertEqual(status, 200, r)
        self.assertEqual(r["state"], "refused")
        status, _, ev = self.call("GET", f"/api/v1/dossiers/{d['id']}/events",
                                  role="receiving_officer")
        self.assertEqual(ev["items"][-1]["note"], note)
        # A query parameter too: PostgreSQL would have searched for "a".
        status, headers, doc = self.call("GET", "/api/v1/inbox?procedure=a%00b",
                                         role="receiving_officer")
        self.assertProblem(status, headers, doc, 400, "procedure")
        out = subprocess.run([harness.ARGS.binary, "audit", "verify", "--db", self.server.db_url],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_other_commune_staff_cannot_see_or_act(self):
        d = self.receive_new()
        status, _, other = self.call("POST", "/api/v1/users", {
            "kind": "staff", "username": f"other.officer.{self.BACKEND}.{RUN}",
            "display_name": "Cán bộ phường khác", "roles": ["receiving_officer", "leader"],
            "unit_code": "00008", "password": "other-password-123"}, "system_admin")
        self.assertEqual(status, 201, other)
        status, _, login = self.server.login(f"other.officer.{self.BACKEND}.{RUN}", "other-password-123")
        self.assertEqual(status, 200, login)
        token = login["token"]
        status, headers, doc = self.call("GET", "/api/v1/dossiers/" + d["code"], token=token)
        self.assertIn(status, (403, 404), doc)
        status, headers, doc = self.act(None, d["code"], "assign", d["version"],
                                        {"assignee": "1"}, token=token)
        self.assertIn(status, (403, 404), doc)
        status, _, inbox = self.call("GET", "/api/v1/inbox?limit=200", token=token)
        self.assertEqual(status, 200, inbox)
        self.assertNotIn(d["id"], [i["id"] for i in inbox["items"]])
        # Nor does a citizen see a dossier that is not theirs from the public route's
        # private twin: anonymous is refused.
        status, _, _ = self.call("GET", "/api/v1/dossiers/" + d["code"])
        self.assertEqual(status, 401)

    def test_inbox_is_sorted_by_due_and_pages(self):
        for _ in range(3):
            self.receive_new()
        seen, cursor = [], None
        for _ in range(20):  # enough pages to cross page ends; the database may hold more
            path = "/api/v1/inbox?state=received&limit=2" + (f"&cursor={cursor}" if cursor else "")
            status, _, page = self.call("GET", path, role="leader")
            self.assertEqual(status, 200, page)
            seen.extend(page["items"])
            for item in page["items"]:
                self.assertIn("due_soon", item)
                self.assertIn("overdue", item)
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertGreaterEqual(len(seen), 3)
        dues = [i["due_at"] for i in seen]
        self.assertEqual(dues, sorted(dues))
        self.assertEqual(len({i["id"] for i in seen}), len(seen))
        status, headers, doc = self.call("GET", "/api/v1/inbox?cursor=bogus", role="leader")
        self.assertProblem(status, headers, doc, 400, "cursor")

    def sweep(self, at, per_pass=None):
        extra = ["--per-pass", str(per_pass)] if per_pass else []
        out = subprocess.run([harness.ARGS.binary, "deadlines", "sweep", "--db",
                              self.server.db_url, "--at", at.isoformat()] + extra,
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return json.loads(out.stdout)

    def test_an_inbox_page_is_a_logged_view_of_every_dossier_on_it(self):
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        status, headers, page = self.call("GET", "/api/v1/inbox?limit=20", role="receiving_officer")
        self.assertEqual(status, 200, page)
        shown = {item["id"] for item in page["items"]}
        self.assertTrue(shown)  # the dossier just filed, or sooner due ones of earlier tests
        request_id = headers["x-request-id"]
        status, _, log = self.call("GET", "/api/v1/audit/personal-data-views?subject_kind=dossier&limit=500",
                                   role="system_admin")
        self.assertEqual(status, 200, log)
        rows = [r for r in log["items"] if r["request_id"] == request_id]
        self.assertEqual({r["subject_id"] for r in rows}, shown)
        self.assertEqual(len(rows), len(shown))
        for r in rows:
            self.assertEqual((r["action"], r["route"]), ("list", "GET /api/v1/inbox"))
            self.assertEqual(r["viewer"]["roles"], ["receiving_officer"])

    def test_deadline_sweep_flags_due_soon_then_overdue_once_each(self):
        d = self.receive_new()
        due = datetime.datetime.fromisoformat(d["due_at"])
        # The morning of the due day is within one working day of it.
        soon = self.sweep(due - datetime.timedelta(hours=2))
        self.assertGreaterEqual(soon["due_soon"], 1, soon)
        self.assertEqual(self.sweep(due - datetime.timedelta(hours=2)),
                         {"due_soon": 0, "overdue": 0})
        late = due + datetime.timedelta(days=3)
        swept = self.sweep(late)
        self.assertGreaterEqual(swept["overdue"], 1, swept)
        self.assertEqual(self.sweep(late), {"due_soon": 0, "overdue": 0})
        # The inbox shows it overdue at that time only; today it is not.
        status, _, now = self.call("GET", "/api/v1/dossiers/" + d["code"], role="leader")
        self.assertEqual(now["time"]["status"], "not_due")
        # A bad time names the option and changes nothing.
        self.assertSweepRefuses("--at", "yesterday")
        if self.BACKEND == "sqlite":
            topics = self.outbox_topics(d["id"])
            self.assertEqual(topics.count("dossier.due_soon"), 1, topics)
            self.assertEqual(topics.count("dossier.overdue"), 1, topics)

    def assertSweepRefuses(self, option, value):
        """A sweep with a bad `option` exits 2 naming it."""
        out = subprocess.run([harness.ARGS.binary, "deadlines", "sweep", "--db",
                              self.server.db_url, option, value],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 2, out.stdout + out.stderr)
        self.assertIn(option, out.stderr)

    def outbox_topics(self, dossier_id):
        """The topics of a dossier's outbox rows, in order (SQLite only)."""
        return [r[0] for r in harness.sqlite_rows(
            self.server.db_url, "SELECT topic FROM dossier_outbox WHERE dossier_id = ? ORDER BY id",
            (dossier_id,))]

    def shorter_procedure(self):
        """A commune procedure taken online, due in fewer working days than the usual one."""
        def days(p):
            return max((c.get("time_amount") or 0) for c in p["channels"]
                       if c["channel"] == "online" and c.get("time_unit") == "working_days")
        most = days(self.procedure) - 2
        cursor = None
        for _ in range(40):
            path = "/api/v1/procedures?limit=50" + (f"&cursor={cursor}" if cursor else "")
            status, _, page = self.call("GET", path)
            self.assertEqual(status, 200, page)
            for p in page["items"]:
                if p["competent_level"] == "commune" and any(
                        c["channel"] == "online" and c.get("time_unit") == "working_days"
                        and 0 < (c.get("time_amount") or 0) <= most for c in p["channels"]):
                    _, _, detail = self.call("GET", "/api/v1/procedures/" + p["code"])
                    if 0 < days(detail) <= most:
                        return detail
            cursor = page.get("next_cursor")
            if not cursor:
                break
        self.fail(f"no commune procedure of at most {most} working days")

    def test_deadline_sweep_reaches_due_soon_past_dossiers_already_overdue(self):
        # Dossiers past due that no sweep saw while they were due soon (the
        # server was down then, say) are never due soon again. Read first
        # (soonest due first), as many of them as a pass reads kept every
        # dossier due later from ever being flagged.
        short = self.shorter_procedure()
        components = [{"component_id": f"c{i + 1}", "form": "paper_original",
                       "quantity": max(1, c.get("quantity") or 1)}
                      for i, c in enumerate(short["components"])]
        stale = []
        for _ in range(3):
            status, _, s = self.submit(procedure_code=short["code"])
            self.assertEqual(status, 201, s)
            status, _, s = self.act("receiving_officer", s["id"], "receive", s["version"],
                                    {"components": components})
            self.assertEqual(status, 200, s)
            stale.append(s)
        d = self.receive_new()
        due = datetime.datetime.fromisoformat(d["due_at"])
        at = due - datetime.timedelta(hours=2)
        self.assertTrue(all(datetime.datetime.fromisoformat(s["due_at"]) < at for s in stale))
        flagged = 0
        for _ in range(30):  # a few per sweep, until a sweep finds no more
            swept = self.sweep(at, per_pass=3)
            flagged += swept["due_soon"]
            if swept["due_soon"] == 0:
                break
        self.assertGreaterEqual(flagged, 1)
        if self.BACKEND == "sqlite":
            topics = self.outbox_topics(d["id"])
            self.assertEqual(topics.count("dossier.due_soon"), 1, topics)
        # A bad number of dossiers a pass names the option.
        self.assertSweepRefuses("--per-pass", "0")

    def test_a_key_stored_with_the_bytes_fingerprint_still_replays(self):
        """Keys stored before fingerprints were of the compact JSON hold the
        hash of the bytes sent: a retry of those bytes still replays."""
        if self.BACKEND != "sqlite":
            self.skipTest("the stored fingerprint is edited with Python's sqlite3")
        body = json.dumps(self.submission(), indent=2)
        key = "bytes-" + RUN
        status, _, first = self.call("POST", "/api/v1/dossiers", body, "citizen",
                                     {"Idempotency-Key": key})
        self.assertEqual(status, 201, first)
        changed = harness.sqlite_edit(self.server.db_url, (
            "UPDATE dossier_idempotency SET request_hash = ? WHERE dossier_id = ?",
            (hashlib.sha256(body.encode()).hexdigest(), first["id"])))
        self.assertEqual(changed, 1)
        status, _, again = self.call("POST", "/api/v1/dossiers", body, "citizen",
                                     {"Idempotency-Key": key})
        self.assertEqual((status, again["id"]), (200, first["id"]), again)

    # --- bundles (liên thông) ------------------------------------------------

    def bundle(self, body, key=None):
        h = {"Idempotency-Key": key} if key else {}
        return self.call("POST", "/api/v1/bundles/LT-KHAISINH/dossiers", body, "citizen", h)

    def test_bundle_opens_every_member_procedure_together(self):
        form = self.upload("citizen")
        body = {"competent_unit": "00004", "applicant": dict(APPLICANT),
                "form_data": {"ten_tre": "Nguyễn Văn An"},
                "components": {"1.001193": [{"component_id": "c1", "form": "uploaded_file",
                                             "file_ref": form}]}}
        status, headers, out = self.bundle(body, key="bundle-" + RUN)
        self.assertEqual(status, 201, out)
        codes = [d["procedure_code"] for d in out["dossiers"]]
        self.assertEqual(codes, ["1.001193", "L.000002", "L.000004"])
        self.assertTrue(out["bundle_id"].startswith("LT"))
        for d in out["dossiers"]:
            self.assertEqual(d["bundle_id"], out["bundle_id"])
            self.assertEqual(d["state"], "submitted")
        # Commune-level members go to the commune, the others to its province.
        units = [d["competent_unit"] for d in out["dossiers"]]
        self.assertEqual(units, ["00004", "00004", "01"])
        self.assertEqual(out["dossiers"][0]["components"][0]["file_ref"], form)
        # A retry with the same key makes nothing new.
        status, headers, again = self.bundle(body, key="bundle-" + RUN)
        self.assertEqual(status, 200, again)
        self.assertEqual(headers.get("idempotent-replayed"), "true")
        self.assertEqual([d["id"] for d in again["dossiers"]], [d["id"] for d in out["dossiers"]])
        # Laid out otherwise: the same bundle; with other papers: another request.
        status, _, again = self.call("POST", "/api/v1/bundles/LT-KHAISINH/dossiers",
                                     json.dumps(body, indent=1), "citizen",
                                     {"Idempotency-Key": "bundle-" + RUN})
        self.assertEqual([d["id"] for d in again["dossiers"]], [d["id"] for d in out["dossiers"]])
        status, headers, doc = self.bundle(dict(body, components={"1.001193": []}),
                                           key="bundle-" + RUN)
        self.assertProblem(status, headers, doc, 422, "Idempotency-Key")
        for d in out["dossiers"]:
            status, _, mine = self.call("GET", "/api/v1/dossiers/" + d["id"], role="citizen")
            self.assertEqual(status, 200, mine)

    def test_a_bundle_is_filed_whole_or_not_at_all(self):
        key = "bundle-partial-" + RUN
        bad = {"competent_unit": "00004", "applicant": dict(APPLICANT),
               "components": {"L.000004": [{"component_id": "c9"}]}}
        status, headers, doc = self.bundle(bad, key=key)
        self.assertProblem(status, headers, doc, 422, "components[0].component_id")
        # Nothing was kept under the key: the good body files all three now.
        good = {"competent_unit": "00004", "applicant": dict(APPLICANT)}
        status, _, out = self.bundle(good, key=key)
        self.assertEqual(status, 201, out)
        self.assertEqual(len(out["dossiers"]), 3)

    def test_bundle_errors_name_what_is_wrong(self):
        base = {"competent_unit": "00004", "applicant": dict(APPLICANT)}
        status, headers, doc = self.call("POST", "/api/v1/bundles/LT-KHONG-CO/dossiers", base,
                                         "citizen")
        self.assertProblem(status, headers, doc, 404, "bundle")
        status, headers, doc = self.bundle(dict(base, components={"1.000001": []}))
        self.assertProblem(status, headers, doc, 422, "components.1.000001")
        status, headers, doc = self.bundle(dict(base, components=[]))
        self.assertProblem(status, headers, doc, 400, "components")
        status, headers, doc = self.bundle(dict(base, competent_unit="01"))
        self.assertProblem(status, headers, doc, 422, "competent_unit")
        status, headers, doc = self.bundle(dict(base, applicant=dict(APPLICANT, id_number="1")))
        self.assertProblem(status, headers, doc, 400, "applicant.id_number")
        status, headers, doc = self.call("POST", "/api/v1/bundles/LT-KHAISINH/dossiers", base)
        self.assertEqual(status, 401)

    def test_zzz_audit_verify_catches_a_deleted_dossier_row(self):
        # Last: the row deleted, a next dossier would take its number.
        if self.BACKEND != "sqlite":
            self.skipTest("the row is deleted with Python's sqlite3")
        d = self.receive_new()
        # The database refuses it; with its guard dropped, the entries left
        # behind are found.
        with self.assertRaises(sqlite3.DatabaseError) as refused:
            harness.sqlite_edit(self.server.db_url, ("DELETE FROM dossiers WHERE id = ?", (d["id"],)))
        self.assertIn("never deleted", str(refused.exception))
        changed = harness.sqlite_edit(
            self.server.db_url, ("DROP TRIGGER dossiers_no_delete", ()),
            ("DELETE FROM dossiers WHERE id = ?", (d["id"],)))
        self.assertEqual(changed, 1)
        out = subprocess.run([harness.ARGS.binary, "audit", "verify", "--db", self.server.db_url],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("belong to no dossier", out.stdout)

    def audit_verify(self):
        return subprocess.run([harness.ARGS.binary, "audit", "verify", "--db", self.server.db_url],
                              capture_output=True, text=True, timeout=120)

    def edit_behind_the_program(self, sqlite_script, pg_script):
        """Runs a script on the database beside the server, as an insider
        with the database would: sqlite3 on the file, or psql."""
        if self.BACKEND == "sqlite":
            db = sqlite3.connect(harness.sqlite_path(self.server.db_url), timeout=30)
            try:
                db.executescript(sqlite_script)
            finally:
                db.close()
        else:
            psql(self.server.db_url, pg_script)

    def test_zz_audit_verify_catches_a_row_state_an_erased_dossier_and_a_head(self):
        # Before: everything this class did (forwards, supplements, results...)
        # passes, so the new checks find nothing in what the program writes.
        out = self.audit_verify()
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("every row its log, every receipt code sequence is whole", out.stdout)
        # Every body this class's actions wrote is sealed by its last entry.
        self.assertNotIn("sealed by no log entry", out.stdout)
        a, b, c, d, e = (self.receive_new() for _ in range(5))
        agency, day, number = b["code"].rsplit("-", 2)
        ids = {"a": a["id"], "b": b["id"], "c": c["id"], "d": d["id"], "e": e["id"]}
        # a's state column set to another state; d's body likewise; c's head
        # hash rewritten; b erased whole, its row and its log (the guards
        # dropped, and kept aside to be put back: the database is shared).
        tamper_sqlite = """
            UPDATE dossiers SET state = 'finished' WHERE id = '{a}';
            UPDATE dossiers SET body = replace(body, '"state":"received"', '"state":"returned"')
              WHERE id = '{d}';
            UPDATE dossiers SET head_hash = 'ff' || substr(head_hash, 3) WHERE id = '{c}';
            UPDATE dossiers SET body = replace(body, '"001090000001"', '"001090000009"')
              WHERE id = '{e}';
            CREATE TABLE kept_rows AS SELECT * FROM dossiers WHERE id = '{b}';
            CREATE TABLE kept_events AS SELECT * FROM dossier_events WHERE key BETWEEN
              (SELECT ref FROM kept_rows) * 1048576 AND (SELECT ref FROM kept_rows) * 1048576 + 1048575;
            CREATE TABLE kept_keys AS SELECT * FROM dossier_idempotency WHERE dossier_id = '{b}';
            DROP TRIGGER dossier_events_no_delete;
            DROP TRIGGER dossiers_no_delete;
            DELETE FROM dossier_idempotency WHERE dossier_id = '{b}';
            DELETE FROM dossier_events WHERE key IN (SELECT key FROM kept_events);
            DELETE FROM dossiers WHERE id = '{b}';
        """.format(**ids)
        tamper_pg = """
            BEGIN;
            UPDATE dossiers SET state = 'finished' WHERE id = '{a}';
            UPDATE dossiers SET body = replace(body, '"state":"received"', '"state":"returned"')
              WHERE id = '{d}';
            UPDATE dossiers SET head_hash = 'ff' || substr(head_hash, 3) WHERE id = '{c}';
            UPDATE dossiers SET body = replace(body, '"001090000001"', '"001090000009"')
              WHERE id = '{e}';
            CREATE TABLE kept_rows AS SELECT * FROM dossiers WHERE id = '{b}';
            CREATE TABLE kept_events AS SELECT * FROM dossier_events WHERE dossier_id = '{b}';
            CREATE TABLE kept_keys AS SELECT * FROM dossier_idempotency WHERE dossier_id = '{b}';
            ALTER TABLE dossier_events DISABLE TRIGGER dossier_events_no_change;
            ALTER TABLE dossiers DISABLE TRIGGER dossiers_no_delete;
            DELETE FROM dossier_idempotency WHERE dossier_id = '{b}';
            DELETE FROM dossier_events WHERE dossier_id = '{b}';
            DELETE FROM dossiers WHERE id = '{b}';
            ALTER TABLE dossier_events ENABLE TRIGGER dossier_events_no_change;
            ALTER TABLE dossiers ENABLE TRIGGER dossiers_no_delete;
            COMMIT;
        """.format(**ids)
        self.edit_behind_the_program(tamper_sqlite, tamper_pg)
        try:
            out = self.audit_verify()
            text = out.stdout + out.stderr
            self.assertEqual(out.returncode, 1, text)
            self.assertIn(f"FAIL dossier {a['id']} {a['code']}: row_mismatch: state: the state "
                          "column says 'finished', but the log's last entry (seq 2) leads to "
                          "'received'", text)
            self.assertIn("cột state ghi 'finished'", text)
            self.assertIn(f"FAIL dossier {d['id']} {d['code']}: row_mismatch: body.state: the "
                          "body's state says 'returned', but the log's last entry (seq 2) leads to "
                          "'received'", text)
            # e's applicant: another ID number, which nothing but the seal shows.
            edited = [line for line in out.stdout.splitlines() if e["id"] in line]
            self.assertEqual(len(edited), 1, text)
            self.assertIn(f"FAIL dossier {e['id']} {e['code']}: row_mismatch: body.sha256: the "
                          "stored body (applicant, papers, fees, ...) has SHA-256 '", edited[0])
            self.assertIn("but the log's last entry (seq 2) sealed it as '", edited[0])
            self.assertIn("niêm phong", edited[0])
            # The head: which field differs, stored against computed, and no
            # entry past the last one named.
            head = [line for line in out.stdout.splitlines() if c["id"] in line]
            self.assertEqual(len(head), 1, text)
            self.assertIn("head_mismatch: head hash differs at seq 2: stored ff", head[0])
            self.assertIn("computed from the log", head[0])
            self.assertNotIn("entry 3", head[0])
            # The erased dossier: its number is missing from its agency's day.
            gap = [line for line in out.stdout.splitlines()
                   if line.startswith(f"FAIL code sequence {agency}-{day}:")]
            self.assertEqual(len(gap), 1, text)
            self.assertRegex(gap[0], r"numbers? with no dossier: (\d+, )*" + number + r"\b")
            self.assertIn("received dossiers were erased with their logs", gap[0])
            self.assertIn("hồ sơ đã tiếp nhận bị xoá cùng nhật ký", gap[0])
        finally:
            self.edit_behind_the_program("""
                INSERT INTO dossiers SELECT * FROM kept_rows;
                INSERT INTO dossier_events SELECT * FROM kept_events;
                INSERT INTO dossier_idempotency SELECT * FROM kept_keys;
                DROP TABLE kept_rows; DROP TABLE kept_events; DROP TABLE kept_keys;
                CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
                BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
                CREATE TRIGGER dossiers_no_delete BEFORE DELETE ON dossiers
                BEGIN SELECT RAISE(ABORT, 'dossiers are never deleted'); END;
                UPDATE dossiers SET state = 'received' WHERE id = '{a}';
                UPDATE dossiers SET body = replace(body, '"state":"returned"', '"state":"received"')
                  WHERE id = '{d}';
                UPDATE dossiers SET head_hash = '{h}' WHERE id = '{c}';
                UPDATE dossiers SET body = replace(body, '"001090000009"', '"001090000001"')
                  WHERE id = '{e}';
            """.format(h=self.head_hash_of(c), **ids), """
                BEGIN;
                INSERT INTO dossiers SELECT * FROM kept_rows;
                INSERT INTO dossier_events SELECT * FROM kept_events;
                INSERT INTO dossier_idempotency SELECT * FROM kept_keys;
                DROP TABLE kept_rows, kept_events, kept_keys;
                UPDATE dossiers SET state = 'received' WHERE id = '{a}';
                UPDATE dossiers SET body = replace(body, '"state":"returned"', '"state":"received"')
                  WHERE id = '{d}';
                UPDATE dossiers SET head_hash = '{h}' WHERE id = '{c}';
                UPDATE dossiers SET body = replace(body, '"001090000009"', '"001090000001"')
                  WHERE id = '{e}';
                COMMIT;
            """.format(h=self.head_hash_of(c), **ids))
        out = self.audit_verify()
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def head_hash_of(self, d):
        """The hash of d's last log entry (seq 2), as the program wrote it."""
        if self.BACKEND == "sqlite":
            return harness.sqlite_rows(
                self.server.db_url,
                "SELECT hash FROM dossier_events WHERE key = (SELECT ref FROM dossiers"
                " WHERE id = ?) * 1048576 + 2", (d["id"],))[0][0]
        return psql(self.server.db_url, "SELECT hash FROM dossier_events WHERE dossier_id = '"
                    + d["id"] + "' AND seq = 2").strip()

    def test_zz_audit_verify_catches_an_edited_event(self):
        if self.BACKEND != "sqlite":
            self.skipTest("the row is edited with Python's sqlite3")
        d = self.receive_new()
        # An entry's key is its dossier's ref * 2^20 + seq.
        changed = harness.sqlite_edit(
            self.server.db_url, ("DROP TRIGGER dossier_events_no_update", ()),
            ("UPDATE dossier_events SET note = 'sửa lén'"
             " WHERE key = (SELECT ref * 1048576 + 2 FROM dossiers WHERE id = ?)", (d["id"],)))
        self.assertEqual(changed, 1)
        out = subprocess.run([harness.ARGS.binary, "audit", "verify", "--db", self.server.db_url],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn(d["id"], out.stdout)
        self.assertIn("seq 2", out.stdout)


class WriteOutcomeUnknown(DossierClient):
    """A write that waits past the request timeout (a table locked by some
    other work) is answered 504, saying it may still be carried out, since
    it is: a client told only "try again" would file a second dossier."""

    @classmethod
    def server_args(cls):
        return ("--request-timeout", "2")

    @contextlib.contextmanager
    def table_locked(self, table, mode, held_as):
        """`table` locked in `mode` by another session for 8 s, from when
        pg_locks shows it granted (`held_as`) until the lock is gone: long
        enough to outlast the server's 2 s request timeout even when the
        request starts a few seconds after the grant (a loaded machine)."""
        url = self.server.db_url
        lock = subprocess.Popen(["psql", "-qAt", url, "-c",
                                 f"BEGIN; LOCK TABLE {table} IN {mode} MODE; "
                                 "SELECT pg_sleep(8); COMMIT;"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            held = "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation " \
                   f"WHERE c.relname = '{table}' AND l.mode = '{held_as}' AND l.granted"
            for _ in range(100):
                if psql(url, held).strip() == "1":
                    break
                time.sleep(0.05)
            yield
        finally:
            self.assertEqual(lock.wait(30), 0, lock.stderr.read())

    def test_a_submission_not_durable_in_time_may_still_be(self):
        if self.BACKEND != "postgresql":
            self.skipTest("PostgreSQL only: SQLite gives up on a lock before the timeout")
        url = self.server.db_url
        self.server.token("citizen")  # signed in before the lock
        with self.table_locked("dossiers", "ACCESS EXCLUSIVE", "AccessExclusiveLock"):
            marker = f"outcome-{RUN}"
            started = time.monotonic()
            status, headers, doc = self.submit(form_data={"ghi_chu": marker})
            self.assertEqual(status, 504, doc)
            self.assertLess(time.monotonic() - started, 4)
            self.assertTrue(headers["content-type"].startswith("application/problem+json"))
            self.assertIn("may still be, carried out", doc["detail"])
            self.assertIn("Idempotency-Key", doc["detail"])
            self.assertIn("vẫn đang được thực hiện", doc["detail_vi"])
            self.assertTrue(doc["type"].endswith("/write-outcome-unknown"), doc)
        # Once the lock is gone, the write the 504 left unknown is done.
        count = f"SELECT count(*) FROM dossiers WHERE body LIKE '%{marker}%'"
        for _ in range(100):
            if psql(url, count).strip() == "1":
                break
            time.sleep(0.05)
        self.assertEqual(psql(url, count).strip(), "1")

    def test_a_sign_in_not_confirmed_in_time_may_still_be_made(self):
        # An io thread's own write (a sign-in's session) sent whole and not
        # answered within the bound: it was 503 "try again", though the
        # session was made once the database went on.
        if self.BACKEND != "postgresql":
            self.skipTest("PostgreSQL only: SQLite gives up on a lock before the timeout")
        url = self.server.db_url
        account = self.server.demo_accounts["leader"]
        # Signed in once before: the session's INSERT is then prepared on the
        # writing session, and it is the INSERT itself that waits (a PREPARE
        # that waited would have changed nothing: that stays 503).
        self.server.token("leader", fresh=True)
        sessions = "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id " \
                   f"WHERE u.username = '{account['username']}'"
        before = int(psql(url, sessions).strip())
        # SHARE: the account is read, the session's INSERT waits.
        with self.table_locked("sessions", "SHARE", "ShareLock"):
            started = time.monotonic()
            status, headers, doc = self.server.login(account["username"], account["password"])
            self.assertEqual(status, 504, doc)
            self.assertLess(time.monotonic() - started, 4)
            self.assertTrue(headers["content-type"].startswith("application/problem+json"))
            self.assertTrue(doc["type"].endswith("/write-outcome-unknown"), doc)
            self.assertIn("did not confirm the change in time", doc["detail"])
            self.assertIn("may have been, or may still be, carried out", doc["detail"])
            self.assertIn("không xác nhận kịp", doc["detail_vi"])
        for _ in range(100):
            if int(psql(url, sessions).strip()) == before + 1:
                break
            time.sleep(0.05)
        self.assertEqual(int(psql(url, sessions).strip()), before + 1)
        # The server's session was dropped and is made again: a sign-in now passes.
        self.assertEqual(self.server.login(account["username"], account["password"])[0], 200)


def psql(url, sql):
    out = subprocess.run(["psql", "-qAt", url, "-c", sql], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


if __name__ == "__main__":
    run_suites([DossierCase, WriteOutcomeUnknown])
