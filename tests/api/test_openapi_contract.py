"""The OpenAPI document against the real binary, on SQLite and PostgreSQL:
the document the server serves (GET /api/v1/openapi.json) is read, and real
answers are checked against the schemas it gives for them. Every GET route is
called, and the writes of a dossier's journey, of a payment and of the
catalog; the JSON bodies sent are checked against the documented request
schemas too, so a schema that refuses what the server takes is caught.

The validator is this file's own (the CI machine's Python may lack
jsonschema): the subset of JSON Schema 2020-12 the document uses. A keyword
it does not know is an error, not a constraint silently skipped, and
ValidatorChecks feeds it hand-made bad documents, so a validator that accepts
everything fails."""
import datetime
import hashlib
import hmac
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

import harness
from harness import run_suites

from dossier_client import APPLICANT, RUN, VN, DossierClient

SOURCE_DOCUMENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "api",
                               "openapi.json")
PLATFORM = "https://thanhtoan.dichvucong.example/pay"
PAY_KEY = b"contract-" + os.urandom(16).hex().encode()

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class Validator:
    """Checks a JSON value (as json.loads gives it) against a schema of an
    OpenAPI 3.1 document: $ref into the document, type (one or a list:
    integer, number, string, boolean, array, object, null), enum, const,
    required, properties, additionalProperties (true, false or a schema),
    items, allOf, anyOf, oneOf, if/then/else, minimum, maximum, minLength,
    maxLength, pattern, minItems, maxItems, uniqueItems, and format date and
    date-time. An integer is a number written without a fraction (1, not
    1.0); true is not a number. Keywords that only describe are passed over;
    any other is an error (ValueError)."""
    CHECKS = {"$ref", "type", "enum", "const", "required", "properties", "additionalProperties", "items",
              "allOf", "anyOf", "oneOf", "if", "then", "else", "minimum", "maximum", "minLength", "maxLength",
              "pattern", "minItems", "maxItems", "uniqueItems", "format"}
    NOTES = {"description", "example", "default", "readOnly", "writeOnly", "title", "deprecated"}

    def __init__(self, document):
        self.document = document

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError("not a local reference: " + ref)
        at = self.document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(at, dict) or part not in at:
                raise ValueError("reference to nothing: " + ref)
            at = at[part]
        return at

    def errors(self, value, schema, at="$"):
        """What is wrong with `value`, one line each; empty when it conforms."""
        out = []
        self._check(value, schema, at, out)
        return out

    @staticmethod
    def is_type(v, t):
        if t == "null":
            return v is None
        if t == "boolean":
            return isinstance(v, bool)
        if t == "integer":
            return isinstance(v, int) and not isinstance(v, bool)
        if t == "number":
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        if t == "string":
            return isinstance(v, str)
        if t == "array":
            return isinstance(v, list)
        if t == "object":
            return isinstance(v, dict)
        raise ValueError("unknown type " + repr(t))

    @staticmethod
    def same(a, b):
        """JSON equality: 1 is not true, and "1" is not 1."""
        if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
            return type(a) is type(b) and a == b
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a == b
        if type(a) is not type(b):
            return False
        if isinstance(a, list):
            return len(a) == len(b) and all(Validator.same(x, y) for x, y in zip(a, b))
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(Validator.same(a[k], b[k]) for k in a)
        return a == b

    def _check(self, v, s, at, out):
        if s is True:
            return
        if s is False:
            out.append(f"{at}: nothing is allowed here")
            return
        unknown = set(s) - self.CHECKS - self.NOTES
        if unknown:
            raise ValueError(f"{at}: the validator does not know {sorted(unknown)}")
        if "$ref" in s:
            self._check(v, self.resolve(s["$ref"]), at, out)
        if "type" in s:
            types = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(self.is_type(v, t) for t in types):
                out.append(f"{at}: {json.dumps(v, ensure_ascii=False)[:80]} is not {' or '.join(types)}")
                return
        if "enum" in s and not any(self.same(v, e) for e in s["enum"]):
            out.append(f"{at}: {json.dumps(v, ensure_ascii=False)[:80]} is not one of {s['enum']}")
        if "const" in s and not self.same(v, s["const"]):
            out.append(f"{at}: {json.dumps(v, ensure_ascii=False)[:80]} is not {s['const']!r}")
        for sub in s.get("allOf", []):
            self._check(v, sub, at, out)
        if "anyOf" in s and not any(not self.errors(v, sub, at) for sub in s["anyOf"]):
            out.append(f"{at}: matches none of anyOf: " + "; ".join(
                e for sub in s["anyOf"] for e in self.errors(v, sub, at)))
        if "oneOf" in s:
            fits = [sub for sub in s["oneOf"] if not self.errors(v, sub, at)]
            if len(fits) != 1:
                why = "; ".join(e for sub in s["oneOf"] for e in self.errors(v, sub, at))
                out.append(f"{at}: matches {len(fits)} of oneOf, not 1" + (": " + why if why else ""))
        if "if" in s:
            branch = s.get("then") if not self.errors(v, s["if"], at) else s.get("else")
            if branch is not None:
                self._check(v, branch, at, out)
        if isinstance(v, dict):
            for name in s.get("required", []):
                if name not in v:
                    out.append(f"{at}: lacks required {name}")
            props = s.get("properties", {})
            for name, x in v.items():
                if name in props:
                    self._check(x, props[name], f"{at}.{name}", out)
                elif "additionalProperties" in s:
                    self._check(x, s["additionalProperties"], f"{at}.{name}", out)
        if isinstance(v, list):
            if "items" in s:
                for i, x in enumerate(v):
                    self._check(x, s["items"], f"{at}[{i}]", out)
            if len(v) < s.get("minItems", 0):
                out.append(f"{at}: fewer than {s['minItems']} items")
            if "maxItems" in s and len(v) > s["maxItems"]:
                out.append(f"{at}: more than {s['maxItems']} items")
            if s.get("uniqueItems") and any(self.same(v[i], v[j]) for i in range(len(v))
                                            for j in range(i + 1, len(v))):
                out.append(f"{at}: items repeat")
        if isinstance(v, str):
            if len(v) < s.get("minLength", 0):
                out.append(f"{at}: shorter than {s['minLength']}")
            if "maxLength" in s and len(v) > s["maxLength"]:
                out.append(f"{at}: longer than {s['maxLength']}")
            if "pattern" in s and not re.search(s["pattern"], v):
                out.append(f"{at}: {v!r} does not match {s['pattern']}")
            fmt = s.get("format")
            if fmt == "date" and not self.date(v):
                out.append(f"{at}: {v!r} is not a date YYYY-MM-DD")
            if fmt == "date-time" and not self.date_time(v):
                out.append(f"{at}: {v!r} is not an RFC 3339 time")
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if "minimum" in s and v < s["minimum"]:
                out.append(f"{at}: {v} is below {s['minimum']}")
            if "maximum" in s and v > s["maximum"]:
                out.append(f"{at}: {v} is above {s['maximum']}")

    @staticmethod
    def date(v):
        try:
            return bool(DATE.match(v)) and bool(datetime.date.fromisoformat(v))
        except ValueError:
            return False

    @staticmethod
    def date_time(v):
        try:
            return bool(DATE_TIME.match(v)) and bool(datetime.datetime.fromisoformat(v.replace("Z", "+00:00")))
        except ValueError:
            return False


