"""Bad input, field by field, through the real binary.

Each field of a write is replaced in turn by a value of another kind (null, a
number where text goes and text where a number goes, numbers past 64 bits, a
control character, a lone UTF-16 surrogate, 70,000 characters, nested and
empty lists...) and then left out; the body is then cut short, mangled a byte
at a time, sent as invalid UTF-8, nested 100,000 deep, or not JSON at all.
Every answer is a success or a problem (RFC 9457, in Vietnamese and English),
never a server error, and a refused write leaves what it touches as it was.
The query parameters of every read in the served OpenAPI document get the
same treatment. The field-named answers are in the other suites; this one
covers the breadth."""
import copy
import json
import random
import time

import harness
from dossier_client import RUN, DossierClient

ODD = [None, True, 0, -1, 1.5, 1e308, 2**63, -2**63 - 1, 2**64, "", " ", "x" * 70000, "a\x00b",
       "\ud800", "a\u0301", "\u202e", "' OR 1=1 --", [], {}, [None], [[]], {"a": None}, ["x"] * 2000,
       "2026-02-30", "2026-13-01T00:00:00+07:00", "1e400", "١٢٣"]
BROKEN = [b"", b"\xff\xfe", b"{", b"[" * 100000, b'{"a":' * 5000, b"null", b"[]", b'"x"', b"1"]
# Header values are bytes: what a client may put there besides text.
HEADER_ODD = [b"", b" ", b"\xff", b"\xc3", b"a\xed\xa0\x80", b"\xe2\x80\xae", "Tờ".encode(), b"\x01",
              b"\x7f", b"x" * 9000, b'W/"', b"1" * 30, b"-1", b"a,b;c=", b"Bearer \xff",
              b"motcua_session=\xff; motcua_csrf="]
# Every header the server reads, and requests that read them.
HEADERS = ["Authorization", "Cookie", "Idempotency-Key", "If-Match", "If-None-Match", "X-File-Name",
           "X-Forwarded-Proto", "Content-Type", "Accept-Encoding", "X-CSRF-Token", "Origin"]
QUERY_ODD = ["", "-1", "0", "99999999999999999999", "abc", "%00", "%FF", "%ED%A0%80", "2026-02-30",
             "9999-12-31", "x" * 3000, "%E2%80%AE", "a%2Cb", "true"]


def paths(doc, prefix=()):
    """Every place in a JSON document, the whole first."""
    yield prefix
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        yield from paths(value, prefix + (key,))


def replaced(doc, where, value):
    if not where:
        return value
    out = copy.deepcopy(doc)
    node = out
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    return out


def removed(doc, where):
    out = copy.deepcopy(doc)
    node = out
    for key in where[:-1]:
        node = node[key]
    del node[where[-1]]
    return out


def variants(doc, seed):
    """(label, body) pairs: each odd value at each place, each place left out,
    then broken bodies. Deterministic for a seed."""
    for where in paths(doc):
        for value in ODD:
            yield f"{list(where)} = {json.dumps(value)[:40]}", json.dumps(replaced(doc, where, value))
        if where:
            yield f"{list(where)} left out", json.dumps(removed(doc, where))
    text = json.dumps(doc, ensure_ascii=False)
    rng = random.Random(seed)
    for _ in range(40):
        i = rng.randrange(len(text))
        cut = rng.choice(["", '"', "{", "]", "\\u", "\\ud800", "9" * 30, "null", ",", "\x7f"])
        yield f"mangled at {i}", text[:i] + cut + text[i + rng.randrange(1, 8):]
    yield "cut short", text[:-1]
    yield "a key twice", text.replace("{", '{"twice": 1, "twice": 2, ', 1)
    for body in BROKEN:
        yield f"body {body[:12]!r}", body


