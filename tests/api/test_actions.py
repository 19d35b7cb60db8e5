"""The one-stop actions the journey of test_dossiers does not take, through the
real binary on SQLite and PostgreSQL: an apology that moves the appointment,
with its letter a document of the dossier; a leader sending a proposal back;
a citizen withdrawing, and the desk withdrawing a draft it opened; fees due
by channel and paid at the desk; a forward to a unit that can settle; and many
people acting on the same dossiers at once, where each version is won by one
action only and the log and the counters stay whole."""
import collections
import datetime
import json
import random
import subprocess
import threading
import time

import harness
from harness import run_suites

from dossier_client import RUN, VN, DossierClient


class ActionCase(DossierClient):
    def in_progress(self):
        d = self.receive_new()
        status, _, d = self.act("leader", d["id"], "assign", d["version"],
                                {"assignee": self.user_id("specialist")})
        self.assertEqual(status, 200, d)
        return d

    def letter(self, role, tag):
        """A PDF letter uploaded by `role`: its sha256 and bytes."""
        data = b"%PDF-1.4\n% apology " + f"{tag} {RUN}".encode() + b"\n1 0 obj << >> endobj\n%%EOF\n"
        return self.upload(role, data), data

    def test_a_forward_goes_to_a_unit_that_can_settle_it(self):
        """A dossier received in a province is settled in that province, by a
        unit at its procedure's level: any other target is refused, naming
        target_unit, and the dossier stays where it is."""
        d = self.receive_new()
        status, _, units = self.call("GET", "/api/v1/units?province=79&level=commune&limit=1")
        self.assertEqual(status, 200, units)
        elsewhere = units["items"][0]["code"]
        for target, status_wanted in (("", 400), ("00004", 400), ("99999", 422), ("01", 422),
                                      (elsewhere, 422)):
            status, headers, doc = self.act("leader", d["code"], "forward", d["version"],
                                            {"target_unit": target, "note": "Chuyển"})
            doc = self.assertProblem(status, headers, doc, status_wanted, "target_unit")
            if target == "01":
                self.assertIn("commune", doc["detail"])
            if target == elsewhere:
                self.assertIn("province", doc["detail"])
                self.assertIn("cùng tỉnh", doc["detail_vi"])
        status, _, same = self.call("GET", "/api/v1/dossiers/" + d["id"], role="leader")
        self.assertEqual((same["version"], same["competent_unit"]), (d["version"], "00004"))
        # Within the province, to a commune: taken, and forwarded back to where it was received.
        status, _, units = self.call("GET", "/api/v1/units?province=01&level=commune&limit=5")
        near = next(u["code"] for u in units["items"] if u["code"] != "00004")
        status, _, moved = self.act("leader", d["code"], "forward", d["version"],
                                    {"target_unit": near, "note": "Đúng thẩm quyền"})
        self.assertEqual(status, 200, moved)
        self.assertEqual((moved["receiving_unit"], moved["competent_unit"]), ("00004", near))
        # It is no longer this leader's to settle: their view offers nothing (each would be a 403).
        self.assertEqual(moved["allowed_actions"], [])
        status, _, seen = self.call("GET", "/api/v1/dossiers/" + d["id"], role="leader")
        self.assertEqual((status, seen["allowed_actions"]), (200, []))
        status, headers, doc = self.act("leader", d["code"], "refuse", moved["version"],
                                        {"note": "Không thuộc thẩm quyền"})
        self.assertProblem(status, headers, doc, 403)
        # The desk that received it still returns it, and may still withdraw it.
        status, _, desk = self.call("GET", "/api/v1/dossiers/" + d["id"], role="receiving_officer")
        self.assertEqual(desk["allowed_actions"], ["withdraw"])

    def test_fees_are_due_by_channel_and_paid_at_the_desk(self):
        """A dossier owes the fee of the channel it came by (temporary residence:
        7,000 online, 15,000 at the counter); the desk records it paid with the
        receipt's number, once; a free procedure owes nothing."""
        papers = [{"component_id": "c1", "form": "paper_original"},
                  {"component_id": "c2", "form": "paper_original"}]
        status, _, online = self.submit(procedure_code="L.000007")
        self.assertEqual(status, 201, online)
        self.assertEqual([(f["amount_vnd"], f["paid"]) for f in online["fees"]], [(7000, False)])
        status, _, counter = self.call("POST", "/api/v1/dossiers",
                                       self.submission(procedure_code="L.000007"), "receiving_officer")
        self.assertEqual(status, 201, counter)
        self.assertEqual([f["amount_vnd"] for f in counter["fees"]], [15000])
        status, _, d = self.act("receiving_officer", online["id"], "receive", online["version"],
                                {"components": papers})
        self.assertEqual(status, 200, d)
        self.assertIn("pay", d["allowed_actions"])
        # No receipt, or the citizen recording it: refused, nothing paid.
        for role, body, wanted, param in (("receiving_officer", {}, 400, "receipt"),
                                          ("receiving_officer", {"receipt": " \u3000"}, 400, "receipt"),
                                          ("citizen", {"receipt": "BL-1"}, 403, None)):
            status, headers, doc = self.act(role, d["code"], "pay", d["version"], body)
            self.assertProblem(status, headers, doc, wanted, param)
        status, _, same = self.call("GET", "/api/v1/dossiers/" + d["id"], role="receiving_officer")
        self.assertEqual((same["version"], same["fees"][0]["paid"]), (d["version"], False))
        status, _, paid = self.act("receiving_officer", d["code"], "pay", d["version"],
                                   {"receipt": "BL-2026-0042"})
        self.assertEqual(status, 200, paid)
        fee = paid["fees"][0]
        self.assertEqual((fee["paid"], fee["paid_online"], fee["receipt"]), (True, False, "BL-2026-0042"))
        self.assertTrue(fee["paid_at"])
        self.assertNotIn("pay", paid["allowed_actions"])
        self.assertEqual(paid["state"], "received")
        status, _, events = self.call("GET", f"/api/v1/dossiers/{d['id']}/events", role="receiving_officer")
        self.assertEqual(events["items"][-1]["action"], "pay")
        status, headers, doc = self.act("receiving_officer", d["code"], "pay", paid["version"],
                                        {"receipt": "BL-2026-0043"})
        self.assertProblem(status, headers, doc, 409)
        # A free procedure owes nothing and is not offered a payment.
        free = self.receive_new()
        self.assertEqual(free["fees"], [], free["procedure_code"])
        self.assertNotIn("pay", free["allowed_actions"])
        status, headers, doc = self.act("receiving_officer", free["code"], "pay", free["version"],
                                        {"receipt": "BL-1"})
        self.assertProblem(status, headers, doc, 409)

    def test_a_fee_left_unpaid_at_the_hand_over_can_still_be_recorded(self):
        status, _, d = self.submit(procedure_code="L.000007")
        self.assertEqual(status, 201, d)
        papers = [{"component_id": "c1", "form": "paper_original"},
                  {"component_id": "c2", "form": "paper_original"}]
        steps = [("receiving_officer", "receive", {"components": papers}),
                 ("leader", "assign", {"assignee": self.user_id("specialist")}),
                 ("specialist", "propose", {"note": "Đủ điều kiện"}), ("leader", "approve", {}),
                 ("leader", "issue_result", {"result": {"number": "9/GXN", "form": "paper"}}),
                 ("receiving_officer", "return_result", {"delivery": "counter"})]
        for role, action, body in steps:
            status, _, d = self.act(role, d["id"], action, d["version"], body)
            self.assertEqual(status, 200, (action, d))
        self.assertEqual((d["state"], d["fees"][0]["paid"]), ("returned", False))
        self.assertIn("pay", d["allowed_actions"])
        status, _, paid = self.act("receiving_officer", d["code"], "pay", d["version"],
                                   {"receipt": "BL-LATE-" + RUN})
        self.assertEqual(status, 200, paid)
        self.assertEqual((paid["state"], paid["fees"][0]["paid"], paid["fees"][0]["receipt"]),
                         ("returned", True, "BL-LATE-" + RUN))

    def test_a_rating_out_of_range_is_refused_even_past_32_bits(self):
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        steps = [("receiving_officer", "receive", {"components": self.all_components()}),
                 ("leader", "refuse", {"note": "Không đủ điều kiện"})]
        for role, action, body in steps:
            status, _, d = self.act(role, d["id"], action, d["version"], body)
            self.assertEqual(status, 200, (action, d))
        for score in (0, 6, -1, 2**32 + 1, 2**32 + 4, 2**63 - 1):
            status, headers, doc = self.act("citizen", d["code"], "rate", d["version"], {"score": score})
            self.assertProblem(status, headers, doc, 400, "score")
        status, _, same = self.call("GET", "/api/v1/dossiers/" + d["code"], role="citizen")
        self.assertEqual((same["version"], same["rating"]), (d["version"], None))

    def test_one_person_who_is_specialist_and_leader_acts_as_either(self):
        """A small commune gives one person both roles: they issue the result
        as the leader of a dossier another specialist holds."""
        name = "both.roles." + RUN
        status, _, _ = self.call("POST", "/api/v1/users",
                                 {"kind": "staff", "username": name, "display_name": "Cả hai",
                                  "roles": ["specialist", "leader"], "unit_code": "00004",
                                  "password": "both-roles-pass-1"}, "system_admin")
        self.assertIn(status, (201, 409))
        status, _, login = self.server.login(name, "both-roles-pass-1")
        self.assertEqual(status, 200, login)
        token = login["token"]
        d = self.in_progress()  # assigned to the demo specialist, not to this person
        status, _, d = self.act("specialist", d["id"], "propose", d["version"], {"note": "Đủ"})
        self.assertEqual(status, 200, d)
        status, _, d = self.act(None, d["id"], "approve", d["version"], token=token)
        self.assertEqual(status, 200, d)
        status, _, seen = self.call("GET", "/api/v1/dossiers/" + d["id"], token=token)
        self.assertIn("issue_result", seen["allowed_actions"])
        status, _, d = self.act(None, d["id"], "issue_result", d["version"],
                                {"result": {"number": "7/QĐ", "form": "paper"}}, token=token)
        self.assertEqual(status, 200, d)
        self.assertEqual(d["state"], "result_issued")
        status, _, events = self.call("GET", f"/api/v1/dossiers/{d['id']}/events", token=token)
        self.assertEqual(events["items"][-1]["actor"]["role"], "leader")

    def test_an_apology_moves_the_appointment_and_its_letter_is_a_document(self):
        d = self.in_progress()
        due = datetime.datetime.fromisoformat(d["due_at"])
        later = self.working_moment(due, 8)
        sha, data = self.letter("leader", "ok")
        body = {"new_due_at": later.isoformat(), "note": "Cần xác minh thêm", "letter_ref": sha}

        # The letter must be the leader's own upload: none, a made-up one or
        # another person's is refused, naming letter_ref, and changes nothing.
        theirs, _ = self.letter("citizen", "theirs")
        for ref, status_wanted in (("", 400), ("0" * 64, 422), ("thu-xin-loi.pdf", 422), (theirs, 422)):
            status, headers, doc = self.act("leader", d["id"], "apologise", d["version"],
                                            {**body, "letter_ref": ref})
            self.assertProblem(status, headers, doc, status_wanted, "letter_ref")
        status, _, same = self.call("GET", "/api/v1/dossiers/" + d["id"], role="leader")
        self.assertEqual((same["version"], same["apologies"]), (d["version"], []))

        status, _, sorry = self.act("leader", d["id"], "apologise", d["version"], body)
        self.assertEqual(status, 200, sorry)
        self.assertEqual(sorry["state"], "in_progress")
        self.assertEqual(len(sorry["apologies"]), 1)
        self.assertEqual(sorry["apologies"][0]["letter_ref"], sha)
        self.assertEqual(sorry["apologies"][0]["reason"], "Cần xác minh thêm")
        self.assertEqual(datetime.datetime.fromisoformat(sorry["apologies"][0]["new_due"]), later)
        self.assertEqual(datetime.datetime.fromisoformat(sorry["appointment"]), later)
        # The public status shows the new appointment.
        status, _, pub = self.call("GET", "/api/v1/public/dossiers/" + sorry["code"])
        self.assertEqual(status, 200, pub)
        self.assertEqual(datetime.datetime.fromisoformat(pub["appointment"]), later)
        # The citizen, and the unit's staff, download the letter; a stranger does not.
        for role in ("citizen", "receiving_officer"):
            status, headers, raw = self.server.request(
                "GET", f"/api/v1/dossiers/{sorry['code']}/attachments/{sha}", None,
                self.server.auth_headers(role))
            self.assertEqual((status, raw), (200, data), role)
            self.assertEqual(headers["content-type"], "application/pdf")
        status, _, _ = self.server.request("GET", f"/api/v1/dossiers/{sorry['code']}/attachments/{theirs}",
                                           None, self.server.auth_headers("citizen"))
        self.assertEqual(status, 404, "an upload the dossier does not name is not its document")
        # A second apology must move the date again.
        sha2, _ = self.letter("leader", "again")
        status, headers, doc = self.act("leader", d["id"], "apologise", sorry["version"],
                                        {**body, "letter_ref": sha2})
        self.assertProblem(status, headers, doc, 400, "new_due_at")

    def test_an_apology_sets_a_working_time_of_the_unit(self):
        """A new appointment at night, on a Sunday or on a public holiday is
        no appointment: 400 naming new_due_at, the dossier unchanged."""
        d = self.in_progress()
        sha, _ = self.letter("leader", "working time")
        body = {"note": "Cần xác minh thêm", "letter_ref": sha}
        working = self.working_moment(datetime.datetime.fromisoformat(d["due_at"]), 5)
        sunday = working + datetime.timedelta(days=6 - working.weekday())
        night = working.replace(hour=3, minute=0)
        lunch = working.replace(hour=12, minute=0)
        for bad in (sunday, night, lunch):
            status, headers, doc = self.act("leader", d["id"], "apologise", d["version"],
                                            dict(body, new_due_at=bad.isoformat()))
            doc = self.assertProblem(status, headers, doc, 400, "new_due_at")
            self.assertIn("working hours", doc["detail"])
            self.assertIn("giờ làm việc", doc["detail_vi"])
        status, _, same = self.call("GET", "/api/v1/dossiers/" + d["id"], role="leader")
        self.assertEqual((same["version"], same["apologies"]), (d["version"], []))
        status, _, sorry = self.act("leader", d["id"], "apologise", d["version"],
                                    dict(body, new_due_at=working.isoformat()))
        self.assertEqual(status, 200, sorry)

    def test_an_assignment_made_before_a_forward_is_stale_not_unprocessable(self):
        d = self.receive_new()
        status, _, moved = self.act("leader", d["id"], "forward", d["version"],
                                    {"target_unit": "00008", "note": "Chuyển"})
        self.assertEqual(status, 200, moved)
        # From the version read before the forward: 412, not a 422 about the new unit's staff.
        status, headers, doc = self.act("leader", d["id"], "assign", d["version"],
                                        {"assignee": self.user_id("specialist")})
        self.assertProblem(status, headers, doc, 412, "If-Match")

    def test_an_assignee_is_the_id_the_specialists_list_gives(self):
        # /specialists gives a person's id as a number; sent back as it was
        # read, the assignment was a 400 "must be a string".
        status, _, staff = self.call("GET", "/api/v1/specialists?unit=00004", role="leader")
        self.assertEqual(status, 200, staff)
        me = self.user_id("specialist")
        person = next(s for s in staff["items"] if str(s["id"]) == me)
        self.assertIsInstance(person["id"], int)
        d = self.receive_new()
        for odd in (0, -3, 1.5, 3.0, True, [person["id"]], {"id": person["id"]}, 2**64):
            status, headers, doc = self.act("leader", d["id"], "assign", d["version"], {"assignee": odd})
            self.assertProblem(status, headers, doc, 400, "assignee")
        status, _, same = self.call("GET", "/api/v1/dossiers/" + d["id"], role="leader")
        self.assertEqual((same["version"], same["state"]), (d["version"], d["state"]))
        status, _, done = self.act("leader", d["id"], "assign", d["version"],
                                   {"assignee": person["id"], "note": "Giao"})
        self.assertEqual(status, 200, done)
        self.assertEqual(done["assignee"], me)
        self.assertIn(done["id"], self.inbox_ids("specialist"))
        # A number that is no active specialist of the unit is the same 422 as its text.
        d = self.receive_new()
        for wrong in (987654321, "987654321", 2**63):
            status, headers, doc = self.act("leader", d["id"], "assign", d["version"], {"assignee": wrong})
            self.assertProblem(status, headers, doc, 422, "assignee")

    def test_a_returned_dossier_leaves_the_desks_inbox(self):
        """The inbox is the work waiting: a dossier handed back is done (a fee
        collected late is recorded from its page), so it does not pile up
        ahead of the new ones."""
        d = self.in_progress()
        steps = [("specialist", "propose", {"note": "Đủ điều kiện"}), ("leader", "approve", {}),
                 ("leader", "issue_result", {"result": {"number": "9/QĐ", "form": "paper"}}),
                 ("receiving_officer", "return_result", {"delivery": "counter"})]
        for role, action, body in steps:
            status, _, d = self.act(role, d["id"], action, d["version"], body)
            self.assertEqual(status, 200, d)
        self.assertEqual(d["state"], "returned")
        status, _, new = self.submit()
        self.assertEqual(status, 201, new)
        inbox = self.inbox_ids("receiving_officer")
        self.assertNotIn(d["id"], inbox)
        self.assertIn(new["id"], inbox)
        # Still reachable, and a fee still recordable, from its page.
        status, _, seen = self.call("GET", "/api/v1/dossiers/" + d["code"], role="receiving_officer")
        self.assertEqual((status, seen["state"]), (200, "returned"))

    def test_a_desk_files_only_at_the_counter_or_by_post(self):
        """A desk filing a dossier as online or national_portal is refused
        naming channel, and nothing is filed (it would take the online fee
        and count as received online)."""
        before = self.inbox_ids("receiving_officer")
        for channel in ("online", "national_portal"):
            status, headers, doc = self.call("POST", "/api/v1/dossiers",
                                             self.submission(channel=channel), "receiving_officer")
            self.assertProblem(status, headers, doc, 400, "channel")
        self.assertEqual(self.inbox_ids("receiving_officer"), before)
        status, _, d = self.call("POST", "/api/v1/dossiers", self.submission(channel="post"),
                                 "receiving_officer")
        self.assertEqual((status, d["channel"]), (201, "post"), d)

    def test_a_leader_sends_a_proposal_back_with_a_reason(self):
        d = self.in_progress()
        status, _, d = self.act("specialist", d["id"], "propose", d["version"], {"note": "Đề xuất cấp"})
        self.assertEqual((status, d["state"]), (200, "proposed"), d)
        for note in (None, "", " \u3000"):
            status, headers, doc = self.act("leader", d["id"], "send_back", d["version"],
                                            {} if note is None else {"note": note})
            self.assertProblem(status, headers, doc, 400, "note")
        status, _, back = self.act("leader", d["id"], "send_back", d["version"],
                                   {"note": "Thiếu xác minh nơi cư trú"})
        self.assertEqual((status, back["state"]), (200, "in_progress"), back)
        self.assertIn("propose", self.call("GET", "/api/v1/dossiers/" + d["id"], role="specialist")[2]
                      ["allowed_actions"])
        status, _, events = self.call("GET", f"/api/v1/dossiers/{d['id']}/events", role="leader")
        last = events["items"][-1]
        self.assertEqual((last["action"], last["from"], last["to"], last["note"]),
                         ("send_back", "proposed", "in_progress", "Thiếu xác minh nơi cư trú"))
        status, _, again = self.act("specialist", d["id"], "propose", back["version"], {"note": "Đã xác minh"})
        self.assertEqual((status, again["state"]), (200, "proposed"), again)

    def test_a_citizen_withdraws_with_a_reason(self):
        d = self.receive_new()
        status, headers, doc = self.act("citizen", d["id"], "withdraw", d["version"], {})
        self.assertProblem(status, headers, doc, 400, "note")
        status, _, gone = self.act("citizen", d["id"], "withdraw", d["version"], {"note": "Nộp nhầm thủ tục"})
        self.assertEqual((status, gone["state"]), (200, "withdrawn"), gone)
        self.assertEqual(gone["withdrawal_reason"], "Nộp nhầm thủ tục")
        status, _, pub = self.call("GET", "/api/v1/public/dossiers/" + gone["code"])
        self.assertEqual(pub["state"], "withdrawn")
        # Nothing is left to do on it, for anyone.
        for role in ("citizen", "receiving_officer", "leader"):
            status, _, seen = self.call("GET", "/api/v1/dossiers/" + d["id"], role=role)
            self.assertEqual((status, seen["allowed_actions"]), (200, []), role)
        status, headers, doc = self.act("leader", d["id"], "assign", gone["version"],
                                        {"assignee": self.user_id("specialist")})
        self.assertProblem(status, headers, doc, 409)

    def test_the_desk_withdraws_a_draft_it_will_not_receive(self):
        status, _, draft = self.call("POST", "/api/v1/dossiers", self.submission(channel="counter"),
                                     "receiving_officer")
        self.assertEqual((status, draft["state"]), (201, "draft"), draft)
        self.assertIn("withdraw", draft["allowed_actions"])
        status, headers, doc = self.act("receiving_officer", draft["id"], "withdraw", draft["version"], {})
        self.assertProblem(status, headers, doc, 400, "note")
        # The leader may not: withdrawing a draft is the desk's.
        status, headers, doc = self.act("leader", draft["id"], "withdraw", draft["version"],
                                        {"note": "Mở nhầm"})
        self.assertIn(status, (403, 409), doc)
        status, _, gone = self.act("receiving_officer", draft["id"], "withdraw", draft["version"],
                                   {"note": "Mở nhầm, người nộp sẽ nộp lại"})
        self.assertEqual((status, gone["state"], gone["code"]), (200, "withdrawn", ""), gone)
        self.assertEqual(gone["withdrawal_reason"], "Mở nhầm, người nộp sẽ nộp lại")
        self.assertNotIn(draft["id"], self.inbox_ids("receiving_officer"))

    def test_an_intake_at_the_desk_missing_papers_is_asked_for_them_or_refused(self):
        """Papers brought to the counter or sent by post that are not all
        there: the desk asks for what is missing (the receipt's 409 says to),
        takes the supplement and receives; or refuses in writing. Before
        receipt there is no fee to record yet."""
        status, _, draft = self.call("POST", "/api/v1/dossiers", self.submission(channel="counter"),
                                     "receiving_officer")
        self.assertEqual((status, draft["state"]), (201, "draft"), draft)
        status, headers, doc = self.act("receiving_officer", draft["id"], "receive",
                                        draft["version"], {"components": []})
        doc = self.assertProblem(status, headers, doc, 409, "components")
        self.assertIn("ask for supplements", doc["detail"])
        self.assertIn("request_supplement", draft["allowed_actions"])
        status, _, waiting = self.act("receiving_officer", draft["id"], "request_supplement",
                                      draft["version"],
                                      {"missing": ["Bản sao giấy tờ tùy thân"], "note": "Hẹn mang lại"})
        self.assertEqual((status, waiting["state"]), (200, "waiting_supplement"), waiting)
        self.assertEqual(waiting["allowed_actions"], ["supplement", "refuse", "withdraw"])
        status, _, back = self.act("receiving_officer", draft["id"], "supplement",
                                   waiting["version"], {"components": self.all_components()})
        self.assertEqual((status, back["state"]), (200, "draft"), back)
        status, _, received = self.act("receiving_officer", draft["id"], "receive", back["version"],
                                       {"components": []})
        self.assertEqual((status, received["state"]), (200, "received"), received)
        self.assertTrue(received["code"])

        status, _, posted = self.call("POST", "/api/v1/dossiers", self.submission(channel="post"),
                                      "receiving_officer")
        self.assertEqual(status, 201, posted)
        status, _, refused = self.act("receiving_officer", posted["id"], "refuse", posted["version"],
                                      {"note": "Không thuộc thẩm quyền của xã"})
        self.assertEqual((status, refused["state"], refused["code"]), (200, "refused", ""), refused)
        self.assertEqual(refused["refusal_reason"], "Không thuộc thẩm quyền của xã")

    def test_the_papers_a_receipt_wants_follow_the_channel_and_the_catalog(self):
        """A birth registration (1.001193): the paper declaration is asked for
        at the counter and by post, the e-form online, never both; the birth
        certificate is asked for on every channel (its alternatives are said
        in its name, not a condition on it)."""
        _, _, proc = self.call("GET", "/api/v1/procedures/1.001193")
        ids = {}
        for i, c in enumerate(proc["components"]):
            name = c["name"]
            key = ("paper_form" if name.startswith("- Tờ khai") else
                   "e_form" if name.startswith("- Mẫu hộ tịch điện tử") else
                   "birth" if name.startswith("- Giấy chứng sinh") else
                   "id" if name.startswith("- Hộ chiếu") else None)
            if key:
                ids[key] = (f"c{i + 1}", c)
        self.assertEqual(ids["paper_form"][1]["channels"], ["counter", "post"])
        self.assertEqual(ids["e_form"][1]["channels"], ["online"])
        self.assertEqual((ids["birth"][1]["requirement"], ids["birth"][1]["channels"]),
                         ("mandatory", []))

        def papers(*keys):
            return [{"component_id": ids[k][0], "form": "paper_original", "quantity": 1}
                    for k in keys]

        def receipt(channel, keys):
            if channel == "online":
                status, _, d = self.submit(procedure_code="1.001193")
            else:
                status, _, d = self.call("POST", "/api/v1/dossiers",
                                         self.submission(procedure_code="1.001193", channel=channel),
                                         "receiving_officer")
            self.assertEqual(status, 201, d)
            return self.act("receiving_officer", d["id"], "receive", d["version"],
                            {"components": papers(*keys)})

        status, _, d = receipt("counter", ("id", "paper_form", "birth"))
        self.assertEqual((status, d["state"]), (200, "received"), d)
        status, headers, doc = receipt("counter", ("id", "paper_form"))
        doc = self.assertProblem(status, headers, doc, 409, "components")
        self.assertIn("Giấy chứng sinh", doc["detail"])
        status, headers, doc = receipt("post", ("id", "e_form", "birth"))
        doc = self.assertProblem(status, headers, doc, 409, "components")
        self.assertIn("Tờ khai đăng ký khai sinh", doc["detail"])
        self.assertNotIn("Mẫu hộ tịch điện tử", doc["detail"])
        status, _, d = receipt("online", ("id", "e_form", "birth"))
        self.assertEqual((status, d["state"]), (200, "received"), d)

    def test_a_supplement_asked_before_receipt_is_the_desks_to_refuse(self):
        """An online dossier the desk asked papers of before receipt, never
        answered: the desk closes it with a written refusal; the competent
        unit's leader, who refuses only what was received, may not."""
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        status, _, d = self.act("receiving_officer", d["id"], "request_supplement", d["version"],
                                {"missing": ["Bản chụp giấy khai sinh"]})
        self.assertEqual((status, d["state"]), (200, "waiting_supplement"), d)
        status, _, seen = self.call("GET", "/api/v1/dossiers/" + d["id"], role="leader")
        self.assertNotIn("refuse", seen["allowed_actions"])
        status, headers, doc = self.act("leader", d["id"], "refuse", d["version"],
                                        {"note": "Quá hạn bổ sung"})
        doc = self.assertProblem(status, headers, doc, 403)
        self.assertIn("receiving_officer", doc["detail"])
        status, _, refused = self.act("receiving_officer", d["id"], "refuse", d["version"],
                                      {"note": "Người nộp không bổ sung"})
        self.assertEqual((status, refused["state"]), (200, "refused"), refused)
        self.assertIsNone(refused["received_at"])

    def test_a_proposal_not_yet_approved_may_still_be_withdrawn(self):
        d = self.in_progress()
        status, _, d = self.act("specialist", d["id"], "propose", d["version"], {"note": "Đề xuất cấp"})
        self.assertEqual((status, d["state"]), (200, "proposed"), d)
        status, _, seen = self.call("GET", "/api/v1/dossiers/" + d["id"], role="citizen")
        self.assertEqual(seen["allowed_actions"], ["withdraw"])
        status, _, gone = self.act("citizen", d["id"], "withdraw", d["version"],
                                   {"note": "Không còn nhu cầu"})
        self.assertEqual((status, gone["state"]), (200, "withdrawn"), gone)

    def test_a_refused_action_names_only_what_this_person_may_do_here(self):
        """The 409's list is this person's on this dossier: no fee left to pay
        is not offered, nor a step of a unit the dossier has left; an
        assignment by a leader it left is a 403, not a 422 about the assignee."""
        d = self.receive_new()
        if any(not f["paid"] and f["amount_vnd"] > 0 for f in d["fees"]):
            status, _, d = self.act("receiving_officer", d["id"], "pay", d["version"],
                                    {"receipt": "BL-" + RUN})
            self.assertEqual(status, 200, d)
        status, headers, doc = self.act("receiving_officer", d["id"], "receive", d["version"],
                                        {"components": self.all_components()})
        doc = self.assertProblem(status, headers, doc, 409, "action")
        self.assertIn("Allowed: withdraw.", doc["detail"])
        status, _, units = self.call("GET", "/api/v1/units?province=01&level=commune&limit=5")
        near = next(u["code"] for u in units["items"] if u["code"] != "00004")
        status, _, moved = self.act("leader", d["id"], "forward", d["version"],
                                    {"target_unit": near, "note": "Đúng thẩm quyền"})
        self.assertEqual(status, 200, moved)
        status, headers, doc = self.act("leader", d["id"], "approve", moved["version"], {})
        doc = self.assertProblem(status, headers, doc, 409, "action")
        self.assertNotIn("Allowed", doc["detail"])
        status, headers, doc = self.act("leader", d["id"], "assign", moved["version"],
                                        {"assignee": self.user_id("specialist")})
        doc = self.assertProblem(status, headers, doc, 403)
        self.assertIn(near, doc["detail"])

    def test_people_acting_at_once_win_one_version_each(self):
        # Six people at once, for a few seconds, each reading a dossier and
        # taking one of the actions it allows them with the version read.
        roles = ["receiving_officer", "leader", "specialist", "citizen"]
        for role in roles:
            self.server.auth_headers(role)
        specialist = self.user_id("specialist")
        comps = self.all_components()
        bodies = {"receive": {"components": comps}, "assign": {"assignee": specialist},
                  "request_supplement": {"missing": ["Giấy tờ bổ sung"]},
                  "supplement": {"components": comps[:1]}, "send_back": {"note": "Xem lại"},
                  "issue_result": {"result": {"number": "KQ-" + RUN, "form": "paper"}},
                  "return_result": {"delivery": "counter"}, "rate": {"score": 4},
                  "pay": {"receipt": "BL-" + RUN}}
        ids, tried, failures = [], [], []
        lock = threading.Lock()

        def submit():
            status, _, d = self.submit()
            if status != 201:
                failures.append(("submit", status, d))
            return d["id"]

        ids.extend(submit() for _ in range(6))
        # At least 6 s, then until enough versions were won and two people met
        # on one (a loaded machine may take longer), within a generous deadline.
        started = time.monotonic()
        deadline = started + 60
        seen = collections.Counter()

        def going():
            if failures or time.monotonic() >= deadline:
                return False
            with lock:
                return time.monotonic() < started + 6 or seen[200] <= 20 or seen[412] == 0

        def person(seed):
            rng = random.Random(seed)
            while going():
                if rng.random() < 0.03:
                    new = submit()
                    with lock:
                        ids.append(new)
                role = rng.choice(roles)
                with lock:
                    ref = rng.choice(ids[-6:])
                status, _, d = self.call("GET", "/api/v1/dossiers/" + ref, role=role)
                if status != 200:
                    failures.append(("read", ref, role, status, d))
                    continue
                # The actions that take no letter nor other unit; ending ones seldom.
                acts = [a for a in d["allowed_actions"] if a not in ("apologise", "forward")]
                calm = [a for a in acts if a not in ("withdraw", "refuse")]
                if not acts:
                    continue
                action = rng.choice(calm) if calm and rng.random() < 0.95 else rng.choice(acts)
                body = bodies.get(action, {"note": "Thao tác " + action})
                status, _, out = self.act(role, ref, action, d["version"], body)
                with lock:
                    tried.append((ref, d["version"], action, status, (out or {}).get("version")))
                    seen[status] += 1
                if status not in (200, 412):
                    failures.append((action, role, d["state"], status, out))

        people = [threading.Thread(target=person, args=(i,)) for i in range(6)]
        for p in people:
            p.start()
        for p in people:
            p.join()
        self.assertEqual(failures, [])
        by_status = collections.Counter(t[3] for t in tried)
        self.assertGreater(by_status[200], 20, by_status)
        self.assertGreater(by_status[412], 0, f"no two people met on a version: {by_status}")
        for ref in set(ids):
            wins = [t for t in tried if t[0] == ref and t[3] == 200]
            self.assertEqual(len({t[1] for t in wins}), len(wins), f"{ref}: a version won twice")
            for t in wins:
                self.assertEqual(t[4], t[1] + 1, t)
            status, _, d = self.call("GET", "/api/v1/dossiers/" + ref, role="leader")
            self.assertEqual(d["version"], 1 + len(wins), ref)
            status, _, events = self.call("GET", f"/api/v1/dossiers/{ref}/events?limit=200", role="leader")
            self.assertEqual(len(events["items"]), d["version"], ref)
        # The log's chains and the operations centre's counters are whole.
        for command in (["audit", "verify"], ["stats", "verify"]):
            out = subprocess.run([harness.ARGS.binary, *command, "--db", self.server.db_url],
                                 capture_output=True, text=True, timeout=300)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


