"""Accounts, sessions and jurisdiction over HTTP, as users and attackers see them.

The route matrix walks GET /api/v1/access/routes (the live router) for every demo
role and for anonymous callers, inside and outside each role's jurisdiction, and
checks allow or deny against the expectations below, written from the rules:
a route added tomorrow is covered by the walk, and a new permission fails it
until its expected grants are written here.
"""
import concurrent.futures
import datetime
import http.client
import json
import os
import pty
import re
import select
import socket
import subprocess
import time
import unicodedata

import harness

ROLES = ["citizen", "receiving_officer", "specialist", "leader", "unit_admin",
         "province_supervisor", "national_viewer", "system_admin", "postal_agent"]
UNIT_ROLES = {"receiving_officer", "specialist", "leader", "unit_admin", "postal_agent"}

# Who holds what, at which reach (own < unit < province < national).
EXPECTED = {
    "public": {r: "national" for r in ROLES},
    "self": {r: "own" for r in ROLES},
    # One national catalog: a procedure has no province, so no province's supervisor edits it.
    "catalog.admin": {"system_admin": "national"},
    "calendar.admin": {"system_admin": "national"},
    "dossier.submit": {"citizen": "own", "receiving_officer": "unit", "postal_agent": "unit"},
    "dossier.receive": {"receiving_officer": "unit", "postal_agent": "unit"},
    "dossier.process": {"specialist": "unit", "leader": "unit"},
    "dossier.approve": {"leader": "unit"},
    "dossier.return": {"receiving_officer": "unit", "postal_agent": "unit"},
    "dossier.read": {"citizen": "own", "receiving_officer": "unit", "specialist": "unit",
                     "leader": "unit", "postal_agent": "unit", "province_supervisor": "province"},
    "stats.read": {"leader": "unit", "unit_admin": "unit", "province_supervisor": "province",
                   "national_viewer": "national", "system_admin": "national"},
    "users.admin": {"unit_admin": "unit", "system_admin": "national"},
    "attachment.upload": {"citizen": "own", "receiving_officer": "unit", "specialist": "unit",
                          "leader": "unit", "postal_agent": "unit"},
    "audit.read": {"system_admin": "national"},
}

DEMO_UNIT, DEMO_PROVINCE = "00004", "01"
SIBLING_UNIT = "00008"            # another commune of Hà Nội
FOREIGN_UNIT, FOREIGN_PROVINCE = "25747", "79"  # a ward of Hồ Chí Minh City

# Keys that carry personal data anywhere in a response.
PERSONAL_KEYS = {"id_number", "citizen_id", "phone", "email", "applicant", "applicant_name",
                 "date_of_birth", "address", "owner"}

JSON = {"Content-Type": "application/json"}

# Names and numbers unique to this run: PostgreSQL runs share one database.
RUN = "%07d" % (int(time.time() * 1000) % 10_000_000)


def body(doc):
    return json.dumps(doc)


class AccountsBase(harness.ServerCase):
    def call(self, method, path, doc=None, headers=None):
        data = body(doc) if doc is not None else None
        h = dict(JSON) if data is not None else {}
        h.update(headers or {})
        status, hdrs, raw = self.server.request(method, path, data, h)
        parsed = None
        if raw and hdrs.get("content-type", "").startswith(("application/json",
                                                              "application/problem+json")):
            parsed = json.loads(raw)
        return status, hdrs, parsed

    def as_role(self, role):
        return self.server.auth_headers(role)

    def create_user(self, doc, role="system_admin"):
        status, _, out = self.call("POST", "/api/v1/users", doc, self.as_role(role))
        self.assertEqual(status, 201, out)
        return out