def schema(name):
    return {"$ref": "#/components/schemas/" + name}


class ValidatorChecks(unittest.TestCase):
    """The validator on hand-made documents: what it must refuse, it refuses.
    Run against the document of the source tree; no server."""
    BACKEND = None

    @classmethod
    def setUpClass(cls):
        with open(SOURCE_DOCUMENT, encoding="utf-8") as f:
            cls.v = Validator(json.load(f))

    def bad(self, value, s, *expected):
        errors = self.v.errors(value, s)
        self.assertTrue(errors, f"accepted {value!r}")
        for e in expected:
            self.assertTrue(any(e in line for line in errors), (e, errors))

    def good(self, value, s):
        self.assertEqual(self.v.errors(value, s), [])

    def test_a_hand_made_schema(self):
        s = {"type": "object", "required": ["a"],
             "properties": {"a": {"type": "integer"}, "b": {"type": "string", "enum": ["x", "y"]},
                            "c": {"type": ["string", "null"], "format": "date-time"},
                            "d": {"type": "array", "items": {"type": "number", "minimum": 0}}},
             "additionalProperties": {"type": "boolean"}}
        self.good({"a": 1, "b": "x", "c": None, "d": [0, 1.5], "e": True}, s)
        self.good({"a": 1, "c": "2026-07-01T08:00:00+07:00"}, s)
        self.bad({"b": "x"}, s, "lacks required a")
        self.bad({"a": "1"}, s, "$.a")
        self.bad({"a": 1.5}, s, "$.a")
        self.bad({"a": True}, s, "$.a")
        self.bad({"a": 1, "b": "z"}, s, "not one of")
        self.bad({"a": 1, "c": "2026-07-01 08:00"}, s, "RFC 3339")
        self.bad({"a": 1, "d": [1, -1]}, s, "$.d[1]")
        self.bad({"a": 1, "d": [1, "2"]}, s, "$.d[1]")
        self.bad({"a": 1, "e": "yes"}, s, "$.e")
        self.bad([], s, "is not object")
        self.bad(None, s)

    def test_the_documents_schemas_refuse_bad_answers(self):
        notice = {"recorded": True, "dossier_id": "HS1", "code": "", "version": 2, "replayed": False}
        self.good(notice, schema("PaymentRecorded"))
        self.bad({k: x for k, x in notice.items() if k != "replayed"}, schema("PaymentRecorded"),
                 "lacks required replayed")
        self.bad(dict(notice, version="2"), schema("PaymentRecorded"), "$.version")
        self.bad(dict(notice, recorded=1), schema("PaymentRecorded"), "$.recorded")

        event = {"seq": 1, "at": "2026-07-01T08:00:00+07:00", "actor": {"user_id": "1", "role": "citizen", "unit": ""},
                 "action": "submit", "from": "draft", "to": "submitted", "note": "", "payload": {"channel": "online"},
                 "prev_hash": "0" * 64, "hash": "a" * 64}
        self.good(event, schema("DossierEvent"))
        self.bad(dict(event, to="lost"), schema("DossierEvent"), "$.to", "not one of")
        self.bad(dict(event, actor={"user_id": 1, "role": "citizen", "unit": ""}), schema("DossierEvent"),
                 "$.actor.user_id")
        self.bad(dict(event, actor={"role": "citizen", "unit": ""}), schema("DossierEvent"), "lacks required user_id")
        self.bad({"dossier_id": "HS1", "code": "", "items": [dict(event, seq="1")]}, schema("DossierEvents"),
                 "$.items[0].seq")

        # additionalProperties as a schema; a nullable type list.
        routes = {"routes": [], "permissions": [{"name": "public", "description": "",
                                                 "grants": {"citizen": "national"}}]}
        self.good(routes, schema("AccessRoutes"))
        routes["permissions"][0]["grants"]["citizen"] = "everywhere"
        self.bad(routes, schema("AccessRoutes"), "$.permissions[0].grants.citizen")
        self.good({"date": "2026-07-01"}, {"type": "object", "properties": {"date": {"type": ["string", "null"]}}})
        self.bad({"unit": {"code": "VN", "level": "nation", "name": "", "name_en": "", "province_code": None}},
                 {"properties": {"unit": schema("StatsUnit")}}, "$.unit.province_code")

        # allOf: a version lacks what its procedure must have, or its own members.
        procedure = {"code": "L.000001", "name": "n", "field": "f", "group": "", "competent_level": "commune",
                     "competent_agency": "", "online_level": "none",
                     "channels": [{"channel": "counter", "time_amount": None, "time_unit": None, "time_text": "",
                                   "fee_vnd": None, "fee_text": "", "note": ""}],
                     "components": [], "component_notes": [], "steps": [], "legal_basis": [], "result": "",
                     "decentralisation": None, "verify": [], "source": "", "original": {},
                     "version": 1, "retired": False, "created_at": "2026-07-01T08:00:00+07:00"}
        self.good(procedure, schema("ProcedureVersion"))
        self.bad({k: x for k, x in procedure.items() if k != "retired"}, schema("ProcedureVersion"),
                 "lacks required retired")
        self.bad({k: x for k, x in procedure.items() if k != "steps"}, schema("ProcedureVersion"),
                 "lacks required steps")
        self.bad(dict(procedure, channels=[{"channel": "counter"}]), schema("ProcedureVersion"),
                 "$.channels[0]: lacks required note")
        self.bad(dict(procedure, channels=[dict(procedure["channels"][0], time_unit="weeks")]),
                 schema("ProcedureVersion"), "$.channels[0].time_unit")
        self.bad(dict(procedure, decentralisation={"before_level": "commune"}), schema("ProcedureVersion"),
                 "$.decentralisation")
        # The same body as sent: its members may be left out.
        self.good({"code": "L.000001", "name": "n", "field": "f", "competent_level": "commune",
                   "online_level": "none", "channels": [{"channel": "counter"}]}, schema("ProcedureInput"))

        # oneOf: exactly one alternative.
        body = self.v.resolve("#/paths/~1api~1v1~1dossiers/post/requestBody/content/application~1json/schema")
        filed = {"procedure_code": "1.001193", "competent_unit": "00004", "applicant": dict(APPLICANT)}
        self.good(dict(filed, procedure_version="2"), body)
        self.good(dict(filed, procedure_version=2), body)
        self.bad(dict(filed, procedure_version="two"), body, "oneOf")
        self.bad(dict(filed, components=[{"form": "paper_original"}]), body, "lacks required component_id")
        self.bad(dict(filed, applicant={"kind": "robot", "name": "x"}), body, "$.applicant.kind")
        self.good({"overrides": None}, schema("CalendarYear"))
        self.bad({"overrides": 3}, schema("CalendarYear"), "oneOf")

    def test_what_it_does_not_know_is_an_error(self):
        with self.assertRaises(ValueError):
            self.v.errors(1, {"type": "integer", "multipleOf": 2})
        with self.assertRaises(ValueError):
            self.v.errors(1, schema("NoSuchSchema"))