class DeskAppointmentCase(DossierClient):
    """A procedure whose catalog entry sets no processing time ("Không xác
    định"): the desk writes the appointment on the receipt (due_at), in the
    unit's working time; without one the receipt is refused naming due_at,
    and a procedure that sets its time takes none."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, _, p = cls.server.get_json("/api/v1/procedures/2.000635")
        assert status == 200, p
        assert not any(c.get("time_amount") for c in p["channels"]), p["channels"]
        cls.untimed = p

    def components_of(self, procedure):
        return [{"component_id": f"c{i + 1}", "form": "paper_original",
                 "quantity": max(1, c.get("quantity") or 1)}
                for i, c in enumerate(procedure["components"])]

    def test_the_desk_sets_the_appointment_when_the_catalog_sets_none(self):
        status, _, d = self.submit(procedure_code=self.untimed["code"])
        self.assertEqual(status, 201, d)
        body = {"components": self.components_of(self.untimed)}
        now = datetime.datetime.now(VN)
        working = self.working_moment(now, 3)
        sunday = working + datetime.timedelta(days=6 - working.weekday())
        for due, wanted in ((None, "sets no processing time"), (sunday, "working hours"),
                            (working.replace(hour=2), "working hours"),
                            # A minute past closing is not closing time.
                            (working.replace(hour=17, minute=0, second=59), "working hours"),
                            (now - datetime.timedelta(days=1), "after now"),
                            (self.working_moment(now, 400), "within a year")):
            status, headers, doc = self.act("receiving_officer", d["id"], "receive", d["version"],
                                            dict(body, **({"due_at": due.isoformat()} if due else {})))
            doc = self.assertProblem(status, headers, doc, 400, "due_at")
            self.assertIn(wanted, doc["detail"])
        status, _, same = self.call("GET", "/api/v1/dossiers/" + d["id"], role="receiving_officer")
        self.assertEqual((same["version"], same["state"]), (d["version"], "submitted"))

        status, _, got = self.act("receiving_officer", d["id"], "receive", d["version"],
                                  dict(body, due_at=working.isoformat()))
        self.assertEqual(status, 200, got)
        self.assertEqual(datetime.datetime.fromisoformat(got["due_at"]), working)
        self.assertEqual(got["state"], "received")
        self.assertRegex(got["code"], r"-\d{6}-\d{4}$")
        status, _, pub = self.call("GET", "/api/v1/public/dossiers/" + got["code"])
        self.assertEqual(datetime.datetime.fromisoformat(pub["appointment"]), working)
        # Received already: a second receipt is a 409 saying what may be done, appointment or not.
        status, headers, doc = self.act("receiving_officer", d["id"], "receive", got["version"],
                                        dict(body, due_at=working.isoformat()))
        self.assertProblem(status, headers, doc, 409)

    def test_a_procedure_that_sets_its_time_takes_no_appointment_from_the_desk(self):
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        working = self.working_moment(datetime.datetime.now(VN), 3)
        status, headers, doc = self.act("receiving_officer", d["id"], "receive", d["version"],
                                        {"components": self.all_components(),
                                         "due_at": working.isoformat()})
        doc = self.assertProblem(status, headers, doc, 400, "due_at")
        self.assertIn("sets its processing time", doc["detail"])
        status, _, got = self.act("receiving_officer", d["id"], "receive", d["version"],
                                  {"components": self.all_components()})
        self.assertEqual(status, 200, got)


class PromisedDateCase(DossierClient):
    """The appointment shown to the public is the one the applicant was
    promised: moved on by the working time the dossier waited for their
    supplements. Over a simulated history (times in the past, so the waits
    span working hours), on SQLite: each class there has a database of its own,
    and the shared PostgreSQL one is left to the suites that count on it."""

    @classmethod
    def setUpClass(cls):
        if cls.BACKEND == "postgresql":
            raise harness.unittest.SkipTest("the history is simulated on SQLite only")
        if cls.BACKEND == "sqlite":
            out = subprocess.run([harness.ARGS.binary, "simulate", "--db", cls.DB_URL(cls.__name__),
                                  "--data", harness.ARGS.data, "--province", "01", "--days", "30",
                                  "--per-day", "3", "--seed", "5"],
                                 capture_output=True, text=True, timeout=600)
            assert out.returncode == 0, out.stdout + out.stderr
        super().setUpClass()

    def test_the_public_appointment_is_the_promised_one(self):
        status, _, page = self.call("GET", "/api/v1/stats/dossiers?unit=00004&status=received"
                                    "&period=year&limit=200", role="province_supervisor")
        self.assertEqual(status, 200, page)
        codes = [item["code"] for item in page["items"]]
        self.assertGreater(len(codes), 10, page)
        moved = 0
        for code in codes:
            status, _, d = self.call("GET", "/api/v1/dossiers/" + code, role="province_supervisor")
            self.assertEqual(status, 200, d)
            status, _, pub = self.call("GET", "/api/v1/public/dossiers/" + code)
            self.assertEqual(status, 200, pub)
            # No time report (a dossier withdrawn): the appointment as recorded.
            promised = (d["time"] or {}).get("effective_appointment") or d["appointment"]
            when = [datetime.datetime.fromisoformat(t) if t else None for t in (pub["appointment"], promised)]
            self.assertEqual(when[0], when[1], code)
            moved += promised != d["appointment"]
        self.assertGreater(moved, 0, "no simulated dossier waited for a supplement in working time")


class ApologyAfterAWaitCase(DossierClient):
    """An apology's new date must follow the appointment in force, which the
    time spent waiting for the applicant's supplements moved on, not the due
    time set at receipt. On SQLite: the wait is made three weeks long by
    moving the request back in the stored body, so that it spans working days
    whenever the test runs; a class of its own, since the log's `audit verify`
    elsewhere would see the edited row."""

    @classmethod
    def setUpClass(cls):
        if cls.BACKEND == "postgresql":
            raise harness.unittest.SkipTest("the stored body is edited with Python's sqlite3")
        super().setUpClass()

    def waited_three_weeks(self):
        """A dossier in progress whose supplements were asked three weeks ago
        (as far back as its receipt) and brought now."""
        d = self.receive_new()
        status, _, d = self.act("leader", d["id"], "assign", d["version"],
                                {"assignee": self.user_id("specialist")})
        self.assertEqual(status, 200, d)
        status, _, d = self.act("specialist", d["id"], "request_supplement", d["version"],
                                {"missing": ["Bản sao giấy tờ tùy thân"]})
        self.assertEqual((status, d["state"]), (200, "waiting_supplement"), d)
        [(raw,)] = harness.sqlite_rows(self.server.db_url, "SELECT body FROM dossiers WHERE id = ?",
                                       (d["id"],))
        body = json.loads(raw)
        back = datetime.timedelta(days=21)
        for holder, key in ((body, "submitted_at"), (body, "received_at"), (body, "clock_start"),
                            (body["supplements"][0], "requested_at")):
            holder[key] = (datetime.datetime.fromisoformat(holder[key]) - back).isoformat()
        # A new version, so that the server reads the row rather than its copy.
        changed = harness.sqlite_edit(
            self.server.db_url, ("UPDATE dossiers SET body = ?, version = version + 1 WHERE id = ?",
                                 (json.dumps(body, ensure_ascii=False), d["id"])))
        self.assertEqual(changed, 1)
        scan = self.upload("citizen")
        status, _, d = self.act("citizen", d["id"], "supplement", d["version"] + 1,
                                {"components": [{"component_id": "c1", "form": "uploaded_file",
                                                 "file_ref": scan}]})
        self.assertEqual((status, d["state"]), (200, "in_progress"), d)
        return d

    def test_the_new_date_follows_the_due_time_the_wait_moved_on(self):
        d = self.waited_three_weeks()
        due = datetime.datetime.fromisoformat(d["due_at"])
        moved = datetime.datetime.fromisoformat(d["time"]["effective_due"])
        self.assertGreater(moved - due, datetime.timedelta(days=1), d["time"])
        self.assertEqual(datetime.datetime.fromisoformat(d["time"]["effective_appointment"]), moved)
        sha = self.upload("leader", b"%PDF-1.4\n% apology after a wait " + RUN.encode()
                          + b"\n1 0 obj << >> endobj\n%%EOF\n")
        body = {"note": "Chờ xác minh", "letter_ref": sha}

        # After the due time set at receipt, before the one the wait moved on: refused.
        between = (due + (moved - due) / 2).replace(microsecond=0)
        status, headers, doc = self.act("leader", d["id"], "apologise", d["version"],
                                        dict(body, new_due_at=between.isoformat()))
        doc = self.assertProblem(status, headers, doc, 400, "new_due_at")
        self.assertIn(moved.isoformat(), doc["detail"])
        self.assertIn(moved.isoformat(), doc["detail_vi"])
        status, _, same = self.call("GET", "/api/v1/dossiers/" + d["id"], role="leader")
        self.assertEqual((same["version"], same["apologies"]), (d["version"], []))

        # After it: taken, replacing the moved appointment, and shown alike everywhere.
        later = self.working_moment(moved, 2)
        status, _, sorry = self.act("leader", d["id"], "apologise", d["version"],
                                    dict(body, new_due_at=later.isoformat()))
        self.assertEqual(status, 200, sorry)
        apology = sorry["apologies"][0]
        self.assertEqual(datetime.datetime.fromisoformat(apology["previous_due"]), moved)
        self.assertEqual(datetime.datetime.fromisoformat(apology["new_due"]), later)
        for t in (sorry["appointment"], sorry["time"]["effective_appointment"]):
            self.assertEqual(datetime.datetime.fromisoformat(t), later)
        self.assertEqual(datetime.datetime.fromisoformat(sorry["time"]["effective_due"]), moved)
        status, _, pub = self.call("GET", "/api/v1/public/dossiers/" + sorry["code"])
        self.assertEqual(datetime.datetime.fromisoformat(pub["appointment"]), later)
        status, _, events = self.call("GET", f"/api/v1/dossiers/{d['id']}/events", role="leader")
        last = events["items"][-1]
        self.assertEqual(last["action"], "apologise")
        self.assertEqual(datetime.datetime.fromisoformat(last["payload"]["previous_due"]), moved)


if __name__ == "__main__":
    run_suites([ActionCase, DeskAppointmentCase, PromisedDateCase, ApologyAfterAWaitCase])