class RouteMatrix(AccountsBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One staff account per jurisdiction, with no sessions: the targets of {id}.
        cls.ids = {}
        admin = cls.server.auth_headers("system_admin")
        for variant, unit in (("home", DEMO_UNIT), ("sibling", SIBLING_UNIT),
                              ("foreign", FOREIGN_UNIT)):
            doc = {"kind": "staff", "username": f"matrix.{variant}.{RUN}", "display_name": variant,
                   "roles": ["specialist"], "unit_code": unit, "password": "matrix-password-1"}
            status, _, raw = cls.server.request("POST", "/api/v1/users", json.dumps(doc),
                                                {**JSON, **admin})
            assert status == 201, raw
            cls.ids[variant] = json.loads(raw)["id"]

    def fill(self, pattern, variant):
        samples = {"id": str(self.ids[variant]), "code": DEMO_UNIT, "year": "2026",
                   "unit": {"home": DEMO_UNIT, "sibling": SIBLING_UNIT,
                            "foreign": FOREIGN_UNIT}[variant]}
        return re.sub(r"\{(\w+)\}", lambda m: samples.get(m.group(1), "x"), pattern)

    @staticmethod
    def query(role, variant):
        if variant == "sibling":
            return f"unit={SIBLING_UNIT}"
        if variant == "foreign":
            return f"unit={FOREIGN_UNIT}&province={FOREIGN_PROVINCE}"
        if role in UNIT_ROLES:
            return f"unit={DEMO_UNIT}"
        if role == "province_supervisor":
            return f"province={DEMO_PROVINCE}"
        return ""

    @staticmethod
    def expect(role, permission, variant):
        if permission == "public":
            return True
        if role is None:
            return False
        if permission == "self":
            return True
        scope = EXPECTED[permission].get(role)
        if scope is None:
            return False
        if variant == "home":
            return True
        if variant == "sibling":
            return scope in ("province", "national")
        return scope == "national"

    def test_every_route_names_a_known_permission_and_the_table_matches(self):
        status, _, doc = self.call("GET", "/api/v1/access/routes")
        self.assertEqual(status, 200)
        for r in doc["routes"]:
            self.assertIn(r["permission"], EXPECTED, f"no expectation for {r}: add it to EXPECTED")
        served = {p["name"]: p["grants"] for p in doc["permissions"]}
        self.assertEqual(set(served), set(EXPECTED))
        for name, grants in EXPECTED.items():
            self.assertEqual(served[name], grants, name)

    def test_every_route_for_every_role_inside_and_outside_jurisdiction(self):
        _, _, doc = self.call("GET", "/api/v1/access/routes")
        routes = doc["routes"]
        self.assertGreater(len(routes), 10)
        failures = []
        checked = 0
        for role in [None] + ROLES:
            for r in routes:
                for variant in ("home", "sibling", "foreign"):
                    path = self.fill(r["pattern"], variant)
                    q = self.query(role, variant)
                    target = path + ("?" + q if q else "")
                    headers = self.as_role(role) if role else {}
                    # Writes get a malformed body: an allowed caller gets 400 and
                    # nothing changes (other suites share the PostgreSQL database).
                    data = None if r["method"] in ("GET", "HEAD", "DELETE") else "{"
                    h = dict(headers)
                    if data is not None:
                        h.update(JSON)
                    status, _, raw = self.server.request(r["method"], target, data, h)
                    allowed = status not in (401, 403)
                    want = self.expect(role, r["permission"], variant)
                    checked += 1
                    if allowed != want:
                        failures.append(f"{role or 'anonymous'} {r['method']} {target} "
                                        f"({r['permission']}, {variant}): got {status}, "
                                        f"expected {'allow' if want else 'deny'}: {raw[:200]!r}")
                    if r["pattern"] == "/api/v1/auth/logout" and role and status == 204:
                        self.server.token(role, fresh=True)
                    if role is None and not want:
                        self.assertEqual(status, 401, target)
        self.assertFalse(failures, "\n".join(failures[:40]))
        self.assertGreater(checked, 300)

    def test_national_viewer_gets_no_personal_field_anywhere(self):
        # A citizen exists whose data a careless route could leak.
        self.create_user({"kind": "citizen", "id_number": "07920" + RUN, "display_name": "Trần Thị B",
                          "phone": "0987654321", "email": "b@example.vn",
                          "password": "citizen-password-1"})
        _, _, doc = self.call("GET", "/api/v1/access/routes")
        seen = 0
        for r in doc["routes"]:
            # The OpenAPI document names fields (schemas), it holds no one's data.
            if r["method"] != "GET" or r["pattern"] == "/api/v1/openapi.json":
                continue
            for variant in ("home", "sibling", "foreign"):
                path = self.fill(r["pattern"], variant)
                for q in ("", f"?unit={DEMO_UNIT}", f"?province={DEMO_PROVINCE}"):
                    status, _, out = self.call("GET", path + q, headers=self.as_role("national_viewer"))
                    if status != 200 or out is None:
                        continue
                    seen += 1
                    leaks = []

                    def walk(v, where):
                        if isinstance(v, dict):
                            for k, x in v.items():
                                if k in PERSONAL_KEYS:
                                    leaks.append(f"{where}.{k}")
                                walk(x, f"{where}.{k}")
                        elif isinstance(v, list):
                            for i, x in enumerate(v):
                                walk(x, f"{where}[{i}]")
                    walk(out, path + q)
                    self.assertFalse(leaks, leaks)
        self.assertGreater(seen, 3)
        status, _, _ = self.call("GET", "/api/v1/users?kind=citizen", headers=self.as_role("national_viewer"))
        self.assertEqual(status, 403)


class LoginAndSessions(AccountsBase):
    def test_a_sign_in_is_a_small_body(self):
        # Anyone may send one: a body of a megabyte a connection is not held for it.
        acc = self.server.demo_accounts["leader"]
        body = json.dumps({"username": acc["username"], "password": acc["password"],
                           "padding": "x" * (20 << 10)})
        status, headers, raw = self.server.request("POST", "/api/v1/auth/login", body,
                                                   {"Content-Type": "application/json"})
        doc = self.assertProblem(status, headers, raw, 413)
        self.assertIn("16384 bytes", doc["detail"])
        status, _, doc = self.server.login(acc["username"], acc["password"])
        self.assertEqual(status, 200, doc)

    def test_sign_ins_to_one_account_at_once_all_pass(self):
        # A browser and a phone, or a page's parallel requests: the right
        # password is not refused as "too many wrong passwords".
        acc = self.server.demo_accounts["specialist"]
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: self.server.login(acc["username"], acc["password"]),
                                    range(4)))
        self.assertEqual([a[0] for a in answers], [200] * 4, [a[2] for a in answers])

    def test_a_sign_in_is_sent_as_json(self):
        # A cross-site form can post text/plain without the browser asking
        # first: taken, it would sign the victim into the attacker's account.
        account = self.server.demo_accounts["citizen"]
        doc = body({"username": account["username"], "password": account["password"], "session": "cookie"})
        for ctype in ("text/plain", "application/x-www-form-urlencoded", None):
            status, headers, raw = self.server.request("POST", "/api/v1/auth/login", doc,
                                                       {"Content-Type": ctype} if ctype else {})
            problem = self.assertProblem(status, headers, raw, 415, param="Content-Type")
            self.assertIn("application/json", problem["detail"])
            self.assertNotIn("set-cookie", headers)
        status, headers, _ = self.server.request("POST", "/api/v1/auth/login", doc,
                                                 {"Content-Type": "Application/JSON; charset=utf-8"})
        self.assertEqual(status, 200)

    def test_guessing_the_current_password_is_throttled_like_a_sign_in(self):
        name = "guessed.one." + RUN
        self.create_user({"kind": "staff", "username": name, "display_name": "G",
                          "roles": ["specialist"], "unit_code": DEMO_UNIT, "password": "right-password-1"})
        h = {"Authorization": "Bearer " + self.server.login(name, "right-password-1")[2]["token"]}
        statuses = []
        for i in range(7):
            status, headers, doc = self.call("POST", "/api/v1/auth/password",
                                             {"current_password": f"guess-{i}-password",
                                              "new_password": "taken-over-pass-1"}, h)
            statuses.append(status)
        self.assertEqual(statuses[:4], [403] * 4)
        self.assertEqual(statuses[-1], 429, statuses)
        self.assertIn("retry-after", headers)
        # The right one is refused too while the account is held back.
        status, _, _ = self.call("POST", "/api/v1/auth/password",
                                 {"current_password": "right-password-1", "new_password": "taken-over-pass-1"}, h)
        self.assertEqual(status, 429)
        # And so is a sign-in: the guesses counted against the account.
        self.assertEqual(self.server.login(name, "right-password-1")[0], 429)

    def test_login_me_logout_with_a_bearer_token(self):
        acc = self.server.demo_accounts["leader"]
        status, headers, doc = self.server.login(acc["username"], acc["password"])
        self.assertEqual(status, 200, doc)
        self.assertEqual(headers.get("cache-control"), "no-store")
        self.assertNotIn("set-cookie", headers)
        token = doc["token"]
        self.assertGreaterEqual(len(token), 43)
        auth = {"Authorization": "Bearer " + token}
        status, _, me = self.call("GET", "/api/v1/auth/me", headers=auth)
        self.assertEqual(status, 200, me)
        self.assertEqual(me["user"]["username"], "demo.leader")
        self.assertEqual(me["user"]["unit_code"], DEMO_UNIT)
        self.assertEqual(me["user"]["province_code"], DEMO_PROVINCE)
        self.assertEqual(me["permissions"]["dossier.approve"], "unit")
        self.assertNotIn("users.admin", me["permissions"])
        status, _, _ = self.call("POST", "/api/v1/auth/logout", headers=auth)
        self.assertEqual(status, 204)
        status, headers, doc = self.call("GET", "/api/v1/auth/me", headers=auth)
        self.assertProblem(status, headers, doc, 401)
        self.assertIn("Bearer", headers.get("www-authenticate", ""))

    def test_the_token_is_never_written_to_the_logs(self):
        acc = self.server.demo_accounts["specialist"]
        _, _, doc = self.server.login(acc["username"], acc["password"])
        self.call("GET", "/api/v1/auth/me?probe=1", headers={"Authorization": "Bearer " + doc["token"]})
        with open(self.server.log.name, encoding="utf-8") as f:
            access_log = f.read()
        self.assertNotIn(doc["token"], access_log)
        self.assertNotIn(acc["password"], access_log)
        self.assertNotIn(acc["password"], "".join(self.server.stderr_lines[-5:]))

    def test_wrong_password_and_unknown_account_get_the_same_401(self):
        acc = self.server.demo_accounts["specialist"]
        s1, h1, wrong = self.server.login(acc["username"], "not-the-password")
        s2, h2, unknown = self.server.login("no.such.user", "not-the-password")
        self.assertProblem(s1, h1, wrong, 401)
        self.assertProblem(s2, h2, unknown, 401)
        for key in ("type", "title", "detail", "detail_vi"):
            self.assertEqual(wrong[key], unknown[key])

    def test_missing_fields_and_bad_json_are_400(self):
        status, headers, doc = self.call("POST", "/api/v1/auth/login", {"username": "x"})
        self.assertProblem(status, headers, doc, 400, param="password")
        status, headers, raw = self.server.request("POST", "/api/v1/auth/login", "{not json", JSON)
        self.assertEqual(status, 400)

    def test_throttling_per_account_gives_429_with_retry_after(self):
        name = "throttle.target." + RUN
        for _ in range(5):
            status, _, _ = self.server.login(name, "wrong-password")
            self.assertEqual(status, 401)
        status, headers, doc = self.server.login(name, "wrong-password")
        self.assertProblem(status, headers, doc, 429)
        self.assertGreaterEqual(int(headers["retry-after"]), 1)
        self.assertIn("Try again in", doc["detail"])
        # Another account from the same address is not locked out by it.
        acc = self.server.demo_accounts["postal_agent"]
        status, _, _ = self.server.login(acc["username"], acc["password"])
        self.assertEqual(status, 200)

    def test_a_throttled_real_account_is_refused_even_with_the_right_password(self):
        doc = self.create_user({"kind": "staff", "username": "victim.one." + RUN, "display_name": "V",
                                "roles": ["specialist"], "unit_code": DEMO_UNIT,
                                "password": "right-password-1"})
        for _ in range(5):
            self.assertEqual(self.server.login("victim.one." + RUN, "guess-password")[0], 401)
        status, headers, _ = self.server.login("victim.one." + RUN, "right-password-1")
        self.assertEqual(status, 429)
        self.assertIn("retry-after", headers)
        self.assertTrue(doc["id"])

    def test_cookie_sessions_need_the_csrf_token_to_change_anything(self):
        acc = self.server.demo_accounts["receiving_officer"]
        status, headers, doc = self.server.login(acc["username"], acc["password"], session="cookie")
        self.assertEqual(status, 200, doc)
        self.assertNotIn("token", doc)
        c = self.server.conn()
        c.request("POST", "/api/v1/auth/login",
                  body=body({"username": acc["username"], "password": acc["password"], "session": "cookie"}),
                  headers=JSON)
        r = c.getresponse()
        r.read()
        cookies = r.msg.get_all("Set-Cookie")
        c.close()
        session_cookie = next(x for x in cookies if x.startswith("motcua_session="))
        self.assertIn("HttpOnly", session_cookie)
        self.assertIn("SameSite=Strict", session_cookie)
        csrf_cookie = next(x for x in cookies if x.startswith("motcua_csrf="))
        self.assertNotIn("HttpOnly", csrf_cookie)
        jar = "; ".join(x.split(";")[0] for x in cookies)
        csrf = csrf_cookie.split(";")[0].split("=", 1)[1]
        status, _, me = self.call("GET", "/api/v1/auth/me", headers={"Cookie": jar})
        self.assertEqual(status, 200, me)
        self.assertEqual(me["csrf_token"], csrf)
        status, headers, doc = self.call("POST", "/api/v1/auth/logout", headers={"Cookie": jar})
        self.assertProblem(status, headers, doc, 403, param="X-CSRF-Token")
        status, headers, doc = self.call("POST", "/api/v1/auth/logout",
                                         headers={"Cookie": jar, "X-CSRF-Token": "forged"})
        self.assertProblem(status, headers, doc, 403)
        self.assertEqual(self.call("GET", "/api/v1/auth/me", headers={"Cookie": jar})[0], 200)
        status, _, _ = self.call("POST", "/api/v1/auth/logout",
                                 headers={"Cookie": jar, "X-CSRF-Token": csrf})
        self.assertEqual(status, 204)
        self.assertEqual(self.call("GET", "/api/v1/auth/me", headers={"Cookie": jar})[0], 401)

    def test_security_headers_on_every_response(self):
        for path in ("/api/v1/auth/me", "/healthz", "/api/v1/nothing-here", "/api/v1/units/00004"):
            _, headers, _ = self.server.request("GET", path)
            self.assertIn("frame-ancestors 'none'", headers.get("content-security-policy", ""), path)
            self.assertEqual(headers.get("x-content-type-options"), "nosniff", path)
            self.assertEqual(headers.get("referrer-policy"), "no-referrer", path)
            self.assertNotIn("strict-transport-security", headers, path)
        _, headers, _ = self.server.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
        self.assertIn("max-age=", headers.get("strict-transport-security", ""))

    def test_password_change_revokes_the_other_sessions(self):
        self.create_user({"kind": "staff", "username": "changer.one." + RUN, "display_name": "C",
                          "roles": ["leader"], "unit_code": DEMO_UNIT, "password": "first-password-1"})
        a = {"Authorization": "Bearer " + self.server.login("changer.one." + RUN, "first-password-1")[2]["token"]}
        b = {"Authorization": "Bearer " + self.server.login("changer.one." + RUN, "first-password-1")[2]["token"]}
        status, headers, doc = self.call("POST", "/api/v1/auth/password",
                                         {"current_password": "wrong-password", "new_password": "second-password-2"},
                                         a)
        self.assertProblem(status, headers, doc, 403)
        status, headers, doc = self.call("POST", "/api/v1/auth/password",
                                         {"current_password": "first-password-1", "new_password": "short"}, a)
        self.assertProblem(status, headers, doc, 400, param="new_password")
        status, _, _ = self.call("POST", "/api/v1/auth/password",
                                 {"current_password": "first-password-1", "new_password": "second-password-2"}, a)
        self.assertEqual(status, 204)
        self.assertEqual(self.call("GET", "/api/v1/auth/me", headers=a)[0], 200)
        self.assertEqual(self.call("GET", "/api/v1/auth/me", headers=b)[0], 401)
        self.assertEqual(self.server.login("changer.one." + RUN, "first-password-1")[0], 401)
        self.assertEqual(self.server.login("changer.one." + RUN, "second-password-2")[0], 200)
        # A password is hashed, not kept as text: control characters may stand in it, while
        # a name with one is refused.
        odd = "third\tpass\x01word-3"
        status, _, _ = self.call("POST", "/api/v1/auth/password",
                                 {"current_password": "second-password-2", "new_password": odd}, a)
        self.assertEqual(status, 204)
        self.assertEqual(self.server.login("changer.one." + RUN, odd)[0], 200)
        status, headers, doc = self.call("POST", "/api/v1/users",
                                         {"kind": "staff", "username": "changer.two." + RUN,
                                          "display_name": "C\x00D", "roles": ["leader"],
                                          "unit_code": DEMO_UNIT, "password": "first-password-1"},
                                         self.as_role("system_admin"))
        self.assertProblem(status, headers, doc, 400, param="display_name")

    def test_a_name_typed_decomposed_is_kept_composed(self):
        name = "Trần Thị Hoà"
        nfd = unicodedata.normalize("NFD", name)
        self.assertNotEqual(nfd, name)
        u = self.create_user({"kind": "staff", "username": "composed.one." + RUN, "display_name": nfd,
                              "roles": ["specialist"], "unit_code": DEMO_UNIT, "password": "first-password-1"})
        self.assertEqual(u["display_name"], name)
        status, _, got = self.call("GET", f"/api/v1/users/{u['id']}", headers=self.as_role("system_admin"))
        self.assertEqual(status, 200, got)
        self.assertEqual(got["display_name"], name)

    def test_admin_reset_revocation_and_disabling(self):
        u = self.create_user({"kind": "staff", "username": "reset.one." + RUN, "display_name": "R",
                              "roles": ["specialist"], "unit_code": DEMO_UNIT, "password": "first-password-1"})
        tok = {"Authorization": "Bearer " + self.server.login("reset.one." + RUN, "first-password-1")[2]["token"]}
        admin = self.as_role("unit_admin")
        status, _, doc = self.call("POST", f"/api/v1/users/{u['id']}/password", {"password": "reset-password-2"}, admin)
        self.assertEqual(status, 204, doc)
        self.assertEqual(self.call("GET", "/api/v1/auth/me", headers=tok)[0], 401)
        tok = {"Authorization": "Bearer " + self.server.login("reset.one." + RUN, "reset-password-2")[2]["token"]}
        status, _, doc = self.call("DELETE", f"/api/v1/users/{u['id']}/sessions", headers=admin)
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["revoked"], 1)
        self.assertEqual(self.call("GET", "/api/v1/auth/me", headers=tok)[0], 401)
        tok = {"Authorization": "Bearer " + self.server.login("reset.one." + RUN, "reset-password-2")[2]["token"]}
        status, _, doc = self.call("PATCH", f"/api/v1/users/{u['id']}", {"active": False}, admin)
        self.assertEqual(status, 200, doc)
        self.assertFalse(doc["active"])
        self.assertEqual(self.call("GET", "/api/v1/auth/me", headers=tok)[0], 401)
        self.assertEqual(self.server.login("reset.one." + RUN, "reset-password-2")[0], 401)