class BadInput(DossierClient):
    def send(self, method, path, body, headers):
        data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
        h = {"Content-Type": "application/json", **headers}
        status, got, raw = self.server.request(method, path, data, h)
        return status, got, raw

    def check_each(self, method, path, doc, headers, state, seed, next_target=None):
        """Sends every variant of `doc`: each must succeed or be a problem, and a
        refused one must leave state() as it was (state None: nothing to read).
        After a success, state() is read again; next_target(), when given, gives
        the path (and headers) to aim at from then on (an action done cannot be
        done twice). Returns the number of successes."""
        state = state or (lambda: None)
        before = state()
        successes = 0
        for label, body in variants(doc, seed):
            status, got, raw = self.send(method, path, body, headers)
            what = f"{method} {path} with {label}"
            self.assertLess(status, 500, f"{what}: {raw[:300]!r}")
            self.assertIsNone(self.server.proc.poll(), f"server gone after {what}")
            if status >= 400:
                problem = json.loads(raw)
                self.assertTrue(got["content-type"].startswith("application/problem+json"), what)
                self.assertEqual(problem["status"], status, what)
                for key in ("type", "title", "detail", "detail_vi"):
                    self.assertTrue(problem.get(key), f"{what}: the problem lacks {key}: {problem}")
                self.assertEqual(state(), before, f"{what} was refused ({status}) yet changed something")
            else:
                successes += 1
                if next_target:
                    path, headers = next_target()
                before = state()
        return successes

    def citizen_dossiers(self):
        return sorted(self.inbox_ids("citizen"))

    def test_submission(self):
        doc = self.submission(components=[{"component_id": "c1", "form": "paper_original", "quantity": 1}],
                              fees=[])
        doc["applicant"]["email"] = "dan@example.vn"
        self.check_each("POST", "/api/v1/dossiers", doc, self.server.auth_headers("citizen"),
                        self.citizen_dossiers, 1)

    def test_receipt_and_assignment(self):
        def submitted():
            status, _, d = self.submit()
            self.assertEqual(status, 201, d)
            self.target = d
            return (f"/api/v1/dossiers/{d['id']}/actions/receive",
                    {**self.server.auth_headers("receiving_officer"), "If-Match": f'"{d["version"]}"'})

        def version():
            status, _, d = self.call("GET", f"/api/v1/dossiers/{self.target['id']}", role="receiving_officer")
            self.assertEqual(status, 200, d)
            return d["state"], d["version"]

        path, headers = submitted()
        self.check_each("POST", path, {"components": self.all_components(), "note": "Đủ"}, headers,
                        version, 2, submitted)

        def received():
            d = self.receive_new()
            self.target = d
            return (f"/api/v1/dossiers/{d['id']}/actions/assign",
                    {**self.server.auth_headers("leader"), "If-Match": f'"{d["version"]}"'})

        path, headers = received()
        self.check_each("POST", path, {"assignee": self.user_id("specialist"), "note": "Giao"}, headers,
                        version, 3, received)

    def test_account(self):
        def staff():
            return {"kind": "staff", "username": f"bad.input.{RUN}", "display_name": "Cán bộ",
                    "roles": ["specialist"], "unit_code": "00004", "password": "mat-khau-du-dai-1",
                    "phone": "0912345678", "email": "can.bo@example.vn"}

        def users():
            status, _, doc = self.call("GET", "/api/v1/users?limit=500", role="system_admin")
            self.assertEqual(status, 200, doc)
            return sorted(u["username"] for u in doc["items"])

        # After the first account is made, a variant valid but for its username is a conflict (409).
        doc = staff()
        ok = self.check_each("POST", "/api/v1/users", doc, self.server.auth_headers("system_admin"), users, 4)
        self.assertGreater(ok, 0, "the untouched fields make a valid account at least once")
        login = {"username": doc["username"], "password": "not-the-password", "session": "bearer"}
        self.check_each("POST", "/api/v1/auth/login", login, {}, None, 5)

    def test_calendar(self):
        # A year and a commune that the other suites leave alone: PostgreSQL's database is shared.
        year_path = "/api/v1/calendar/2031/overrides"
        admin = self.server.auth_headers("system_admin")
        decision = {"days_off": [{"date": "2031-03-04", "name_vi": "Nghỉ bù", "name_en": "Day off"}],
                    "working_days": [{"date": "2031-03-08", "name_vi": "Làm bù", "name_en": "Worked"}]}

        def overrides():
            status, _, doc = self.call("GET", year_path, role="system_admin")
            self.assertEqual(status, 200, doc)
            return {k: v for k, v in doc.items() if k not in ("changed_at", "changed_by")}

        self.check_each("PUT", year_path, decision, admin, overrides, 6)
        settings_path = "/api/v1/units/00025/calendar-settings"
        status, _, current = self.call("GET", settings_path, role="system_admin")
        self.assertEqual(status, 200, current)
        hours = {"morning_start": "07:30", "morning_end": "11:30", "afternoon_start": "13:00",
                 "afternoon_end": "17:00", "receipt_cutoff": "16:30"}

        def settings():
            return self.call("GET", settings_path, role="system_admin")[2]

        self.check_each("PUT", settings_path, hours, admin, settings, 7)

    def test_what_is_quoted_back_is_utf8(self):
        # A problem quotes the path or a CSV row's code; sent as other bytes,
        # they came back as they were and the answer was not UTF-8 JSON.
        admin = self.server.auth_headers("system_admin")
        def catalog():
            status, _, doc = self.call("GET", "/api/v1/procedures/export", role="system_admin")
            self.assertEqual(status, 200, doc)
            return doc["procedures"]

        before = catalog()
        self.assertTrue(before)
        sent = [("POST", "/api/v1/procedures/%FF/retire", None, {}),
                ("DELETE", "/api/v1/procedures/%C3%28", None, {}),
                ("POST", "/api/v1/procedures/import",
                 b"code,name,field,competent_level,online_level\r\n\xff\xfe,T\x00,X,commune,none\r\n",
                 {"Content-Type": "text/csv"})]
        for method, path, body, headers in sent:
            status, got, raw = self.server.request(method, path, body, {**admin, **headers})
            self.assertEqual(status, 400, raw)
            problem = json.loads(raw.decode("utf-8"))  # strict: a byte that is not UTF-8 fails here
            self.assertIn("\ufffd", problem["detail"] + problem["instance"], problem)
        self.assertEqual(catalog(), before)
        # The access log quotes the path too: each line stays UTF-8 JSON
        # (access_log() reads strictly; the log is written by a background thread).
        wanted = "/api/v1/procedures/\ufffd/retire"
        for _ in range(50):
            entries = self.server.access_log()
            if any(e["path"] == wanted for e in entries):
                break
            time.sleep(0.1)
        self.assertIn(wanted, [e["path"] for e in entries])

    def test_query_parameters(self):
        status, _, api = self.call("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        d = self.receive_new()
        values = {"code": d["code"], "sha256": "0" * 64, "id": "1", "year": "2026"}
        sent = 0
        for template, ops in api["paths"].items():
            if "get" not in ops:
                continue
            params = [p["name"] for p in ops["get"].get("parameters", []) + ops.get("parameters", [])
                      if p.get("in") == "query"]
            path = template
            while "{" in path:
                name = path[path.index("{") + 1:path.index("}")]
                path = path.replace("{" + name + "}", values.get(name, "00004"))
            for name in params:
                for value in QUERY_ODD:
                    for role in ("system_admin", "citizen", None):
                        status, got, raw = self.server.request(
                            "GET", f"{path}?{name}={value}", None,
                            self.server.auth_headers(role) if role else {})
                        sent += 1
                        what = f"GET {path}?{name}={value[:30]} as {role}"
                        self.assertLess(status, 500, f"{what}: {raw[:300]!r}")
                        if status >= 400:
                            self.assertTrue(got["content-type"].startswith("application/problem+json"), what)
        self.assertGreater(sent, 500, "the document lists the reads' parameters")

    def test_a_repeated_parameter_is_refused_naming_it(self):
        # ?scope=own&scope=all was read as "own" (the first) everywhere: a
        # client, or a proxy reading the last, meant something else. Refused
        # before any handler runs, a write with one does nothing.
        submitted = self.receive_new()
        ref = submitted["id"]

        def dossier():
            status, _, d = self.call("GET", f"/api/v1/dossiers/{ref}", role="receiving_officer")
            self.assertEqual(status, 200, d)
            return d["state"], d["version"]

        before = (self.citizen_dossiers(), dossier())
        assign = {"assignee": self.user_id("specialist"), "note": "Giao"}
        sent = [("GET", "/api/v1/stats/indicators?unit=01&scope=own&period=day&scope=all",
                 "province_supervisor", None, {}, "scope"),
                ("GET", "/api/v1/procedures?q=khai+sinh&limit=5&limit=200", None, None, {}, "limit"),
                ("GET", "/api/v1/users?unit=00004&unit=00008", "system_admin", None, {}, "unit"),
                ("POST", "/api/v1/dossiers?unit=00004&unit=00004", "citizen", self.submission(), {}, "unit"),
                ("POST", f"/api/v1/dossiers/{ref}/actions/assign?note=a&note=a", "leader", assign,
                 {"If-Match": f'"{submitted["version"]}"'}, "note")]
        for method, path, role, doc, headers, param in sent:
            status, got, raw = self.call(method, path, doc, role, headers)
            self.assertProblem(status, got, raw, 400, param)
            self.assertIn(f"'{param}'", raw["detail"], path)
            self.assertIn(f"'{param}'", raw["detail_vi"], path)
        self.assertEqual((self.citizen_dossiers(), dossier()), before)
        # Each parameter once, the same requests are taken.
        status, _, doc = self.call("GET", "/api/v1/stats/indicators?unit=01&scope=own&period=day",
                                   role="province_supervisor")
        self.assertEqual(status, 200, doc)
        status, _, doc = self.call("POST", f"/api/v1/dossiers/{ref}/actions/assign?note=a", assign, "leader",
                                   {"If-Match": f'"{submitted["version"]}"'})
        self.assertEqual(status, 200, doc)

    def test_headers(self):
        d = self.receive_new()
        # Every header on three reads (a page, the session, a dossier); each
        # write only with the headers it reads, for writes cost a commit each.
        reads = [("GET", "/", None), ("GET", "/api/v1/auth/me", None),
                 ("GET", f"/api/v1/dossiers/{d['id']}", None)]
        submit = ("POST", "/api/v1/dossiers", json.dumps(self.submission()))
        upload = ("POST", "/api/v1/attachments", b"%PDF-1.4\n% headers " + RUN.encode() + b"\n%%EOF\n")
        # A sign-in takes the right password (failures are throttled).
        login = ("POST", "/api/v1/auth/login", json.dumps({
            "username": self.server.demo_accounts["citizen"]["username"],
            "password": self.server.demo_accounts["citizen"]["password"], "session": "cookie"}))
        writes = {"Authorization": [submit], "Cookie": [submit], "Idempotency-Key": [submit],
                  "Content-Type": [submit, upload], "X-File-Name": [upload],
                  "X-CSRF-Token": [submit], "Origin": [submit], "X-Forwarded-Proto": [login],
                  "If-Match": [("POST", f"/api/v1/dossiers/{d['id']}/actions/assign",
                                json.dumps({"assignee": self.user_id("specialist")}))]}
        before = self.citizen_dossiers()
        made = 0
        for name in HEADERS:
            for value in HEADER_ODD:
                for method, path, body in reads + writes.get(name, []):
                    h = {"Content-Type": "application/json"}
                    if name not in ("Authorization", "Cookie"):
                        h.update(self.server.auth_headers("leader" if "actions" in path else "citizen"))
                    h[name] = value
                    status, got, raw = self.server.request(method, path, body, h)
                    what = f"{method} {path} with {name}: {value[:30]!r}"
                    self.assertLess(status, 500, f"{what}: {raw[:300]!r}")
                    self.assertIsNone(self.server.proc.poll(), f"server gone after {what}")
                    if status >= 400:
                        self.assertTrue(got["content-type"].startswith("application/problem+json"), what)
                        problem = json.loads(raw.decode("utf-8"))
                        for key in ("type", "title", "detail", "detail_vi"):
                            self.assertTrue(problem.get(key), f"{what}: the problem lacks {key}")
                    elif path == "/api/v1/dossiers" and status == 201:
                        made += 1
        self.assertGreater(made, 0, "a submission whose odd header does not matter is taken")
        # Only the submissions answered 201 made a dossier (a 200 is a replay of a key).
        self.assertEqual(len(self.citizen_dossiers()), len(before) + made)

    def test_form_data_is_refused_naming_what_no_reader_takes(self):
        # form_data is kept as the request's JSON: 1e400 (a double's infinity)
        # was written "Infinity" and stored with a 201; the dossier, the
        # commune's inbox and the checks then failed on a body no reader takes.
        # Its keys and strings skipped the text rule of every other field.
        bundle = "/api/v1/bundles/LT-KHAISINH/dossiers"
        base = {"competent_unit": "00004", "applicant": {
            "kind": "person", "name": "A", "id_number": "001090000001", "phone": "0912345678",
            "address": "x"}}
        filing = dict(base, procedure_code=self.procedure["code"])
        number = "@number@"  # where a number Python cannot write goes

        def body(form, to=filing, text=None):
            out = json.dumps(dict(to, form_data=form))
            return out.replace(json.dumps(number), text) if text else out

        sent = [("/api/v1/dossiers", body({"so_tien": number}, text="1e400"), "form_data.so_tien"),
                ("/api/v1/dossiers", body({"so_tien": number}, text="-1e400"), "form_data.so_tien"),
                ("/api/v1/dossiers", body({"so_tien": number}, text="1" + "0" * 400),
                 "form_data.so_tien"),
                ("/api/v1/dossiers", body({"a": {"b": [1.5, {"c": number}]}}, text="-1e400"),
                 "form_data.a.b[1].c"),
                (bundle, body({"so_tien": number}, base, "1e400"), "form_data.so_tien"),
                ("/api/v1/dossiers", body({"k\x00": "x"}), "form_data.k\x00"),
                ("/api/v1/dossiers", body({"k": "\x00\x07"}), "form_data.k"),
                ("/api/v1/dossiers", body({"x": "fdp.exe\u202e"}), "form_data.x"),
                ("/api/v1/dossiers", body({"a": [{"b\x1b": 1}]}), "form_data.a[0].b\x1b"),
                ("/api/v1/dossiers", body({"a": {"b": ["ok", "\x7f"]}}), "form_data.a.b[1]"),
                (bundle, body({"k\x00": "\x00\x07", "x": "fdp.exe\u202e"}, base),
                 "form_data.k\x00")]

        def stored():
            return self.citizen_dossiers(), sorted(self.inbox_ids("receiving_officer"))

        before = stored()
        for path, text, param in sent:
            status, got, doc = self.call("POST", path, text, "citizen")
            self.assertProblem(status, got, doc, 400, param)
            self.assertIn(f"'{param}'", doc["detail"], text)
            self.assertIn(f"'{param}'", doc["detail_vi"], text)
        self.assertEqual(stored(), before, "a refused filing stored something")
        # A number within range, tab and line breaks are taken, and read back.
        status, _, d = self.call("POST", "/api/v1/dossiers",
                                 body({"so_tien": 1e308, "ghi chú": "dòng 1\r\n\tdòng 2"}),
                                 "citizen")
        self.assertEqual(status, 201, d)
        status, _, again = self.call("GET", f"/api/v1/dossiers/{d['id']}", role="receiving_officer")
        self.assertEqual(status, 200, again)
        self.assertEqual(again["form_data"], {"so_tien": 1e308, "ghi chú": "dòng 1\r\n\tdòng 2"})
        self.assertIn(d["id"], self.inbox_ids("receiving_officer"))

    def test_procedure_version_is_taken_as_a_dossier_shows_it(self):
        # A dossier shows "procedure_version":"1": sent back so, a submission
        # was a 400 "must be a positive whole number".
        status, _, d = self.submit()
        self.assertEqual(status, 201, d)
        shown = d["procedure_version"]
        self.assertIsInstance(shown, str)
        for version in (shown, int(shown)):
            status, _, doc = self.submit(procedure_version=version)
            self.assertEqual(status, 201, doc)
            self.assertEqual(doc["procedure_version"], shown)
        before = self.citizen_dossiers()
        for odd in ("0", "-1", "+1", " 1", "1 ", "1.0", "1e0", "0x1", "", "abc", "١", "99999999999999999999",
                    "1000001", 0, -1, 1.5, 1000001, True, [shown], {"v": shown}):
            status, headers, doc = self.submit(procedure_version=odd)
            doc = self.assertProblem(status, headers, doc, 400, "procedure_version")
            self.assertIn("positive whole number", doc["detail"])
        # A version of digits that is not the procedure's is the 422 its number is.
        for other in (str(int(shown) + 1000), int(shown) + 1000):
            status, headers, doc = self.submit(procedure_version=other)
            self.assertProblem(status, headers, doc, 422, "procedure_version")
        self.assertEqual(self.citizen_dossiers(), before)

    def test_a_body_sent_as_anything_but_json_is_415(self):
        # Only the sign-in checked the type: a submission sent as text/plain
        # (what a cross-site form may post without the browser asking first)
        # was read as JSON all the same and made a dossier (201).
        d = self.receive_new()
        specialist = self.user_id("specialist")
        submission = self.submission()
        bundle = {"competent_unit": "00004", "applicant": submission["applicant"]}
        hours = {"morning_start": "07:30", "morning_end": "11:30", "afternoon_start": "13:00",
                 "afternoon_end": "17:00"}
        sent = [  # (role, method, path, body, extra headers)
            ("citizen", "POST", "/api/v1/dossiers", submission, {}),
            ("citizen", "POST", "/api/v1/bundles/LT-KHAISINH/dossiers", bundle, {}),
            ("leader", "POST", f"/api/v1/dossiers/{d['id']}/actions/assign", {"assignee": specialist},
             {"If-Match": f'"{d["version"]}"'}),
            ("citizen", "POST", f"/api/v1/dossiers/{d['id']}/payment",
             {"return_url": f"http://127.0.0.1:{self.server.port}/"}, {}),
            (None, "POST", "/api/v1/payments/notify",
             {"dossier_id": d["id"], "amount_vnd": 1, "transaction": "GD-1", "status": "paid"}, {}),
            ("specialist", "POST", "/api/v1/auth/password",
             {"current_password": "x", "new_password": "mat-khau-moi-du-dai-1"}, {}),
            ("system_admin", "POST", "/api/v1/users",
             {"kind": "staff", "username": f"type.{RUN}", "display_name": "Cán bộ", "roles": ["specialist"],
              "unit_code": "00004", "password": "mat-khau-du-dai-1"}, {}),
            ("system_admin", "PATCH", f"/api/v1/users/{specialist}", {"display_name": "Đổi tên"}, {}),
            ("system_admin", "POST", f"/api/v1/users/{specialist}/password",
             {"new_password": "mat-khau-moi-du-dai-1"}, {}),
            ("system_admin", "PUT", "/api/v1/calendar/2031/overrides", {"days_off": []}, {}),
            ("system_admin", "PUT", "/api/v1/units/00025/calendar-settings", hours, {}),
            # The catalog's writes (an import may also be text/csv, which is not tried here).
            ("system_admin", "POST", "/api/v1/procedures", {"code": f"T.{RUN}"}, {}),
            ("system_admin", "PUT", "/api/v1/procedures/1.013703", {"code": "1.013703"}, {}),
            ("system_admin", "POST", "/api/v1/procedures/import", {"procedures": []}, {}),
        ]

        def state():
            status, _, dossier = self.call("GET", f"/api/v1/dossiers/{d['id']}", role="leader")
            self.assertEqual(status, 200, dossier)
            status, _, users = self.call("GET", "/api/v1/users?limit=500", role="system_admin")
            self.assertEqual(status, 200, users)
            return (self.citizen_dossiers(), dossier["version"], users["items"],
                    self.call("GET", "/api/v1/calendar/2031/overrides")[2],
                    self.call("GET", "/api/v1/units/00025/calendar-settings")[2])

        before = state()
        for role, method, path, doc, extra in sent:
            for ctype in (None, "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                          "multipart/form-data; boundary=x", "text/json", "application/jsonp",
                          "application/json+xml", "json"):
                with self.subTest(path=path, content_type=ctype):
                    h = {**(self.server.auth_headers(role) if role else {}), **extra}
                    if ctype:
                        h["Content-Type"] = ctype
                    status, got, raw = self.server.request(method, path, json.dumps(doc), h)
                    problem = self.assertProblem(status, got, raw, 415, "Content-Type")
                    self.assertIn("application/json", problem["detail"])
                    self.assertIn("application/json", problem["detail_vi"])
        self.assertEqual(state(), before)
        # JSON by any spelling is taken: parameters, case, a +json type.
        for ctype in ("application/json; charset=utf-8", "Application/JSON ;charset=UTF-8",
                      "application/vnd.motcua+json"):
            status, got, doc = self.call("POST", "/api/v1/dossiers", None, "citizen",
                                         {"Content-Type": ctype})
            self.assertProblem(status, got, doc, 400, "body")  # no body: not a 415
            h = {**self.server.auth_headers("citizen"), "Content-Type": ctype}
            status, _, raw = self.server.request("POST", "/api/v1/dossiers", json.dumps(submission), h)
            self.assertEqual(status, 201, raw)
        # No body, no type: an action that takes nothing is not refused for the type.
        d = self.receive_new()
        status, _, d = self.act("leader", d["id"], "assign", d["version"], {"assignee": specialist})
        self.assertEqual(status, 200, d)
        status, _, raw = self.server.request("POST", f"/api/v1/dossiers/{d['id']}/actions/propose", None,
                                             {**self.server.auth_headers("specialist"),
                                              "If-Match": f'"{d["version"]}"'})
        self.assertEqual(status, 200, raw)
        self.assertEqual(json.loads(raw)["state"], "proposed")


if __name__ == "__main__":
    harness.run_suites([BadInput])