class ContractCase(DossierClient):
    """A server whose answers are checked against the document it serves."""

    @classmethod
    def server_args(cls):
        f = tempfile.NamedTemporaryFile(prefix="motcua-paykey-", delete=False)
        f.write(PAY_KEY + b"\n")
        f.close()
        return ("--payment-url", PLATFORM, "--payment-key-file", f.name)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, _, raw = cls.server.request("GET", "/api/v1/openapi.json")
        assert status == 200, raw
        cls.document = json.loads(raw)
        cls.validator = Validator(cls.document)
        cls.checked = set()  # (method, path template) of the 2xx answers checked
        cls.created_procedures = []

    def setUp(self):
        self.mismatches = []

    def tearDown(self):
        # Retires the procedures a test made: a PostgreSQL database outlives
        # the run, and other suites read its catalog.
        for code in self.created_procedures:
            status, _, doc = self.call("GET", "/api/v1/procedures/" + code)
            if status == 200 and not doc["retired"]:
                self.call("DELETE", "/api/v1/procedures/" + code, role="system_admin")
        self.created_procedures.clear()

    def operation(self, method, path):
        """The document's (template, operation) for a concrete path."""
        path = urllib.parse.urlsplit(path).path
        best = None
        for template, item in self.document["paths"].items():
            pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path) and method.lower() in item:
                if best is None or template.count("{") < best[0].count("{"):
                    best = (template, item[method.lower()])
        self.assertIsNotNone(best, f"{method} {path} is not in the document")
        return best

    def follow(self, x):
        while isinstance(x, dict) and "$ref" in x and len(x) <= 2:  # a $ref, maybe with a description
            x = self.validator.resolve(x["$ref"])
        return x

    def exchange(self, method, path, body=None, role=None, headers=None, want=None, token=None,
                 content_type="application/json"):
        """Sends a request and checks it both ways: a JSON body against the
        operation's request schema, the answer against the schema of its
        status and media type. Returns (status, headers, parsed JSON or raw)."""
        template, op = self.operation(method, path)
        what = f"{method} {path}"
        h = dict(headers or {})
        if role:
            h.update(self.server.auth_headers(role))
        if token:
            h["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            if isinstance(body, (bytes, str)):
                data = body
            else:
                data = json.dumps(body)
                request = op["requestBody"]["content"][content_type]["schema"]
                self.mismatches += [f"{what} request: {e}" for e in self.validator.errors(body, request)]
            h["Content-Type"] = content_type
        status, answer_headers, raw = self.server.request(method, path, data, h)
        if want is not None:
            self.assertIn(status, want if isinstance(want, tuple) else (want,), f"{what}: {raw[:2000]!r}")
        self.assertIn(str(status), op["responses"], f"{what}: status {status} is not documented")
        response = self.follow(op["responses"][str(status)])
        content = response.get("content", {})
        media = answer_headers.get("content-type", "").split(";")[0].strip()
        if 200 <= status < 300:
            self.checked.add((method, template))
        if not content:
            self.assertEqual(raw, b"", f"{what}: {status} is documented without a body")
            return status, answer_headers, None
        self.assertIn(media, content, f"{what}: {status} answered as {media!r}, documented {list(content)}")
        doc = raw
        if media == "application/json" or media.endswith("+json"):
            doc = json.loads(raw)
            errors = self.validator.errors(doc, content[media]["schema"])
            self.mismatches += [f"{what} {status}: {e}" for e in errors]
        return status, answer_headers, doc

    def get(self, path, role=None, want=200, **kw):
        return self.exchange("GET", path, role=role, want=want, **kw)[2]

    def conforms(self):
        if self.mismatches:
            self.fail(f"{len(self.mismatches)} disagreements with the document:\n" + "\n".join(self.mismatches[:60]))

    def new_code(self):
        return "L.9%05d" % random.randrange(100000)


class Contract(ContractCase):
    """Every GET route, and the writes of a journey, a payment and the catalog."""

    # --- The catalog ---

    def test_a_the_catalog_answers_as_documented(self):
        page = self.get("/api/v1/procedures?limit=50")
        codes = [p["code"] for p in page["items"]]
        while page["next_cursor"]:
            page = self.get("/api/v1/procedures?limit=50&cursor=" + urllib.parse.quote(page["next_cursor"]))
            codes += [p["code"] for p in page["items"]]
        self.get("/api/v1/procedures?q=khai%20sinh&level=commune")
        self.get("/api/v1/procedures?q=zzzzkhongco")
        for code in codes:  # each procedure, with its decentralisation, flags and originals
            self.get("/api/v1/procedures/" + urllib.parse.quote(code))
        self.get("/api/v1/procedures/1.001193?version=1")
        self.exchange("GET", "/api/v1/procedures/L.000000", want=404)
        self.get("/api/v1/bundles")
        export = self.get("/api/v1/procedures/export", "system_admin")
        self.assertEqual(len(export["procedures"]), len(codes))
        self.get("/api/v1/procedures/export?format=csv", "system_admin")

        # Create, edit, retire; then import in both forms and delete.
        code = self.new_code()
        new = {"code": code, "name": "Thủ tục thử hợp đồng OpenAPI " + RUN, "field": "Kiểm thử hợp đồng",
               "group": "Thử", "competent_level": "commune", "competent_agency": "Ủy ban nhân dân cấp xã",
               "online_level": "none",
               "channels": [{"channel": "counter", "time_amount": 5, "time_unit": "working_days",
                             "time_text": "05 ngày làm việc", "fee_vnd": 10000, "fee_text": "10.000 đồng"},
                            {"channel": "post"}],
               "components": [{"name": "Đơn đề nghị", "copy_kind": "original", "quantity": 1},
                              {"name": "Giấy uỷ quyền", "requirement": "conditional", "condition": "Khi uỷ quyền",
                               "channels": ["counter"]}],
               "component_notes": ["Ghi chú"], "steps": ["Nộp hồ sơ", "Nhận kết quả"],
               "legal_basis": ["123/2015/NĐ-CP"], "result": "Giấy xác nhận",
               "decentralisation": {"before_level": "district", "after_level": "commune", "since": "2025-07-01",
                                    "decree": "120/2025/NĐ-CP"},
               "verify": [{"field": "channels[0].fee_vnd", "note": "Đối chiếu"}], "source": "test",
               "original": {"fee": "10.000 đồng"}}
        status, headers, made = self.exchange("POST", "/api/v1/procedures", new, "system_admin", want=(201, 409))
        if status == 409:  # the code was taken by an earlier run: another
            code = new["code"] = self.new_code()
            status, headers, made = self.exchange("POST", "/api/v1/procedures", new, "system_admin", want=201)
        self.created_procedures.append(code)
        edited = dict(made, steps=made["steps"] + ["Lưu hồ sơ"], decentralisation=None)
        status, headers, again = self.exchange("PUT", "/api/v1/procedures/" + code, edited, "system_admin",
                                               {"If-Match": headers["etag"]}, want=200)
        self.assertEqual(again["version"], 2)
        status, headers, gone = self.exchange("POST", f"/api/v1/procedures/{code}/retire", None, "system_admin",
                                              {"If-Match": headers["etag"]}, want=200)
        self.assertTrue(gone["retired"])
        self.get(f"/api/v1/procedures/{code}?version=1")

        first, second = self.new_code(), self.new_code()
        self.created_procedures += [first, second]
        base = {k: new[k] for k in ("name", "field", "competent_level", "online_level", "channels")}
        self.exchange("POST", "/api/v1/procedures/import", {"procedures": [dict(base, code=first)]}, "system_admin",
                      want=200)
        self.exchange("POST", "/api/v1/procedures/import", [dict(base, code=second)], "system_admin", want=200)
        self.exchange("DELETE", "/api/v1/procedures/" + first, None, "system_admin", want=200)
        self.conforms()

    # --- A dossier's journey, its payment, a bundle ---

    def test_b_a_dossiers_journey_answers_as_documented(self):
        # An upload of the citizen's, given as a paper's scan.
        pdf = b"%PDF-1.4\n% contract " + RUN.encode() + b"\n1 0 obj << >> endobj\n%%EOF\n"
        status, _, up = self.exchange("POST", "/api/v1/attachments", pdf, "citizen", content_type="application/pdf",
                                      want=201)
        self.exchange("POST", "/api/v1/attachments", pdf, "citizen", content_type="application/pdf", want=200)
        self.get(f"/api/v1/attachments/{up['sha256']}/meta", "citizen")

        filed = {"procedure_code": "L.000007", "procedure_version": "1", "competent_unit": "00004",
                 "channel": "online", "applicant": dict(APPLICANT, email="dan@example.vn"),
                 "form_data": {"ly_do": "Tạm trú", "so_nguoi": 2, "nested": {"a": [1, None, True]}},
                 "components": [{"component_id": "c1", "form": "uploaded_file", "file_ref": up["sha256"]}]}
        key = {"Idempotency-Key": "contract-" + RUN + "-" + self.BACKEND}
        _, _, d = self.exchange("POST", "/api/v1/dossiers", filed, "citizen", key, want=201)
        self.exchange("POST", "/api/v1/dossiers", filed, "citizen", key, want=200)  # replayed
        ref = d["id"]

        # Paid online through the platform: the order, a failed and a paid notice.
        back = f"http://127.0.0.1:{self.server.port}/ho-so/{ref}"
        _, _, order = self.exchange("POST", f"/api/v1/dossiers/{ref}/payment", {"return_url": back}, "citizen",
                                    want=200)
        for state in ("failed", "paid"):
            notice = {"dossier_id": ref, "amount_vnd": order["amount_vnd"], "transaction": f"GD-{RUN}-{state}",
                      "status": state}
            # exchange() sends json.dumps(notice): the bytes signed here.
            signature = hmac.new(PAY_KEY, json.dumps(notice).encode(), hashlib.sha256).hexdigest()
            self.exchange("POST", "/api/v1/payments/notify", notice, headers={"Payment-Signature": signature},
                          want=200)

        # Through every step to a rating.
        d = self.get("/api/v1/dossiers/" + ref, "receiving_officer")
        scan = pdf.replace(b"contract", b"scan")
        _, _, desk = self.exchange("POST", "/api/v1/attachments", scan, "receiving_officer",
                                   content_type="application/pdf", want=201)
        papers = [{"component_id": "c1", "form": "paper_original", "file_ref": desk["sha256"], "quantity": 1},
                  {"component_id": "c2", "form": "paper_original"}]
        steps = [("receiving_officer", "receive", {"components": papers, "note": "Đủ giấy tờ"}),
                 ("leader", "assign", {"assignee": int(self.user_id("specialist"))}),
                 ("specialist", "request_supplement", {"missing": ["Bản sao sổ hộ khẩu"], "note": "Thiếu"}),
                 ("citizen", "supplement", {"components": [{"component_id": "c2", "form": "uploaded_file",
                                                            "file_ref": up["sha256"]}]}),
                 ("specialist", "propose", {"note": "Đủ điều kiện"}),
                 ("leader", "approve", {}),
                 ("leader", "issue_result", {"result": {"number": "9/GXN-" + RUN, "form": "paper"}}),
                 ("receiving_officer", "return_result", {"delivery": "post", "tracking_number": "EMS1"}),
                 ("citizen", "rate", {"score": 5, "note": "Tốt"})]
        for role, action, body in steps:
            _, _, d = self.exchange("POST", f"/api/v1/dossiers/{ref}/actions/{action}", body, role,
                                    {"If-Match": f'"{d["version"]}"'}, want=200)
        self.assertEqual((d["state"], d["rating"]["score"]), ("returned", 5), d["allowed_actions"])

        code = d["code"]
        for who in ("citizen", "leader"):
            self.get("/api/v1/dossiers/" + code, who)
            self.get(f"/api/v1/dossiers/{code}/events", who)
        self.get(f"/api/v1/dossiers/{ref}/events", "receiving_officer")
        self.get(f"/api/v1/dossiers/{code}/attachments/{up['sha256']}", "leader")
        self.get("/api/v1/public/dossiers/" + code)
        self.get("/api/v1/public/dossiers/" + code.lower())
        self.exchange("GET", "/api/v1/public/dossiers/H01.000.04-000000-0000", want=404)
        for role in ("receiving_officer", "specialist", "leader", "citizen"):
            self.get("/api/v1/inbox?limit=5", role)
        self.get("/api/v1/inbox?state=returned&channel=online&procedure=L.000007", "leader")
        self.get("/api/v1/specialists?unit=00004", "leader")

        # A desk's draft at the counter, and a bundle filed online.
        counter = {"procedure_code": self.procedure["code"], "competent_unit": "00004", "channel": "counter",
                   "applicant": {"kind": "business", "name": "Công ty TNHH Thử", "tax_code": "0100109106"}}
        self.exchange("POST", "/api/v1/dossiers", counter, "receiving_officer", want=201)
        bundle = {"competent_unit": "00004", "applicant": dict(APPLICANT), "form_data": {"ten_tre": "An"},
                  "components": {"1.001193": [{"component_id": "c1", "form": "uploaded_file",
                                               "file_ref": up["sha256"]}]}}
        self.exchange("POST", "/api/v1/bundles/LT-KHAISINH/dossiers", bundle, "citizen", want=201)
        self.conforms()

    # --- Operations centre, accounts, audit, the rest ---

    def test_c_figures_accounts_and_the_rest_answer_as_documented(self):
        today = datetime.datetime.now(VN).date()
        for unit in ("00004", "01", "VN", "01&scope=own"):
            self.get(f"/api/v1/stats/indicators?unit={unit}", "national_viewer")
            self.get(f"/api/v1/stats/series?unit={unit}&period=week", "national_viewer")
            self.get(f"/api/v1/stats/warnings?unit={unit}", "national_viewer")
            self.get(f"/api/v1/stats/forecast?unit={unit}", "national_viewer")
        self.get(f"/api/v1/stats/indicators?unit=00004&from={today.replace(day=1)}&to={today}", "leader")
        self.get("/api/v1/stats/indicators?unit=00004&period=year&format=csv", "leader")
        for unit in ("01", "VN", "01&scope=own"):
            self.get(f"/api/v1/stats/units?unit={unit}", "national_viewer")
        for status in ("received", "finished", "on_time", "late", "open", "overdue"):
            self.get(f"/api/v1/stats/dossiers?unit=00004&status={status}&period=year", "leader")
        self.get("/api/v1/stats/dossiers?unit=01&scope=own", "national_viewer")

        # Accounts: sign in, who am I, the accounts and their logs.
        account = self.server.demo_accounts["leader"]
        _, _, login = self.exchange("POST", "/api/v1/auth/login",
                                    {"username": account["username"], "password": account["password"],
                                     "session": "bearer"}, want=200)
        me = self.get("/api/v1/auth/me", token=login["token"])
        self.exchange("POST", "/api/v1/auth/logout", None, token=login["token"], want=204)
        self.get("/api/v1/users?limit=3", "system_admin")
        self.get("/api/v1/users?unit=00004&kind=staff", "system_admin")
        self.get(f"/api/v1/users/{me['user']['id']}", "system_admin")
        name = "contract." + hashlib.sha256(RUN.encode()).hexdigest()[:12]
        _, _, user = self.exchange("POST", "/api/v1/users",
                                   {"kind": "staff", "username": name, "display_name": "Người thử",
                                    "roles": ["specialist"], "unit_code": "00004",
                                    "password": "mat-khau-" + RUN}, "system_admin", want=201)
        self.exchange("PATCH", f"/api/v1/users/{user['id']}", {"display_name": "Người thử hai",
                                                               "phone": "0912000111"}, "system_admin", want=200)
        self.exchange("DELETE", f"/api/v1/users/{user['id']}/sessions", None, "system_admin", want=200)
        self.exchange("POST", f"/api/v1/users/{user['id']}/password", {"password": "dat-lai-" + RUN}, "system_admin",
                      want=204)
        _, _, theirs = self.exchange("POST", "/api/v1/auth/login", {"username": name, "password": "dat-lai-" + RUN},
                                     want=200)
        self.exchange("POST", "/api/v1/auth/password", {"current_password": "dat-lai-" + RUN,
                                                        "new_password": "tu-dat-" + RUN}, token=theirs["token"],
                      want=204)
        page = self.get("/api/v1/audit/personal-data-views?limit=2", "system_admin")
        if page["next_cursor"]:
            self.get("/api/v1/audit/personal-data-views?limit=2&cursor=" + page["next_cursor"], "system_admin")
        self.get(f"/api/v1/audit/personal-data-views?subject_kind=dossier&from={today}", "system_admin")
        page = self.get("/api/v1/audit/account-changes?limit=2", "system_admin")
        self.get("/api/v1/audit/account-changes?actor_id=0&limit=500", "system_admin")
        self.get("/api/v1/access/routes")

        # The server, the units and the calendar.
        self.get("/healthz")
        self.get("/metrics")
        self.get("/api/v1/openapi.json")
        self.get("/api/v1/units?province=01&limit=5")
        self.get("/api/v1/units?level=province&limit=100")
        self.get("/api/v1/units/resolve?q=" + urllib.parse.quote("Phường Ba Đình, Hà Nội"))
        for code in ("01", "00004"):
            self.get("/api/v1/units/" + code)
        self.get("/api/v1/units/00004/calendar-settings")
        self.get(f"/api/v1/calendar/{today.year}?unit=00004")
        self.get(f"/api/v1/calendar/{today.year}/overrides")
        moment = urllib.parse.quote("2026-07-01T09:00:00+07:00")
        self.get(f"/api/v1/calendar/due?unit=00004&days=3&from={moment}")
        self.get(f"/api/v1/calendar/working-time?unit=00004&from={moment}&to="
                 + urllib.parse.quote("2026-07-03T16:00:00+07:00"))
        self.conforms()

    def test_z_every_get_and_the_listed_writes_were_checked(self):
        wanted = {("GET", path) for path, item in self.document["paths"].items() if "get" in item}
        wanted |= {("POST", "/api/v1/dossiers"), ("POST", "/api/v1/bundles/{code}/dossiers"),
                   ("POST", "/api/v1/dossiers/{code}/actions/{action}"), ("POST", "/api/v1/dossiers/{code}/payment"),
                   ("POST", "/api/v1/payments/notify"), ("POST", "/api/v1/procedures"),
                   ("PUT", "/api/v1/procedures/{code}"), ("DELETE", "/api/v1/procedures/{code}"),
                   ("POST", "/api/v1/procedures/{code}/retire"), ("POST", "/api/v1/procedures/import")}
        self.assertEqual(sorted(wanted - self.checked), [])
        print(f"\n{self.BACKEND}: {len(self.checked)} operations checked against the document:",
              ", ".join(f"{m} {p}" for m, p in sorted(self.checked, key=lambda x: (x[1], x[0]))), file=sys.stderr)


def own_database(url, name):
    """A fresh PostgreSQL database `name` on the server of `url`."""
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", "-qAt", url, "-c", sql], check=True, capture_output=True)
    parts = urllib.parse.urlsplit(url)  # postgresql:///db?host=... keeps its empty host
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


class History(ContractCase):
    """Figures and dossiers of a simulated history (`motcua simulate`, on a
    database of its own): dossiers in every state, finished, late and overdue
    ones, warnings and a forecast with its error, which a fresh database has
    none of."""

    @classmethod
    def setUpClass(cls):
        if cls.BACKEND is None:
            raise unittest.SkipTest("base class")
        if cls.BACKEND == "postgresql":
            own = own_database(cls.DB_URL(cls.__name__), "motcua_contract_history")
            cls.DB_URL = staticmethod(lambda name, url=own: url)
        at = datetime.datetime.now(VN).replace(microsecond=0)
        out = subprocess.run([harness.ARGS.binary, "simulate", "--db", cls.DB_URL(cls.__name__), "--data",
                              harness.ARGS.data, "--province", "01", "--days", "70", "--per-day", "1",
                              "--seed", "11", "--at", at.isoformat()], capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stdout + out.stderr
        super().setUpClass()

    def test_figures_of_a_history(self):
        watched = 0
        for unit in ("00004", "01", "VN", "01&scope=own"):
            for period in ("month", "quarter"):
                self.get(f"/api/v1/stats/indicators?unit={unit}&period={period}", "national_viewer")
            self.get(f"/api/v1/stats/series?unit={unit}&period=quarter", "national_viewer")
            warnings = self.get(f"/api/v1/stats/warnings?unit={unit}&limit=1000", "national_viewer")
            watched += len(warnings["overdue"]) + len(warnings["due_soon"])
            self.get(f"/api/v1/stats/forecast?unit={unit}&per_staff=7.5", "national_viewer")
        self.assertGreater(watched, 0)
        forecast = self.get("/api/v1/stats/forecast?unit=01", "national_viewer")
        self.assertIsNotNone(forecast["error"])
        for unit in ("01", "VN", "01&scope=own"):
            self.get(f"/api/v1/stats/units?unit={unit}&period=quarter", "national_viewer")
        self.conforms()

    def test_dossiers_of_a_history(self):
        # Some dossiers of each figure of the commune the demo staff work at,
        # read whole, with their logs, as its staff and the public see them.
        codes = []
        for status in ("received", "finished", "on_time", "late", "open", "overdue"):
            page = self.get(f"/api/v1/stats/dossiers?unit=00004&status={status}&period=quarter&limit=1000",
                            "leader")
            codes += [d["code"] for d in page["items"][:12]]
        self.assertGreater(len(set(codes)), 10)
        for code in sorted(set(codes)):
            self.get("/api/v1/dossiers/" + code, "leader")
            self.get(f"/api/v1/dossiers/{code}/events", "leader")
            self.get("/api/v1/public/dossiers/" + code)
        for role in ("receiving_officer", "specialist", "leader"):
            self.get("/api/v1/inbox?limit=200", role)
        for state in ("waiting_supplement", "in_progress", "returned", "refused", "withdrawn"):
            self.get(f"/api/v1/inbox?limit=50&state={state}", "leader")
        self.get("/api/v1/audit/personal-data-views?limit=500", "system_admin")
        self.conforms()


if __name__ == "__main__":
    run_suites([ValidatorChecks, Contract, History])