class AccountJurisdiction(AccountsBase):
    def test_a_unit_admin_manages_only_their_unit(self):
        ua = self.as_role("unit_admin")
        status, _, doc = self.call("POST", "/api/v1/users",
                                   {"kind": "staff", "username": "own.clerk." + RUN, "display_name": "O",
                                    "roles": ["receiving_officer"], "unit_code": DEMO_UNIT,
                                    "password": "clerk-password-1"}, ua)
        self.assertEqual(status, 201, doc)
        status, headers, doc = self.call("POST", "/api/v1/users",
                                         {"kind": "staff", "username": "other.clerk." + RUN, "display_name": "O",
                                          "roles": ["receiving_officer"], "unit_code": SIBLING_UNIT,
                                          "password": "clerk-password-1"}, ua)
        self.assertProblem(status, headers, doc, 403)
        status, headers, doc = self.call("POST", "/api/v1/users",
                                         {"kind": "staff", "username": "my.boss." + RUN, "display_name": "B",
                                          "roles": ["system_admin"], "password": "boss-password-1"}, ua)
        self.assertProblem(status, headers, doc, 403)
        status, _, doc = self.call("GET", "/api/v1/users", headers=ua)
        self.assertEqual(status, 200)
        self.assertTrue(doc["items"])
        self.assertEqual({u["unit_code"] for u in doc["items"]}, {DEMO_UNIT})
        self.assertEqual(self.call("GET", f"/api/v1/users?unit={SIBLING_UNIT}", headers=ua)[0], 403)
        other = self.create_user({"kind": "staff", "username": "far.clerk." + RUN, "display_name": "F",
                                  "roles": ["specialist"], "unit_code": FOREIGN_UNIT,
                                  "password": "clerk-password-1"})
        self.assertEqual(self.call("GET", f"/api/v1/users/{other['id']}", headers=ua)[0], 403)
        self.assertEqual(self.call("PATCH", f"/api/v1/users/{other['id']}", {"active": False}, ua)[0], 403)
        sa = self.as_role("system_admin")
        me = self.call("GET", "/api/v1/auth/me", headers=sa)[2]["user"]["id"]
        self.assertEqual(self.call("POST", f"/api/v1/users/{me}/password", {"password": "taken-over-1"}, ua)[0], 403)

    def test_an_account_placed_at_a_unit_is_as_far_reaching_as_its_widest_role(self):
        # A system administrator or a province supervisor whose account names
        # the commune is not the commune's administrator's to manage: a reset
        # of their password would let the unit admin sign in as them.
        ua = self.as_role("unit_admin")
        for role in ("system_admin", "province_supervisor"):
            name = f"placed.{role}.{RUN}"
            placed = self.create_user({"kind": "staff", "username": name, "display_name": "P",
                                       "roles": [role], "unit_code": DEMO_UNIT,
                                       "password": "placed-password-1"})
            for method, path, doc in (("POST", f"/api/v1/users/{placed['id']}/password",
                                       {"password": "taken-over-12"}),
                                      ("PATCH", f"/api/v1/users/{placed['id']}", {"active": False}),
                                      ("PATCH", f"/api/v1/users/{placed['id']}", {"email": "x@example.vn"}),
                                      ("DELETE", f"/api/v1/users/{placed['id']}/sessions", None),
                                      ("GET", f"/api/v1/users/{placed['id']}", None)):
                status, headers, out = self.call(method, path, doc, ua)
                self.assertProblem(status, headers, out, 403)
            # Unchanged: the old password still signs in, the new one does not.
            self.assertEqual(self.server.login(name, "taken-over-12")[0], 401, role)
            self.assertEqual(self.server.login(name, "placed-password-1")[0], 200, role)
            status, _, doc = self.call("GET", f"/api/v1/users/{placed['id']}", headers=self.as_role("system_admin"))
            self.assertTrue(doc["active"], role)
        # Nor are they in the unit admin's list of the unit, which reads on
        # past them to fill its pages.
        names, cursor = [], None
        while True:
            status, _, page = self.call("GET", "/api/v1/users?limit=2" + (f"&cursor={cursor}" if cursor else ""),
                                        headers=ua)
            self.assertEqual(status, 200, page)
            names += [u["username"] for u in page["items"]]
            cursor = page.get("next_cursor")
            if not cursor:
                break
        self.assertFalse([n for n in names if n.startswith("placed.")], names)
        self.assertIn(self.server.demo_accounts["leader"]["username"], names)
        # The unit's own staff stay the unit admin's to manage.
        clerk = self.create_user({"kind": "staff", "username": "placed.clerk." + RUN, "display_name": "C",
                                  "roles": ["receiving_officer"], "unit_code": DEMO_UNIT,
                                  "password": "clerk-password-1"})
        self.assertEqual(self.call("POST", f"/api/v1/users/{clerk['id']}/password",
                                   {"password": "new-clerk-pass-1"}, ua)[0], 204)

    def test_an_administrator_does_not_change_their_own_roles_or_unit(self):
        # An administrator does not read dossiers; made a leader by their own
        # hand, they would. Another administrator decides.
        for role in ("unit_admin", "system_admin"):
            h = self.as_role(role)
            me = self.call("GET", "/api/v1/auth/me", headers=h)[2]["user"]
            for change, param in (({"roles": [role, "leader"]}, "roles"),
                                  ({"unit_code": SIBLING_UNIT}, "unit_code")):
                status, headers, doc = self.call("PATCH", f"/api/v1/users/{me['id']}", change, h)
                self.assertProblem(status, headers, doc, 403, param=param)
                self.assertIn("another administrator", doc["detail"])
            # Nor reset their own password, which asks for no current one.
            status, headers, doc = self.call("POST", f"/api/v1/users/{me['id']}/password",
                                             {"password": "taken-over-pass-9"}, h)
            self.assertProblem(status, headers, doc, 403, param="id")
            account = self.server.demo_accounts[role]
            self.assertEqual(self.server.login(account["username"], account["password"])[0], 200)
            after = self.call("GET", "/api/v1/auth/me", headers=h)[2]["user"]
            self.assertEqual((after["roles"], after.get("unit_code")), (me["roles"], me.get("unit_code")))
            self.assertEqual(self.call("GET", "/api/v1/inbox", headers=h)[0], 403, role)
        # Their own name and contact stay theirs to mend.
        h = self.as_role("unit_admin")
        me = self.call("GET", "/api/v1/auth/me", headers=h)[2]["user"]
        status, _, doc = self.call("PATCH", f"/api/v1/users/{me['id']}", {"phone": "0911111111"}, h)
        self.assertEqual(status, 200, doc)

    def test_an_empty_unit_parameter_is_not_every_unit(self):
        # The specialists a leader may assign to: an empty unit= is the leader's
        # own unit, never the list of every unit's specialists.
        far = self.create_user({"kind": "staff", "username": "far.specialist." + RUN, "display_name": "Far S",
                                "roles": ["specialist"], "unit_code": FOREIGN_UNIT,
                                "password": "clerk-password-1"})
        leader = self.as_role("leader")
        status, _, doc = self.call("GET", "/api/v1/specialists?unit=", headers=leader)
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["unit"], DEMO_UNIT)
        self.assertNotIn(far["id"], {u["id"] for u in doc["items"]})
        self.assertTrue(doc["items"])
        status, headers, out = self.call("GET", f"/api/v1/specialists?unit={FOREIGN_UNIT}", headers=leader)
        self.assertProblem(status, headers, out, 403)

    def test_bad_input_is_400_naming_the_field(self):
        sa = self.as_role("system_admin")
        cases = [({"kind": "citizen", "id_number": "123", "display_name": "X", "phone": "0912345678",
                   "password": "long-enough-1"}, "id_number"),
                 ({"kind": "citizen", "id_number": "001234567890", "display_name": "X",
                   "password": "long-enough-1"}, "phone"),
                 ({"kind": "staff", "username": "Bad Name!", "display_name": "X", "roles": ["leader"],
                   "unit_code": DEMO_UNIT, "password": "long-enough-1"}, "username"),
                 ({"kind": "staff", "username": "no.unit", "display_name": "X", "roles": ["leader"],
                   "password": "long-enough-1"}, "unit_code"),
                 ({"kind": "staff", "username": "bad.role", "display_name": "X", "roles": ["king"],
                   "unit_code": DEMO_UNIT, "password": "long-enough-1"}, "roles"),
                 ({"kind": "staff", "username": "short.pw", "display_name": "X", "roles": ["leader"],
                   "unit_code": DEMO_UNIT, "password": "short"}, "password"),
                 ({"kind": "staff", "username": "blank.name", "display_name": "\u3000 \u200b",
                   "roles": ["leader"], "unit_code": DEMO_UNIT, "password": "long-enough-1"},
                  "display_name")]
        for doc, param in cases:
            status, headers, out = self.call("POST", "/api/v1/users", doc, sa)
            self.assertProblem(status, headers, out, 400, param=param)
        status, _, doc = self.call("GET", "/api/v1/users?limit=500", headers=sa)
        names = {u["username"] for u in doc["items"]}
        self.assertFalse(names & {"no.unit", "bad.role", "short.pw", "blank.name"})
        dup = {"kind": "staff", "username": "dup.one." + RUN, "display_name": "D", "roles": ["leader"],
               "unit_code": DEMO_UNIT, "password": "long-enough-1"}
        self.create_user(dup)
        status, headers, out = self.call("POST", "/api/v1/users", dup, sa)
        self.assertProblem(status, headers, out, 409)

    def test_a_province_not_the_units_is_422_and_creates_nothing(self):
        # The account was made with the unit's province in place of the one
        # given, without a word.
        sa = self.as_role("system_admin")
        name = "wrong.province." + RUN
        doc = {"kind": "staff", "username": name, "display_name": "W", "roles": ["leader"],
               "unit_code": DEMO_UNIT, "province_code": FOREIGN_PROVINCE, "password": "long-enough-1"}
        status, headers, out = self.call("POST", "/api/v1/users", doc, sa)
        problem = self.assertProblem(status, headers, out, 422, param="province_code")
        self.assertIn(f"belongs to province {DEMO_PROVINCE}, not {FOREIGN_PROVINCE}", problem["detail"])
        self.assertIn(f"thuộc tỉnh {DEMO_PROVINCE}, không phải {FOREIGN_PROVINCE}", problem["detail_vi"])
        self.assertEqual(self.server.login(name, "long-enough-1")[0], 401)
        # The unit's own province, or none, is taken.
        doc["province_code"] = DEMO_PROVINCE
        self.assertEqual(self.create_user(doc)["province_code"], DEMO_PROVINCE)

    def test_a_role_named_twice_is_400_naming_roles_and_changes_nothing(self):
        sa = self.as_role("system_admin")
        name = "twice.leader." + RUN
        doc = {"kind": "staff", "username": name, "display_name": "T", "roles": ["leader", "leader"],
               "unit_code": DEMO_UNIT, "password": "long-enough-1"}
        status, headers, out = self.call("POST", "/api/v1/users", doc, sa)
        problem = self.assertProblem(status, headers, out, 400, param="roles")
        self.assertIn("leader", problem["detail"])
        self.assertIn("leader", problem["detail_vi"])
        # Also when the copies are apart, and when the unit admin asks.
        doc["roles"] = ["leader", "specialist", "leader"]
        status, headers, out = self.call("POST", "/api/v1/users", doc, self.as_role("unit_admin"))
        self.assertProblem(status, headers, out, 400, param="roles")
        status, _, listed = self.call("GET", f"/api/v1/users?unit={DEMO_UNIT}&limit=500", headers=sa)
        self.assertEqual(status, 200, listed)
        self.assertNotIn(name, {u["username"] for u in listed["items"]})
        self.assertEqual(self.server.login(name, "long-enough-1")[0], 401)

        user = self.create_user({"kind": "staff", "username": "once.leader." + RUN, "display_name": "O",
                                 "roles": ["leader"], "unit_code": DEMO_UNIT,
                                 "password": "long-enough-1"})
        _, _, before = self.call("GET", f"/api/v1/users/{user['id']}", headers=sa)
        for roles, who in ((["leader", "leader"], "system_admin"),
                           (["specialist", "specialist"], "system_admin"),
                           (["specialist", "leader", "specialist"], "unit_admin")):
            status, headers, out = self.call("PATCH", f"/api/v1/users/{user['id']}",
                                             {"roles": roles, "display_name": "Changed"},
                                             self.as_role(who))
            self.assertProblem(status, headers, out, 400, param="roles")
            status, _, now = self.call("GET", f"/api/v1/users/{user['id']}", headers=sa)
            self.assertEqual(status, 200, now)
            self.assertEqual(now, before, roles)
        self.assertEqual(before["roles"], ["leader"])
        # Each role once is still fine.
        status, _, out = self.call("PATCH", f"/api/v1/users/{user['id']}",
                                   {"roles": ["leader", "specialist"]}, sa)
        self.assertEqual(status, 200, out)
        self.assertEqual(out["roles"], ["leader", "specialist"])


