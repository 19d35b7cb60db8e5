"""What the dossier suites share: a client of the real binary's dossier API
(submit, act with If-Match, upload, inbox) and a commune procedure to file."""
import datetime
import json
import os
import time
import urllib.parse

from harness import ServerCase

# Keys and usernames unique per run: a PostgreSQL database may outlive one run.
RUN = f"{os.getpid()}-{time.time_ns()}"
VN = datetime.timezone(datetime.timedelta(hours=7))
APPLICANT = {"kind": "person", "name": "Nguyễn Văn Dân", "id_number": "001090000001",
             "phone": "0912345678", "address": "Phường Ba Đình, Hà Nội"}


class DossierClient(ServerCase):
    """Helpers only: test cases subclass it."""
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.procedure = cls.pick_procedure()
        cls.journey = None

    @classmethod
    def pick_procedure(cls, level="commune", channel="online"):
        """A procedure of `level` taken on `channel`, due in working days, with components."""
        cursor = None
        for _ in range(40):
            path = "/api/v1/procedures?limit=50" + (f"&cursor={cursor}" if cursor else "")
            status, _, page = cls.server.get_json(path)
            assert status == 200, page
            for p in page["items"]:
                if p["competent_level"] != level:
                    continue
                if not any(c["channel"] == channel and c.get("time_unit") == "working_days"
                           and c.get("time_amount") for c in p["channels"]):
                    continue
                _, _, detail = cls.server.get_json("/api/v1/procedures/" + p["code"])
                if detail["components"]:
                    return detail
            cursor = page.get("next_cursor")
            if not cursor:
                break
        raise AssertionError(f"no {level} procedure taken {channel} in the catalog")

    def call(self, method, path, body=None, role=None, headers=None, token=None):
        h = dict(headers or {})
        if role:
            h.update(self.server.auth_headers(role))
        if token:
            h["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = json.dumps(body) if not isinstance(body, (str, bytes)) else body
            h["Content-Type"] = "application/json"
        status, headers, raw = self.server.request(method, path, data, h)
        doc = json.loads(raw) if raw and headers.get("content-type", "").find("json") >= 0 else None
        return status, headers, doc

    def submission(self, **over):
        doc = {"procedure_code": self.procedure["code"], "competent_unit": "00004",
               "applicant": dict(APPLICANT), "form_data": {"ghi_chu": "thử"}}
        doc.update(over)
        return doc

    def submit(self, key=None, **over):
        h = {"Idempotency-Key": key} if key else {}
        return self.call("POST", "/api/v1/dossiers", self.submission(**over), "citizen", h)

    def act(self, role, ref, action, version, body=None, token=None):
        return self.call("POST", f"/api/v1/dossiers/{ref}/actions/{action}", body or {},
                         None if token else role, {"If-Match": f'"{version}"'}, token)

    def all_components(self):
        return [{"component_id": f"c{i + 1}", "form": "paper_original",
                 "quantity": max(1, c.get("quantity") or 1)}
                for i, c in enumerate(self.procedure["components"])]

    def upload(self, role, data=None):
        """Uploads a small PDF as `role`; returns its sha256."""
        data = data or b"%PDF-1.4\n% " + RUN.encode() + b"\n1 0 obj << >> endobj\n%%EOF\n"
        h = dict(self.server.auth_headers(role))
        h["Content-Type"] = "application/pdf"
        status, _, raw = self.server.request("POST", "/api/v1/attachments", data, h)
        self.assertIn(status, (200, 201), raw)
        return json.loads(raw)["sha256"]

    def inbox_ids(self, role, query=""):
        """Ids on every page of the role's inbox: the database may hold many dossiers."""
        ids, cursor = [], None
        while True:
            path = f"/api/v1/inbox?limit=200&{query}" + (f"&cursor={cursor}" if cursor else "")
            status, _, page = self.call("GET", path, role=role)
            self.assertEqual(status, 200, page)
            ids += [i["id"] for i in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                return ids

    def user_id(self, role):
        status, _, me = self.call("GET", "/api/v1/auth/me", role=role)
        self.assertEqual(status, 200, me)
        return str(me.get("id") or me["user"]["id"])

    def working_moment(self, after, days, unit="00004"):
        """A moment of `unit`'s working hours `days` working days after
        `after` (the calendar's due time): an appointment a person may set."""
        query = urllib.parse.urlencode({"unit": unit, "days": days, "from": after.isoformat()})
        status, _, doc = self.server.get_json("/api/v1/calendar/due?" + query)
        self.assertEqual(status, 200, doc)
        return datetime.datetime.fromisoformat(doc["due"])

    def receive_new(self):
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        status, _, d = self.act("receiving_officer", d["id"], "receive", d["version"],
                                {"components": self.all_components()})
        self.assertEqual(status, 200, d)
        return d