class NationalCatalog(AccountsBase):
    """The catalog is one national list: a procedure has no province, so an
    edit, a retirement or an import changes it for every province. Only the
    system admin writes it; a province supervisor, of any province, gets 403."""

    def procedure(self, code):
        status, _, doc = self.call("GET", "/api/v1/procedures/" + code)
        self.assertEqual(status, 200, doc)
        return doc

    def bundles(self):
        status, _, doc = self.call("GET", "/api/v1/bundles")
        self.assertEqual(status, 200, doc)
        return doc

    def supervisors(self):
        """The demo supervisor (province 01) and one of province 79 (Hồ Chí Minh City)."""
        name = f"sup79.{RUN}"
        self.create_user({"kind": "staff", "username": name, "display_name": "Giám sát 79",
                          "roles": ["province_supervisor"], "province_code": FOREIGN_PROVINCE,
                          "password": "supervisor-pass-1"})
        status, _, doc = self.server.login(name, "supervisor-pass-1")
        self.assertEqual(status, 200, doc)
        self.assertNotIn("catalog.admin", doc.get("permissions", {}))
        return {"01": self.as_role("province_supervisor"),
                "79": {"Authorization": "Bearer " + doc["token"]}}

    def test_a_province_supervisor_writes_nothing_in_the_catalog(self):
        sa = self.as_role("system_admin")
        # A procedure of this run's own, so the admin's edits below touch no other suite's.
        code = "L.7%05d" % (int(RUN) % 100000)
        fresh = {"code": code, "name": "Thủ tục thử quyền sửa danh mục " + RUN, "field": "Thử",
                 "competent_level": "commune", "online_level": "none",
                 "channels": [{"channel": "counter", "time_amount": 5, "time_unit": "working_days",
                               "fee_vnd": 0}],
                 "components": [{"name": "Đơn đề nghị", "copy_kind": "original"}]}
        status, _, out = self.call("POST", "/api/v1/procedures", fresh, sa)
        self.assertEqual(status, 201, out)
        codes = ("1.000656", "1.013703", code)
        before = {c: self.procedure(c) for c in codes}
        bundles = self.bundles()
        new_code = "L.6%05d" % (int(RUN) % 100000)
        for province, auth in self.supervisors().items():
            status, _, me = self.call("GET", "/api/v1/auth/me", headers=auth)
            self.assertNotIn("catalog.admin", me["permissions"], province)
            for c in codes:
                edited = json.loads(json.dumps(before[c]))
                edited["name"] = before[c]["name"] + " (sửa bởi tỉnh " + province + ")"
                attempts = [("PUT", f"/api/v1/procedures/{c}", edited,
                             {"If-Match": '"%d"' % before[c]["version"]}),
                            ("PUT", f"/api/v1/procedures/{c}?province={province}", edited, {}),
                            ("POST", f"/api/v1/procedures/{c}/retire", None, {}),
                            ("POST", f"/api/v1/procedures/{c}/retire?province={province}", None, {}),
                            ("DELETE", f"/api/v1/procedures/{c}", None, {})]
                for method, path, doc, extra in attempts:
                    status, headers, out = self.call(method, path, doc, {**auth, **extra})
                    self.assertProblem(status, headers, out, 403)
            added = dict(fresh, code=new_code, name="Thủ tục nhập bởi tỉnh " + province)
            changed = dict(before[code], name=before[code]["name"] + " (nhập bởi tỉnh)")
            for path in ("/api/v1/procedures/import", f"/api/v1/procedures/import?province={province}"):
                status, headers, out = self.call("POST", path, {"procedures": [changed, added]}, auth)
                self.assertProblem(status, headers, out, 403)
            status, headers, out = self.call("POST", "/api/v1/procedures", added, auth)
            self.assertProblem(status, headers, out, 403)
            status, headers, out = self.call("GET", "/api/v1/procedures/export", headers=auth)
            self.assertProblem(status, headers, out, 403)
        # Nothing changed: same versions, nothing retired, the bundles whole, nothing added.
        for c in codes:
            after = self.procedure(c)
            self.assertEqual(after, before[c], c)
            self.assertEqual(after["version"], before[c]["version"], c)
            self.assertFalse(after.get("retired"), c)
        self.assertEqual(self.bundles(), bundles)
        self.assertEqual(self.call("GET", "/api/v1/procedures/" + new_code)[0], 404)
        # The system admin still edits and retires.
        edited = dict(before[code], name=before[code]["name"] + " (sửa)")
        status, _, out = self.call("PUT", f"/api/v1/procedures/{code}", edited,
                                   {**sa, "If-Match": '"%d"' % before[code]["version"]})
        self.assertEqual(status, 200, out)
        self.assertEqual(out["version"], before[code]["version"] + 1)
        status, _, out = self.call("POST", f"/api/v1/procedures/{code}/retire", None, sa)
        self.assertEqual(status, 200, out)
        self.assertTrue(self.procedure(code)["retired"])


class PersonalDataLog(AccountsBase):
    def test_every_view_of_a_citizen_is_logged_and_an_admin_can_query_it(self):
        sa = self.as_role("system_admin")
        citizen = self.create_user({"kind": "citizen", "id_number": "00120" + RUN, "display_name": "Lê Văn C",
                                    "email": "c@example.vn", "password": "citizen-password-1"})
        status, headers, doc = self.call("GET", f"/api/v1/users/{citizen['id']}", headers=sa)
        self.assertEqual(status, 200)
        self.assertEqual(doc["id_number"], "00120" + RUN)
        read_request = headers["x-request-id"]
        status, headers, doc = self.call("GET", "/api/v1/users?kind=citizen", headers=sa)
        self.assertEqual(status, 200)
        list_request = headers["x-request-id"]
        # The citizen looking at their own account is not someone else's view.
        tok = self.server.login("00120" + RUN, "citizen-password-1")[2]["token"]
        self.assertEqual(self.call("GET", "/api/v1/auth/me", headers={"Authorization": "Bearer " + tok})[0], 200)

        status, _, log = self.call("GET", "/api/v1/audit/personal-data-views?subject_id=00120" + RUN, headers=sa)
        self.assertEqual(status, 200, log)
        rows = log["items"]
        self.assertEqual(len(rows), 2, rows)
        by_action = {r["action"]: r for r in rows}
        self.assertEqual(by_action["read"]["request_id"], read_request)
        self.assertEqual(by_action["read"]["route"], "GET /api/v1/users/{id}")
        self.assertEqual(by_action["list"]["request_id"], list_request)
        for r in rows:
            self.assertEqual(r["viewer"]["username"], "demo.system_admin")
            self.assertEqual(r["viewer"]["roles"], ["system_admin"])
            self.assertEqual(r["subject_kind"], "citizen")
            self.assertRegex(r["viewed_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
        # A change answered with the person's fields is a view too.
        status, headers, doc = self.call("PATCH", f"/api/v1/users/{citizen['id']}",
                                         {"phone": "0912345678"}, sa)
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["phone"], "0912345678")
        update_request = headers["x-request-id"]
        status, _, log = self.call("GET", "/api/v1/audit/personal-data-views?subject_id=00120" + RUN, headers=sa)
        updates = [r for r in log["items"] if r["action"] == "update"]
        self.assertEqual([r["request_id"] for r in updates], [update_request], log["items"])
        self.assertEqual(updates[0]["route"], "PATCH /api/v1/users/{id}")
        status, headers, doc = self.call("GET", "/api/v1/users?kind=citizen", headers=sa)
        list_request = headers["x-request-id"]
        # Every citizen the list showed is in the log (the demo citizen too).
        status, _, all_rows = self.call("GET", "/api/v1/audit/personal-data-views?limit=500", headers=sa)
        listed = {r["subject_id"] for r in all_rows["items"] if r["request_id"] == list_request}
        self.assertEqual(listed, {u["id_number"] for u in doc["items"]})
        # Only an administrator may read the log.
        for role in ("unit_admin", "national_viewer", "province_supervisor", "citizen"):
            self.assertEqual(self.call("GET", "/api/v1/audit/personal-data-views", headers=self.as_role(role))[0],
                             403, role)


class AccountChangeLog(AccountsBase):
    """Every administrative change of an account, and a user's own password
    change, is in /api/v1/audit/account-changes: who, whom, what (old → new),
    and the request that did it."""

    def changes(self, query):
        status, _, doc = self.call("GET", "/api/v1/audit/account-changes?" + query,
                                   headers=self.as_role("system_admin"))
        self.assertEqual(status, 200, doc)
        return doc

    def acted(self, method, path, doc, headers, expected):
        status, answer_headers, out = self.call(method, path, doc, headers)
        self.assertEqual(status, expected, out)
        return answer_headers["x-request-id"], out

    def test_each_change_is_logged_with_actor_subject_detail_and_request(self):
        sa = self.as_role("system_admin")
        admin = self.call("GET", "/api/v1/auth/me", headers=sa)[2]["user"]
        name = "audited.one." + RUN
        created, u = self.acted("POST", "/api/v1/users",
                                {"kind": "staff", "username": name, "display_name": "A",
                                 "roles": ["specialist"], "unit_code": DEMO_UNIT,
                                 "password": "first-password-1"}, sa, 201)
        path = f"/api/v1/users/{u['id']}"
        promoted, _ = self.acted("PATCH", path, {"roles": ["leader"]}, sa, 200)
        reset, _ = self.acted("POST", path + "/password", {"password": "reset-password-2"}, sa, 204)
        for _ in range(2):
            self.assertEqual(self.server.login(name, "reset-password-2")[0], 200)
        revoked, doc = self.acted("DELETE", path + "/sessions", None, sa, 200)
        self.assertEqual(doc["revoked"], 2)
        own = {"Authorization": "Bearer " + self.server.login(name, "reset-password-2")[2]["token"]}
        changed, _ = self.acted("POST", "/api/v1/auth/password",
                                {"current_password": "reset-password-2",
                                 "new_password": "own-password-3"}, own, 204)
        disabled, _ = self.acted("PATCH", path, {"active": False}, sa, 200)
        self.acted("PATCH", path, {"active": False}, sa, 200)  # changes nothing: no row

        log = self.changes(f"subject_id={u['id']}")
        rows = log["items"]
        self.assertIsNone(log["next_cursor"])
        self.assertEqual([(r["action"], r["request_id"], r["detail"]) for r in rows], [
            ("update", disabled, "active: true → false; sessions ended: 1"),
            ("password_change", changed, "password: replaced; sessions ended: 0"),
            ("sessions_revoked", revoked, "sessions ended: 2"),
            ("password_reset", reset, "password: replaced; sessions ended: 0"),
            ("update", promoted, "roles: specialist → leader"),
            ("create", created, f"kind: staff; roles: specialist; unit: {DEMO_UNIT}; province: "
                                f"{DEMO_PROVINCE}"),
        ])
        for r in rows:
            self.assertEqual(r["subject"], {"id": u["id"], "username": name})
            self.assertRegex(r["changed_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
            self.assertTrue(r["remote"])
            by_self = r["action"] == "password_change"
            self.assertEqual(r["actor"], {"id": u["id"], "username": name} if by_self
                             else {"id": admin["id"], "username": admin["username"]})
        ids = [r["id"] for r in rows]
        self.assertEqual(ids, sorted(ids, reverse=True))
        # No password, nor any hash of one.
        raw = self.server.request("GET", f"/api/v1/audit/account-changes?subject_id={u['id']}",
                                  None, sa)[2].decode()
        for secret in ("first-password-1", "reset-password-2", "own-password-3", "$argon2"):
            self.assertNotIn(secret, raw)

        # Filters: by actor, and by dates in Vietnam time (from inclusive, to exclusive).
        by_self = self.changes(f"subject_id={u['id']}&actor_id={u['id']}")["items"]
        self.assertEqual([r["request_id"] for r in by_self], [changed])
        by_admin = self.changes(f"subject_id={u['id']}&actor_id={admin['id']}")["items"]
        self.assertEqual(len(by_admin), 5)
        today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
        tomorrow = today + datetime.timedelta(days=1)
        self.assertEqual(len(self.changes(f"subject_id={u['id']}&from={today}&to={tomorrow}")["items"]), 6)
        self.assertEqual(self.changes(f"subject_id={u['id']}&to={today}")["items"], [])
        self.assertEqual(self.changes(f"subject_id={u['id']}&from={tomorrow}")["items"], [])
        # Pages of two, newest first, following the cursor.
        seen, cursor = [], ""
        while True:
            page = self.changes(f"subject_id={u['id']}&limit=2" + (f"&cursor={cursor}" if cursor else ""))
            self.assertLessEqual(len(page["items"]), 2)
            seen += [r["id"] for r in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(seen, ids)
        for bad, param in (("actor_id=x", "actor_id"), ("from=2026-13-01", "from"),
                           ("limit=0", "limit"), ("cursor=-1", "cursor")):
            status, headers, doc = self.call("GET", "/api/v1/audit/account-changes?" + bad, headers=sa)
            self.assertProblem(status, headers, doc, 400, param=param)

    def test_only_a_system_administrator_reads_it(self):
        for role in ("unit_admin", "citizen", "national_viewer", "province_supervisor"):
            status, _, _ = self.call("GET", "/api/v1/audit/account-changes", headers=self.as_role(role))
            self.assertEqual(status, 403, role)
        self.assertEqual(self.call("GET", "/api/v1/audit/account-changes")[0], 401)


class RequestIdsInTheLogs(AccountsBase):
    def logged(self, request_ids):
        """The access log's entries of these request ids (written by a
        background thread: polled briefly)."""
        for _ in range(50):
            entries = [e for e in self.server.access_log() if e.get("request_id") in request_ids]
            if len(entries) == len(request_ids):
                return entries
            time.sleep(0.1)
        return entries

    def test_the_log_keys_a_view_by_the_servers_own_request_id(self):
        sa = self.as_role("system_admin")
        citizen = self.create_user({"kind": "citizen", "id_number": "00121" + RUN,
                                    "display_name": "Lê Văn D", "email": "d@example.vn",
                                    "password": "citizen-password-1"})
        path = f"/api/v1/users/{citizen['id']}"
        own = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{12}$")

        def view(sent=None, status_wanted=200):
            h = dict(sa)
            if sent is not None:
                h["X-Request-Id"] = sent
            status, headers, doc = self.call("GET", path, headers=h)
            self.assertEqual(status, status_wanted, doc)
            return headers["x-request-id"]

        first = view()
        self.assertRegex(first, own)
        answered = {"plain": first}
        # Sent back by another request, a server's id names that request, not the first.
        answered["forged"] = view(first)
        self.assertEqual(answered["forged"][21:], ":" + first)
        # A short id of safe characters follows the server's own.
        answered["kept"] = view("trace-42:abc.1")
        self.assertEqual(answered["kept"][21:], ":trace-42:abc.1")
        # Anything else is dropped.
        for name, sent in (("long", "a" * 65), ("space", "a b"), ("tab", "a\tb"),
                           ("quote", 'a"b'), ("not ascii", "hồ-sơ".encode()),
                           ("folded", "abc\r\n def")):
            answered[name] = view(sent)
            self.assertRegex(answered[name], own, name)
        # A control character: the request is refused, and shows nothing.
        self.assertRegex(view(b"a\x01b", 400), own)
        keys = [v[:21] for v in answered.values()]
        self.assertEqual(len(set(keys)), len(keys), answered)
        for key in keys:
            self.assertRegex(key, own)

        # The personal-data log and the access log say what the response said.
        status, _, log = self.call("GET", "/api/v1/audit/personal-data-views?subject_id=00121" + RUN,
                                   headers=sa)
        self.assertEqual(status, 200, log)
        self.assertEqual(sorted(r["request_id"] for r in log["items"]), sorted(answered.values()))
        entries = self.logged(set(answered.values()))
        self.assertEqual(sorted(e["request_id"] for e in entries), sorted(answered.values()))


class SessionExpiry(AccountsBase):
    @classmethod
    def setUpClass(cls):
        if cls.BACKEND is None:
            raise harness.unittest.SkipTest("base class")
        cls.server = harness.Server(cls.DB_URL(cls.__name__), extra=["--session-ttl", "2"])

    def test_a_session_stops_working_when_it_expires(self):
        acc = self.server.demo_accounts["specialist"]
        _, _, doc = self.server.login(acc["username"], acc["password"])
        auth = {"Authorization": "Bearer " + doc["token"]}
        self.assertEqual(self.call("GET", "/api/v1/auth/me", headers=auth)[0], 200)
        time.sleep(3.2)
        status, headers, out = self.call("GET", "/api/v1/auth/me", headers=auth)
        self.assertProblem(status, headers, out, 401)


class ParallelGuesses(AccountsBase):
    def test_guesses_sent_at_once_get_no_more_tries_than_one_by_one(self):
        # The allowance is checked before the slow password hash and counted
        # after it: without one attempt at a time per account, guesses sent
        # together all passed the check (six tries of five with two threads).
        name = "parallel.target." + RUN
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            statuses = list(pool.map(lambda _: self.server.login(name, "wrong-password")[0], range(12)))
        self.assertEqual(set(statuses) - {401, 429}, set(), statuses)
        self.assertGreaterEqual(statuses.count(401), 1, statuses)
        self.assertLessEqual(statuses.count(401), 5, statuses)

    def test_a_tls_proxy_saying_HTTPS_in_capitals_gets_secure_cookies(self):
        acc = self.server.demo_accounts["citizen"]
        body = json.dumps({"username": acc["username"], "password": acc["password"], "session": "cookie"})
        for proto in ("https", "HTTPS", "Https"):
            status, headers, raw = self.server.request(
                "POST", "/api/v1/auth/login", body,
                {"Content-Type": "application/json", "X-Forwarded-Proto": proto})
            self.assertEqual(status, 200, raw)
            cookie = headers.get("set-cookie", "")
            self.assertIn("Secure", cookie, proto)


class AddressThrottle(AccountsBase):
    def test_many_failures_from_one_address_throttle_every_account_name(self):
        for i in range(30):
            self.assertEqual(self.server.login(f"spray.{i}.{RUN}", "wrong-password")[0], 401)
        status, headers, doc = self.server.login("spray.new", "wrong-password")
        self.assertProblem(status, headers, doc, 429)
        self.assertGreaterEqual(int(headers["retry-after"]), 1)


class KnownDevicesBase(AccountsBase):
    """A sign-in leaves a token on the device (a cookie, or the answer's
    device_token for a program); a later sign-in to the same account that
    shows it is counted apart, so whoever guesses at a known username holds
    back their own guesses, not the account's owner."""

    def sign_in(self, name, password, cookie=None, device_token=None, session="cookie"):
        doc = {"username": name, "password": password, "session": session}
        if device_token is not None:
            doc["device_token"] = device_token
        c = self.server.conn()
        try:
            c.request("POST", "/api/v1/auth/login", body=body(doc),
                      headers=dict(JSON, **({"Cookie": cookie} if cookie else {})))
            r = c.getresponse()
            raw = r.read()
            return r.status, r.msg.get_all("Set-Cookie") or [], json.loads(raw) if raw else None
        finally:
            c.close()

    def owner(self, name):
        self.create_user({"kind": "staff", "username": name, "display_name": "Chủ tài khoản",
                          "roles": ["specialist"], "unit_code": DEMO_UNIT, "password": "right-password-1"})
        status, cookies, doc = self.sign_in(name, "right-password-1")
        self.assertEqual(status, 200, doc)
        device = [c for c in cookies if c.startswith("motcua_device_")]
        self.assertEqual(len(device), 1, cookies)
        for attribute in ("HttpOnly", "SameSite=Strict", "Path=/api/v1/auth/login"):
            self.assertIn(attribute, device[0])
        return device[0].split(";")[0]


class KnownDevices(KnownDevicesBase):
    def test_a_device_is_known_for_its_own_account_and_its_own_guesses(self):
        name, other = "owner.two." + RUN, "owner.three." + RUN
        device, others = self.owner(name), self.owner(other)
        for _ in range(5):
            self.sign_in(name, "guess-password")
        # Another account's token, moved under this account's cookie, and a forged one are strangers.
        moved = device.split("=", 1)[0] + "=" + others.split("=", 1)[1]
        forged = device[:-1] + ("0" if device[-1] != "0" else "1")
        for cookie in (moved, forged, others):
            self.assertEqual(self.sign_in(name, "right-password-1", cookie=cookie)[0], 429, cookie)
        # Guesses from the known device block that device.
        for _ in range(5):
            self.assertEqual(self.sign_in(name, "guess-password", cookie=device)[0], 401)
        status, _, doc = self.sign_in(name, "right-password-1", cookie=device)
        self.assertEqual(status, 429, doc)
        self.assertIn("Try again in", doc["detail"])

    def test_a_program_keeps_its_device_token_from_the_answer(self):
        name = "owner.four." + RUN
        self.owner(name)
        status, cookies, doc = self.sign_in(name, "right-password-1", session="bearer")
        self.assertEqual(status, 200, doc)
        self.assertEqual(cookies, [])
        token = doc["device_token"]
        for _ in range(5):
            self.sign_in(name, "guess-password", session="bearer")
        self.assertEqual(self.sign_in(name, "right-password-1", session="bearer")[0], 429)
        status, _, again = self.sign_in(name, "right-password-1", session="bearer", device_token=token)
        self.assertEqual(status, 200, again)
        self.assertEqual(again["device_token"], token)
        status, _, doc = self.sign_in(name, "right-password-1", session="bearer", device_token=7)
        self.assertEqual(status, 400, doc)
        self.assertEqual(doc["param"], "device_token", doc)


class KnownDeviceBehindAGuessingAddress(KnownDevicesBase):
    """On a server of its own: it uses up the address's allowance."""

    def test_a_known_device_signs_in_while_its_account_and_address_are_held_back(self):
        name = "owner.one." + RUN
        device = self.owner(name)
        for _ in range(5):
            self.assertEqual(self.sign_in(name, "guess-password")[0], 401)
        for i in range(30):
            self.sign_in(f"spray.{i}.{RUN}", "guess-password")
        self.assertEqual(self.sign_in(name, "right-password-1")[0], 429)
        self.assertEqual(self.sign_in("demo.leader", "whatever-password")[0], 429)
        status, cookies, doc = self.sign_in(name, "right-password-1", cookie=device)
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["user"]["username"], name)
        # It keeps its token; the account stays held back for everyone else.
        self.assertIn(device, [c.split(";")[0] for c in cookies])
        self.assertEqual(self.sign_in(name, "right-password-1")[0], 429)


class ThrottleBehindATrustedProxy(AccountsBase):
    """serve --trusted-proxy: the throttle counts the client the proxy names
    in X-Forwarded-For, and the logs record it."""
    TRUSTED = ("--trusted-proxy", "127.0.0.1")
    # Without the option, or from another proxy, the header is not believed:
    # every "client" is the one peer.
    SEPARATE = True

    @classmethod
    def server_args(cls):
        return cls.TRUSTED

    def login_from(self, client, username):
        doc = json.dumps({"username": username, "password": "wrong-password"})
        return self.server.request("POST", "/api/v1/auth/login", doc,
                                   {"Content-Type": "application/json", "X-Forwarded-For": client})

    # Named to run before the throttling fills up the peer's address.
    def test_a_forwarded_proto_is_believed_from_the_trusted_proxy_only(self):
        acc = self.server.demo_accounts["citizen"]
        body = json.dumps({"username": acc["username"], "password": acc["password"], "session": "cookie"})
        status, headers, raw = self.server.request(
            "POST", "/api/v1/auth/login", body,
            {"Content-Type": "application/json", "X-Forwarded-Proto": "https",
             "X-Forwarded-For": "198.51.100.7"})
        self.assertEqual(status, 200, raw)
        # Believed from the trusted proxy, and from a loopback peer (this
        # client) when none is named; not from a peer that is not a named proxy.
        believed = self.SEPARATE or not self.TRUSTED
        self.assertEqual("Secure" in headers.get("set-cookie", ""), believed, headers)
        self.assertEqual("strict-transport-security" in headers, believed, headers)

    def test_each_client_behind_the_proxy_is_throttled_by_its_own_address(self):
        for i in range(30):
            status, _, raw = self.login_from("203.0.113.1", f"proxied.{i}.{RUN}")
            self.assertEqual(status, 401, raw)
        status, headers, raw = self.login_from("203.0.113.1", "proxied.new." + RUN)
        self.assertProblem(status, headers, raw, 429)
        # A hop the client writes itself, left of the one the proxy adds, is not believed.
        status, _, _ = self.login_from("203.0.113.2, 203.0.113.1", "proxied.forged." + RUN)
        self.assertEqual(status, 429)
        status, headers, raw = self.login_from("203.0.113.2", "proxied.other." + RUN)
        if not self.SEPARATE:
            self.assertProblem(status, headers, raw, 429)
            return
        self.assertEqual(status, 401, raw)
        # The access log names the client, not the proxy.
        request_id = headers["x-request-id"]
        for _ in range(50):
            entries = [e for e in self.server.access_log() if e.get("request_id") == request_id]
            if entries:
                break
            time.sleep(0.1)
        self.assertEqual([e["remote"] for e in entries], ["203.0.113.2"])


class ThrottleWithNoProxyTrusted(ThrottleBehindATrustedProxy):
    TRUSTED = ()
    SEPARATE = False


class ThrottleFromAPeerThatIsNotTheTrustedProxy(ThrottleBehindATrustedProxy):
    TRUSTED = ("--trusted-proxy", "192.0.2.1", "--trusted-proxy", "10.0.0.0/8")
    SEPARATE = False


class Ipv6ClientsBehindATrustedProxy(AccountsBase):
    """An IPv6 client holds its whole /64 and could take a fresh address for
    every few guesses: the address throttle counts the /64."""

    @classmethod
    def server_args(cls):
        return ("--trusted-proxy", "127.0.0.1")

    def login_from(self, client, username):
        doc = json.dumps({"username": username, "password": "wrong-password"})
        return self.server.request("POST", "/api/v1/auth/login", doc,
                                   {"Content-Type": "application/json", "X-Forwarded-For": client})

    def test_addresses_of_one_slash_64_share_the_allowance(self):
        for i in range(30):
            status, _, raw = self.login_from(f"2001:db8:1:2::{i + 1:x}", f"walker.{i}.{RUN}")
            self.assertEqual(status, 401, raw)
        status, headers, raw = self.login_from("2001:db8:1:2:ffff:1:2:3", "walker.new." + RUN)
        self.assertProblem(status, headers, raw, 429)
        # The next /64 and an IPv4 client are others.
        for client in ("2001:db8:1:3::1", "198.51.100.9"):
            status, _, raw = self.login_from(client, "walker.other." + RUN)
            self.assertEqual(status, 401, (client, raw))


LOCAL = harness.LOCAL_ADDRESS


class ForwardedProtoFromAPeerNotOnLoopback(harness.ServedOffLoopback, AccountsBase):
    """With no --trusted-proxy, X-Forwarded-Proto is believed only from a
    loopback peer (a TLS terminator on the same machine): a client elsewhere
    over plain HTTP saying https got Secure cookies and HSTS."""

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection(LOCAL, self.server.port, timeout=30)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            headers = {k.lower(): v for k, v in r.getheaders()}
            return r.status, headers, r.read(), r.msg.get_all("Set-Cookie") or []
        finally:
            c.close()

    def test_a_forwarded_proto_from_this_peer(self):
        believed = bool(self.TRUSTED)
        status, headers, _, _ = self.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
        self.assertEqual(status, 200)
        self.assertEqual("strict-transport-security" in headers, believed, headers)
        acc = self.server.demo_accounts["citizen"]
        status, headers, raw, cookies = self.request(
            "POST", "/api/v1/auth/login",
            json.dumps({"username": acc["username"], "password": acc["password"], "session": "cookie"}),
            {"Content-Type": "application/json", "X-Forwarded-Proto": "https"})
        self.assertEqual(status, 200, raw)
        names = [c.split("=", 1)[0] for c in cookies]
        self.assertEqual(sorted(n if not n.startswith("motcua_device_") else "motcua_device" for n in names),
                         ["motcua_csrf", "motcua_device", "motcua_session"])
        for cookie in cookies:
            self.assertEqual("; Secure" in cookie, believed, cookie)


class ForwardedProtoFromANamedProxyNotOnLoopback(ForwardedProtoFromAPeerNotOnLoopback):
    TRUSTED = ("--trusted-proxy", LOCAL or "192.0.2.2")


class RefusedBodiesBehindATrustedProxy(AccountsBase):
    """A request refused once its header is read (a body over the limit, a
    Transfer-Encoding other than chunked, an anonymous upload) is logged by
    the client the trusted proxy names, with the client's request id, as any
    other request is."""

    @classmethod
    def server_args(cls):
        return ("--trusted-proxy", "127.0.0.1")

    def send_head(self, head):
        """Sends a request's head only; returns the answer's status and X-Request-Id."""
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=30) as s:
            s.sendall(head.encode())
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        lines = answer.split(b"\r\n\r\n")[0].decode().split("\r\n")
        ids = [line.split(":", 1)[1].strip() for line in lines[1:]
               if line.lower().startswith("x-request-id:")]
        return int(lines[0].split()[1]), ids[0]

    def test_the_log_names_the_client_of_a_request_refused_before_its_body(self):
        cases = (("/api/v1/auth/login", "Content-Length: 99999999999\r\n", 413),
                 ("/api/v1/auth/login", "Transfer-Encoding: gzip\r\n", 400),
                 ("/api/v1/attachments", "Content-Length: 99999999999\r\n", 401))
        answered = {}
        for i, (path, framing, wanted) in enumerate(cases):
            status, request_id = self.send_head(
                f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"X-Forwarded-For: 198.51.100.{20 + i}\r\nX-Request-Id: refused-{i}\r\n"
                f"{framing}\r\n")
            self.assertEqual(status, wanted, path)
            self.assertTrue(request_id.endswith(f":refused-{i}"), request_id)
            answered[request_id] = f"198.51.100.{20 + i}"
        for _ in range(50):
            logged = {e["request_id"]: e["remote"] for e in self.server.access_log()
                      if e.get("request_id") in answered}
            if len(logged) == len(answered):
                break
            time.sleep(0.1)
        self.assertEqual(logged, answered)


class PasswordRules(AccountsBase):
    """A new password, set at creation, by an administrator's reset or by
    one's own change, holds no username and is not one character repeated or
    a run of consecutive digits or letters (NIST SP 800-63B); no rules of
    composition (a password of lower-case words is fine)."""
    GUESSABLE = ("aaaaaaaaaa", "éééééééééé", "0123456789", "1234567890", "9876543210",
                 "abcdefghij", "ZYXWVUTSRQ")

    def assertRefused(self, answer, param, holds_username=False):
        status, headers, doc = answer
        doc = self.assertProblem(status, headers, doc, 400, param=param)
        # Says what to do, in both languages.
        self.assertIn("Choose", doc["detail"])
        self.assertIn("Hãy chọn", doc["detail_vi"])
        if holds_username:
            self.assertIn("username", doc["detail"])
            self.assertIn("tên đăng nhập", doc["detail_vi"])

    def test_an_account_is_not_created_with_a_guessable_password(self):
        sa = self.as_role("system_admin")
        name = "guessable.pw." + RUN
        staff = {"kind": "staff", "username": name, "display_name": "Đoán Được",
                 "roles": ["specialist"], "unit_code": DEMO_UNIT}
        for password in self.GUESSABLE:
            with self.subTest(password=password):
                self.assertRefused(self.call("POST", "/api/v1/users", dict(staff, password=password), sa),
                                   "password")
        for password in (name, name.upper() + "!", "my-" + name + "-2026"):
            with self.subTest(password=password):
                self.assertRefused(self.call("POST", "/api/v1/users", dict(staff, password=password), sa),
                                   "password", holds_username=True)
        # A citizen's username is their ID number.
        number = "07922" + RUN
        citizen = {"kind": "citizen", "id_number": number, "display_name": "Công Dân Đoán",
                   "phone": "0912345670"}
        self.assertRefused(self.call("POST", "/api/v1/users", dict(citizen, password="cccd " + number), sa),
                           "password", holds_username=True)
        status, _, doc = self.call("GET", "/api/v1/users?limit=500", headers=sa)
        self.assertEqual(status, 200, doc)
        self.assertFalse({u["username"] for u in doc["items"]} & {name, number})
        # Lower-case words only, or a run inside a longer password, are fine.
        self.create_user(dict(staff, password="correct horse battery staple"))
        self.assertEqual(self.server.login(name, "correct horse battery staple")[0], 200)
        self.create_user(dict(citizen, password="0123456789 and more"))

    def test_a_reset_or_a_change_to_a_guessable_password_changes_nothing(self):
        name = "guessable.reset." + RUN
        u = self.create_user({"kind": "staff", "username": name, "display_name": "Đặt Lại",
                              "roles": ["specialist"], "unit_code": DEMO_UNIT,
                              "password": "first-password-1"})
        sa = self.as_role("system_admin")
        for password, holds in ((name.upper(), True), ("xx" + name + "xx", True),
                                *((p, False) for p in self.GUESSABLE)):
            with self.subTest(reset=password):
                self.assertRefused(self.call("POST", f"/api/v1/users/{u['id']}/password",
                                             {"password": password}, sa), "password", holds)
        status, _, doc = self.server.login(name, "first-password-1")
        self.assertEqual(status, 200, doc)
        own = {"Authorization": "Bearer " + doc["token"]}
        for password, holds in (("Pw-" + name, True), *((p, False) for p in self.GUESSABLE)):
            with self.subTest(change=password):
                self.assertRefused(self.call("POST", "/api/v1/auth/password",
                                             {"current_password": "first-password-1",
                                              "new_password": password}, own), "new_password", holds)
        self.assertEqual(self.server.login(name, "first-password-1")[0], 200)
        status, _, _ = self.call("POST", "/api/v1/auth/password",
                                 {"current_password": "first-password-1",
                                  "new_password": "second-password-2"}, own)
        self.assertEqual(status, 204)


class FirstAdmin(AccountsBase):
    """`motcua user add` creates the first administrator of an empty installation."""

    @classmethod
    def setUpClass(cls):
        if cls.BACKEND is None:
            raise harness.unittest.SkipTest("base class")
        cls.url = cls.DB_URL(cls.__name__)
        cls.username = "first.admin." + RUN
        cmd = [harness.ARGS.binary, "user", "add", "--db", cls.url, "--data", harness.ARGS.data,
               "--username", cls.username, "--password-stdin", "--role", "system_admin"]
        cls.added = subprocess.run(cmd, input="first-admin-password\n", capture_output=True, text=True,
                                   timeout=300)
        cls.again = subprocess.run(cmd, input="first-admin-password\n", capture_output=True, text=True,
                                   timeout=300)
        short = [harness.ARGS.binary, "user", "add", "--db", cls.url, "--data", harness.ARGS.data,
                 "--username", "x" + cls.username, "--password-stdin", "--role", "system_admin"]
        cls.short = subprocess.run(short, input="short\n", capture_output=True, text=True, timeout=300)
        cls.server = harness.Server(cls.url, demo=False)

    def test_a_password_typed_at_a_terminal_is_not_shown(self):
        master, slave = pty.openpty()
        name = "typed.admin." + RUN
        proc = subprocess.Popen([harness.ARGS.binary, "user", "add", "--db", self.url, "--data",
                                 harness.ARGS.data, "--username", name, "--password-stdin",
                                 "--role", "system_admin"],
                                stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(slave)
        try:
            # Typed only after the prompt: echo is off by then.
            prompt = "Mật khẩu / Password: ".encode()
            seen = b""
            while len(seen) < len(prompt) and select.select([proc.stderr], [], [], 30)[0]:
                seen += os.read(proc.stderr.fileno(), len(prompt) - len(seen))
            self.assertEqual(seen, prompt)
            os.write(master, b"typed-admin-password\n")
            out, err = proc.communicate(timeout=300)
            shown = b""
            while select.select([master], [], [], 0.2)[0]:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
        finally:
            os.close(master)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 0, err)
        self.assertNotIn(b"typed-admin-password", shown + out + err)
        self.assertEqual(self.server.login(name, "typed-admin-password")[0], 200)

    def test_the_first_admin_signs_in_and_manages_accounts(self):
        self.assertEqual(self.added.returncode, 0, self.added.stderr)
        self.assertNotIn("first-admin-password", self.added.stdout + self.added.stderr)
        self.assertNotEqual(self.again.returncode, 0)
        self.assertIn("already used", self.again.stderr)
        self.assertNotEqual(self.short.returncode, 0)
        self.assertIn("10 to 128", self.short.stderr)
        status, _, doc = self.server.login(self.username, "first-admin-password")
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["user"]["roles"], ["system_admin"])
        status, _, out = self.call("GET", "/api/v1/users", headers={"Authorization": "Bearer " + doc["token"]})
        self.assertEqual(status, 200, out)


if __name__ == "__main__":
    harness.run_suites([RouteMatrix, LoginAndSessions, AccountJurisdiction, NationalCatalog,
                        PersonalDataLog, AccountChangeLog,
                        RequestIdsInTheLogs, SessionExpiry, ParallelGuesses, AddressThrottle,
                        ThrottleBehindATrustedProxy, ThrottleWithNoProxyTrusted,
                        ThrottleFromAPeerThatIsNotTheTrustedProxy, Ipv6ClientsBehindATrustedProxy,
                        ForwardedProtoFromAPeerNotOnLoopback,
                        ForwardedProtoFromANamedProxyNotOnLoopback, RefusedBodiesBehindATrustedProxy,
                        PasswordRules, FirstAdmin, KnownDevices, KnownDeviceBehindAGuessingAddress])
