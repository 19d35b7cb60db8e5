"""The registry of administrative units over HTTP: search, one unit, resolve."""
import csv
import os
import urllib.parse

import harness


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params) if params else path


class Units(harness.ServerCase):
    def test_provinces_in_force_now_and_before_the_reform(self):
        status, _, doc = self.server.get_json(q("/api/v1/units", level="province", at="2025-08-01", limit=100))
        self.assertEqual(status, 200, doc)
        self.assertEqual(len(doc["items"]), 34)
        self.assertIsNone(doc["next_cursor"])
        status, _, doc = self.server.get_json(q("/api/v1/units", level="province", at="2025-01-04", limit=100))
        self.assertEqual(len(doc["items"]), 63)

    def test_pagination_walks_every_commune_of_a_province_once(self):
        with open(os.path.join(harness.ARGS.data, "units/2025-07-01/communes.csv"), encoding="utf-8") as f:
            expected = sorted(r["code"] for r in csv.DictReader(f) if r["province_code"] == "01")
        seen, cursor = [], None
        for _ in range(200):
            params = dict(level="commune", province="01", limit=7, at="2025-08-01")
            if cursor:
                params["cursor"] = cursor
            status, _, doc = self.server.get_json(q("/api/v1/units", **params))
            self.assertEqual(status, 200, doc)
            self.assertLessEqual(len(doc["items"]), 7)
            seen += [u["code"] for u in doc["items"]]
            cursor = doc["next_cursor"]
            if not cursor:
                break
        self.assertEqual(sorted(seen), expected)
        self.assertEqual(len(seen), len(set(seen)))

    def test_a_search_word_is_not_matched_by_the_beginning_of_a_type_word(self):
        # "phú" begins "phường": every ward matched it, Phường Ba Đình first.
        status, _, doc = self.server.get_json(q("/api/v1/units", q="tân phú", level="commune", limit=200))
        self.assertEqual(status, 200, doc)
        self.assertTrue(doc["items"])
        for u in doc["items"]:  # a word of the name begins each: "Tân Phú", "Phước Tân"
            self.assertRegex(u["name_en"], r"(?i)\btan", u)
            self.assertRegex(u["name_en"], r"(?i)\bphu", u)
        status, _, doc = self.server.get_json(q("/api/v1/units", q="Phường Ba Đình", level="commune"))
        self.assertIn("00004", [u["code"] for u in doc["items"]])

    def test_search_folds_case_diacritics_and_tone_mark_placement(self):
        variants = ["Hòa", "Hoà", "hoa", "HOÀ", "Ho\u0300a"]
        results = []
        for v in variants:
            status, _, doc = self.server.get_json(q("/api/v1/units", level="commune", q=v + " khánh", limit=100))
            self.assertEqual(status, 200, doc)
            results.append(sorted(u["code"] for u in doc["items"]))
        self.assertTrue(results[0], "expected some Hòa Khánh units")
        for r in results[1:]:
            self.assertEqual(r, results[0])
        status, _, doc = self.server.get_json(q("/api/v1/units", q="dak lak", level="province"))
        self.assertEqual([u["name"] for u in doc["items"]], ["Đắk Lắk"])

    def test_one_unit_with_its_dated_versions(self):
        status, _, doc = self.server.get_json(q("/api/v1/units/00745", at="2025-08-01"))
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["name"], "Phó Bảng")
        status, _, doc2 = self.server.get_json(q("/api/v1/units/00745", at="2026-06-01"))
        self.assertEqual(doc2["name"], "Phố Bảng")
        names = [v["name"] for v in doc2["versions"]]
        self.assertIn("Phó Bảng", names)
        self.assertIn("Phố Bảng", names)
        _, _, dn = self.server.get_json(q("/api/v1/units/75", at="2025-08-01"))
        self.assertEqual(dn["unit_type"], "tinh")
        _, _, dn = self.server.get_json(q("/api/v1/units/75", at="2026-06-01"))
        self.assertEqual(dn["unit_type"], "thanh_pho_tw")

    def test_a_reused_code_names_the_unit_of_its_date(self):
        _, _, old = self.server.get_json(q("/api/v1/units/00004", at="2025-01-04"))
        self.assertEqual(old["full_name"], "Phường Trúc Bạch")
        _, _, new = self.server.get_json(q("/api/v1/units/00004", at="2025-08-01"))
        self.assertEqual(new["full_name"], "Phường Ba Đình")
        preds = {p["old_code"]: p["kind"] for p in new["predecessors"]}
        self.assertEqual(preds.get("00004"), "whole")
        self.assertEqual(preds.get("00016"), "partial")

    def test_province_predecessors(self):
        status, _, doc = self.server.get_json(q("/api/v1/units/75", at="2025-08-01"))
        self.assertEqual(status, 200)
        self.assertEqual(sorted(p["old_code"] for p in doc["predecessors"]), ["70", "75"])

    def test_an_old_district_lists_the_new_communes_that_took_its_communes(self):
        status, _, doc = self.server.get_json(q("/api/v1/units/760", at="2025-01-04"))  # Quận 1, HCMC
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["full_name"], "Quận 1")
        self.assertEqual([s["new_code"] for s in doc["successors"]], ["26737", "26740", "26743", "26758"])
        self.assertTrue(all(s["kind"] == "partial" for s in doc["successors"]), doc["successors"])
        self.assertTrue(doc["split"])
        _, _, ba_dinh = self.server.get_json(q("/api/v1/units/001", at="2025-01-04"))
        codes = [s["new_code"] for s in ba_dinh["successors"]]
        self.assertIn("00004", codes)
        self.assertEqual(len(codes), len(set(codes)))
        self.assertTrue(ba_dinh["split"])
        # A district that went whole into one special zone is not split.
        _, _, blv = self.server.get_json(q("/api/v1/units/318", at="2025-01-04"))
        self.assertEqual([(s["new_code"], s["kind"]) for s in blv["successors"]],
                         [("11948", "district_to_special_zone")])
        self.assertFalse(blv["split"])

    def test_an_old_province_lists_the_new_province_it_went_into(self):
        # Old provinces listed no successors while the new one listed them as predecessors.
        for code, at, new_code in [("02", None, "08"), ("34", None, "33"), ("77", None, "79"),
                                   ("08", "2025-06-30", "08")]:
            with self.subTest(code=code):
                status, _, doc = self.server.get_json(q("/api/v1/units/" + code, **({"at": at} if at else {})))
                self.assertEqual(status, 200, doc)
                self.assertEqual(doc["level"], "province")
                self.assertEqual([(s["new_code"], s["kind"]) for s in doc["successors"]], [(new_code, "whole")], doc)
                self.assertFalse(doc["split"])
        _, _, ha_giang = self.server.get_json(q("/api/v1/units/02"))
        self.assertEqual(ha_giang["successors"][0]["new_name"], "Tỉnh Tuyên Quang")

    def test_search_puts_the_name_itself_first_and_pages_soundly(self):
        def codes(**params):
            status, _, doc = self.server.get_json(q("/api/v1/units", **params))
            self.assertEqual(status, 200, doc)
            return [u["full_name"] for u in doc["items"]], doc["next_cursor"]
        names, _ = codes(q="An Hội", level="commune")
        self.assertEqual(names[0], "Phường An Hội", names)
        self.assertLess(names.index("Phường An Hội Tây"), names.index("Phường Hội An"), names)
        names, _ = codes(q="Quận 1", at="2025-06-30")
        self.assertEqual(names[0], "Quận 1", names)
        for text, unit in [("Ý Yên", "Xã Ý Yên"), ("Ba Xa", "Xã Ba Xa")]:
            self.assertEqual(codes(q=text)[0][0], unit)
        # Walking the pages of a ranked query gives each match once, in the first page's order.
        whole, _ = codes(q="an", level="commune", limit=500)
        seen, cursor = [], None
        for _ in range(100):
            params = dict(q="an", level="commune", limit=37)
            if cursor:
                params["cursor"] = cursor
            names, cursor = codes(**params)
            seen += names
            if not cursor:
                break
        self.assertEqual(seen, whole)

    def test_a_cursor_is_taken_only_by_the_query_it_was_made_for(self):
        # A garbage cursor, or one of another query, gave a 200 with a page of
        # something else (often empty) instead of a 400 as other listings do.
        first = dict(level="commune", province="01", limit=5, at="2025-08-01")
        status, _, doc = self.server.get_json(q("/api/v1/units", **first))
        self.assertEqual(status, 200, doc)
        cursor = doc["next_cursor"]
        self.assertTrue(cursor)
        status, _, page = self.server.get_json(q("/api/v1/units", **first, cursor=cursor))
        self.assertEqual(status, 200, page)
        self.assertEqual(len(page["items"]), 5)
        # The page size may change between pages: the same query.
        status, _, page = self.server.get_json(q("/api/v1/units", **dict(first, limit=50), cursor=cursor))
        self.assertEqual(status, 200, page)
        status, _, ranked = self.server.get_json(q("/api/v1/units", q="an", level="commune", limit=3))
        self.assertTrue(ranked["next_cursor"])
        others = [dict(first, province="02"), dict(first, level="province"), dict(first, at="2025-08-02"),
                  {k: v for k, v in first.items() if k != "at"}, dict(first, q="ba")]
        for params, bad in [(p, cursor) for p in others] + [
                (first, "zzz"), (first, "00004.2"), (first, cursor.rsplit("~", 1)[0]),
                (first, cursor[:-1] + ("0" if cursor[-1] != "0" else "1")),
                (first, ranked["next_cursor"]), (dict(q="an", level="commune", limit=3), cursor),
                (dict(q="an", level="province", limit=3), ranked["next_cursor"]), (first, "")]:
            with self.subTest(params=params, cursor=bad):
                status, headers, body = self.server.request("GET", q("/api/v1/units", **params, cursor=bad))
                problem = self.assertProblem(status, headers, body, 400, param="cursor")
                self.assertIn("next_cursor", problem["detail"])
        status, _, page = self.server.get_json(
            q("/api/v1/units", q="an", level="commune", limit=3, cursor=ranked["next_cursor"]))
        self.assertEqual(status, 200, page)
        self.assertEqual(len(page["items"]), 3)

    def test_names_have_no_stray_spaces_and_a_malformed_code_is_400(self):
        for code in ["21091", "19306", "25180", "28945"]:
            _, _, doc = self.server.get_json(q("/api/v1/units/" + code, at="2025-06-30"))
            self.assertEqual(doc["full_name"], doc["full_name"].strip(), doc)
            self.assertEqual(doc["name"], doc["name"].strip(), doc)
        _, _, doc = self.server.get_json(q("/api/v1/units", q="Bình Thanh", at="2025-06-30", level="commune", limit=200))
        self.assertIn("Xã Bình Thanh", [u["full_name"] for u in doc["items"]])
        for code in ["abc", "1234", "0", "123456"]:
            status, headers, body = self.server.request("GET", "/api/v1/units/" + code)
            self.assertProblem(status, headers, body, 400, param="code")

    def test_unknown_code_is_404_problem(self):
        status, headers, body = self.server.request("GET", "/api/v1/units/99999")
        self.assertProblem(status, headers, body, 404)

    def test_bad_parameters_are_400_naming_the_parameter(self):
        cases = [
            ("/api/v1/units/00004?at=2025-13-01", "at"),
            ("/api/v1/units?at=yesterday", "at"),
            ("/api/v1/units?level=district-ish", "level"),
            ("/api/v1/units?limit=0", "limit"),
            ("/api/v1/units?limit=abc", "limit"),
            ("/api/v1/units?province=1x", "province"),
            ("/api/v1/units?cursor=%00%01garbage", "cursor"),
            ("/api/v1/units/resolve", "q"),
            ("/api/v1/units/resolve?q=%20%20", "q"),
            ("/api/v1/units/resolve?q=" + "a" * 600, "q"),
            ("/api/v1/units/resolve?q=ba%20dinh&at=2025-02-30", "at"),
            ("/api/v1/units/resolve?q=%C3%28", "q"),
            # A UTF-16 surrogate and an overlong '/' are not UTF-8 either.
            ("/api/v1/units/resolve?q=ba%ED%A0%80dinh", "q"),
            ("/api/v1/units?q=%E0%80%AF", "q"),
            ("/api/v1/procedures?q=%F0%80%80%AF", "q"),
        ]
        for path, param in cases:
            with self.subTest(path=path[:60]):
                status, headers, body = self.server.request("GET", path)
                self.assertProblem(status, headers, body, 400, param=param)


class Resolve(harness.ServerCase):
    def resolve(self, text, **extra):
        status, _, doc = self.server.get_json(q("/api/v1/units/resolve", q=text, **extra))
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["query"], text)
        return doc

    def test_old_address_in_every_writing_style_finds_the_new_ward(self):
        styles = [
            "Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội",
            "P. Trúc Bạch, Q. Ba Đình, TP. Hà Nội",
            "P.Truc Bach, Q.Ba Dinh, Ha Noi",
            "PHƯỜNG TRÚC BẠCH QUẬN BA ĐÌNH HÀ NỘI",
            "12 Nguyễn Trường Tộ, phường Trúc Bạch, quận Ba Đình, Hà Nội",
            "truc bach ba dinh",
            "Phu\u031bo\u031b\u0300ng Tru\u0301c Ba\u0323ch, Ba Đình",  # decomposed Unicode
        ]
        for text in styles:
            with self.subTest(text=text):
                doc = self.resolve(text)
                self.assertTrue(doc["candidates"], doc)
                best = doc["candidates"][0]
                self.assertEqual(best["code"], "00004", doc)
                self.assertEqual(best["full_name"], "Phường Ba Đình")
                self.assertEqual(best["province_code"], "01")
                self.assertEqual(best["via"]["old_commune_code"], "00004")
                self.assertEqual(best["via"]["kind"], "whole")
                self.assertGreater(best["score"], 0)
                self.assertLessEqual(best["score"], 1)

    def test_every_old_commune_a_resolution_names_can_be_looked_up(self):
        """Three old communes are in the conversion table only (the old list of
        January 2025 lacks them): the old unit a resolution names through them
        is still a unit of the registry, as it was before the reform."""
        for text, old, new in (("Phường Bình Minh, Mộc Châu, Sơn La", "03983", "04033"),
                               ("Phường Cờ Đỏ, Mộc Châu, Sơn La", "03984", "03982")):
            with self.subTest(text=text):
                best = self.resolve(text)["candidates"][0]
                self.assertEqual((best["code"], best["via"]["old_commune_code"]), (new, old))
                status, _, unit = self.server.get_json(f"/api/v1/units/{old}")
                self.assertEqual(status, 200, unit)
                self.assertEqual(unit["level"], "commune")
                self.assertTrue(any(v["valid_to"] == "2025-07-01" for v in unit["versions"]), unit)

    def best(self, text, **extra):
        """The codes of the best-scored candidates (several when they tie)."""
        doc = self.resolve(text, **extra)
        top = [c for c in doc["candidates"] if c["score"] == doc["candidates"][0]["score"]]
        return [c["code"] for c in top]

    def test_a_province_written_without_tinh_is_the_province_not_its_old_capital(self):
        # "Cao Bằng" was read as Thành phố Cao Bằng too, so its Vĩnh Quang tied with Bảo Lâm's.
        cases = [
            ("Xã Vĩnh Quang, Huyện Bảo Lâm, Cao Bằng", ["01294"]),
            ("Phường 1, Thành phố Đông Hà, Quảng Trị", ["19333"]),
            ("Phường Ba Đình, Thị xã Bỉm Sơn, Thanh Hóa", ["14812"]),
            ("Huyện Đồng Văn, Hà Giang", ["00715", "00721", "00733", "00745", "00763", "00820"]),
            ("Huyện Đồng Văn, Tỉnh Hà Giang", ["00715", "00721", "00733", "00745", "00763", "00820"]),
            # With its type word the old city is meant.
            ("Xã Vĩnh Quang, Thành phố Cao Bằng", ["01279"]),
        ]
        for text, expected in cases:
            with self.subTest(text=text):
                self.assertEqual(sorted(self.best(text)), expected)

    def test_names_that_differ_only_in_diacritics_are_different_communes(self):
        # Minh Quán and Minh Quân (Trấn Yên) were one commune "divided" between both successors.
        doc = self.resolve("Xã Minh Quán, Huyện Trấn Yên, Tỉnh Yên Bái")
        self.assertEqual([c["code"] for c in doc["candidates"]], ["04498"], doc)
        self.assertFalse(doc["split"], doc)
        self.assertEqual(doc["candidates"][0]["via"]["old_commune_code"], "04516")
        self.assertEqual(self.best("Xã Minh Quân, Huyện Trấn Yên, Tỉnh Yên Bái"), ["04543"])
        before = self.resolve("Xã Minh Quán, Huyện Trấn Yên, Tỉnh Yên Bái", at="2025-06-30")
        self.assertEqual([(c["code"], c["full_name"]) for c in before["candidates"]], [("04516", "Xã Minh Quán")])
        self.assertEqual(self.best("Xã Trực Hùng, Huyện Trực Ninh, Tỉnh Nam Định"), ["14077"])
        self.assertEqual(self.best("Xã Hoằng Đồng, Huyện Hoằng Hóa, Tỉnh Thanh Hóa", at="2025-06-30"), ["15952"])
        # Both tone-mark placements are the same spelling; without diacritics both stay.
        self.assertEqual(self.best("Xã Hoằng Đồng, Huyện Hoằng Hoá, Tỉnh Thanh Hoá", at="2025-06-30"), ["15952"])
        self.assertEqual(sorted(self.best("Xa Minh Quan, Huyen Tran Yen, Yen Bai")), ["04498", "04543"])

    def test_special_zones_and_old_cities_named_with_their_type_word(self):
        cases = [
            ("Thành phố Phú Quốc, Kiên Giang", ["31078", "31105"]),
            ("TP Phú Quốc, Kiên Giang", ["31078", "31105"]),
            ("Huyện Kiên Hải, Kiên Giang", ["31108"]),
            ("Huyện Cô Tô, Quảng Ninh", ["07192"]),
            ("Huyện Vân Đồn, Quảng Ninh", ["06994"]),
            ("Huyện Cát Hải, Hải Phòng", ["11914"]),
            ("Huyện Trường Sa, Khánh Hòa", ["22736"]),
            ("Huyện Phú Quý, Bình Thuận", ["23272"]),  # the old list writes "Phú Quí"
            ("Thành phố Cao Bằng", ["01273", "01279", "01288"]),
            ("Thành phố Điện Biên Phủ", None),
            ("Thành phố Vinh", None),
            ("Quận Phú Xuân, Thành phố Huế", ["19753", "19774", "19804", "20014"]),
        ]
        for text, expected in cases:
            with self.subTest(text=text):
                doc = self.resolve(text)
                self.assertTrue(doc["candidates"], doc)
                if expected is None:  # an old city: every candidate comes from it
                    self.assertTrue(all(c["via"] and c["via"]["old_commune_code"] is None
                                        for c in doc["candidates"]), doc)
                    self.assertEqual(len({c["via"]["old_district_code"] for c in doc["candidates"]}), 1, doc)
                else:
                    self.assertEqual(sorted(c["code"] for c in doc["candidates"]), expected, doc)

    def test_a_type_word_is_not_part_of_another_units_name(self):
        # Phường Đúc was read inside "Phượng Dực", Thị trấn Lâm inside "Trần Lãm".
        for text in ["Phường Đúc, Quận Thuận Hóa, Thành phố Huế", "Phường Đúc, Huế",
                     "Phường Phường Đúc, Quận Thuận Hóa, Thành phố Huế"]:
            with self.subTest(text=text):
                self.assertEqual(self.best(text), ["19789"])
        for text in ["Thị trấn Lâm, Huyện Ý Yên, Tỉnh Nam Định", "TT Lâm, Ý Yên, Nam Định", "Thị trấn Lâm"]:
            with self.subTest(text=text):
                doc = self.resolve(text)
                self.assertEqual([c["code"] for c in doc["candidates"]], ["13795"], doc)
                self.assertFalse(doc["split"], doc)

    def test_saigon_abbreviations(self):
        for text in ["P. Bến Nghé, Q.1, Tp.HCM", "phuong ben nghe quan 1 tphcm", "Bến Nghé, Quận 1, HCM"]:
            with self.subTest(text=text):
                doc = self.resolve(text)
                self.assertTrue(doc["candidates"], doc)
                self.assertEqual(doc["candidates"][0]["province_code"], "79", doc)
                self.assertEqual(doc["candidates"][0]["via"]["old_commune_code"], "26740", doc)

    def test_numbers_written_with_leading_zeros_name_the_same_ward(self):
        # "Phường 01", "P.01", "Quận 03": numbers in unit names compare by value.
        plain = self.resolve("Phường 1, Quận 3, TP HCM")
        self.assertEqual(plain["candidates"][0]["code"], "27154", plain)  # Phường Bàn Cờ
        self.assertFalse(plain["split"], plain)
        for text in ["Phường 01, Quận 3, TP HCM", "P.01, Q.3, TP.HCM", "Phường 01, Quận 03, TP Hồ Chí Minh",
                     "Phường 1, Quận 03, TP HCM"]:
            with self.subTest(text=text):
                doc = self.resolve(text)
                self.assertFalse(doc["split"], doc)
                self.assertEqual([(c["code"], c["score"]) for c in doc["candidates"]],
                                 [(c["code"], c["score"]) for c in plain["candidates"]], doc)
        dalat = self.resolve("Phường 1, Thành phố Đà Lạt, Lâm Đồng")
        self.assertEqual(dalat["candidates"][0]["code"], "24781", dalat)
        doc = self.resolve("Phường 01, Thành phố Đà Lạt, Lâm Đồng")
        self.assertFalse(doc["split"], doc)
        self.assertEqual([c["code"] for c in doc["candidates"]], [c["code"] for c in dalat["candidates"]], doc)

    def test_the_units_list_reads_numbers_by_value_too(self):
        def names(q):
            status, _, doc = self.server.get_json(
                "/api/v1/units?" + urllib.parse.urlencode({"q": q, "limit": 200}))
            self.assertEqual(status, 200, doc)
            return [i["code"] for i in doc["items"]]
        plain = names("Phường 1")
        self.assertTrue(plain)
        for q in ("Phường 01", "phuong 001"):
            self.assertEqual(names(q), plain, q)

    def test_a_split_commune_returns_every_part(self):
        doc = self.resolve("Phường Ngọc Hà, Quận Ba Đình, Hà Nội")
        self.assertTrue(doc["split"], doc)
        codes = {c["code"] for c in doc["candidates"] if c["via"] and c["via"]["old_commune_code"] == "00016"}
        self.assertEqual(codes, {"00004", "00008"})
        for c in doc["candidates"]:
            if c["via"] and c["via"]["old_commune_code"] == "00016":
                self.assertEqual(c["via"]["kind"], "partial")
        self.assertTrue(doc["reason"] and doc["reason_vi"], doc)

    def test_a_new_name_resolves_to_itself(self):
        doc = self.resolve("Phường Ba Đình, Hà Nội")
        self.assertEqual(doc["candidates"][0]["code"], "00004")

    def test_names_that_repeat_across_provinces(self):
        doc = self.resolve("Xã Tân Phú")
        provinces = {c["province_code"] for c in doc["candidates"]}
        self.assertGreaterEqual(len(provinces), 2, doc)
        doc = self.resolve("Xã Tân Phú, tỉnh Đồng Nai")
        self.assertEqual(doc["candidates"][0]["province_code"], "75", doc)

    def test_a_whole_district_became_a_special_zone(self):
        doc = self.resolve("huyện Bạch Long Vĩ, Hải Phòng")
        self.assertEqual(doc["candidates"][0]["code"], "11948", doc)
        self.assertEqual(doc["candidates"][0]["via"]["kind"], "district_to_special_zone")
        self.assertEqual(doc["candidates"][0]["via"]["old_district_code"], "318")

    def test_a_new_name_before_its_unit_existed_is_not_yet_in_force(self):
        cases = [
            ("Phường Hoàn Kiếm, Hà Nội", "2025-06-30", "Phường Hàng Trống", "00043"),
            ("Phường Sài Gòn, TP HCM", "2025-03-01", "Phường Bến Nghé", "26740"),
            ("Phường Ba Đình, Hà Nội", "2025-06-30", "Phường Trúc Bạch", "00013"),
        ]
        for text, at, stranger, predecessor in cases:
            with self.subTest(text=text):
                doc = self.resolve(text, at=at)
                self.assertNotIn(stranger, [c["full_name"] for c in doc["candidates"]], doc)
                self.assertEqual(doc["candidates"], [], doc)
                self.assertIn("not yet in force", doc["reason"])
                self.assertIn("chưa có hiệu lực", doc["reason_vi"])
                self.assertIn(predecessor, [p["old_code"] for p in doc["predecessors"]], doc)
        self.assertEqual(self.resolve("Phường Hoàn Kiếm, Hà Nội")["predecessors"], [])

    def test_before_the_reform_an_old_ward_is_answered_without_split(self):
        doc = self.resolve("Phường Đa Kao, Quận 1, TP HCM", at="2025-03-01")
        self.assertEqual([(c["code"], c["full_name"]) for c in doc["candidates"]], [("26737", "Phường Đa Kao")])
        self.assertFalse(doc["split"], doc)
        self.assertIsNone(doc["reason"], doc)
        self.assertTrue(self.resolve("Phường Đa Kao, Quận 1, TP HCM")["split"])

    def test_before_the_reform_a_whole_district_is_itself(self):
        doc = self.resolve("Huyện Bạch Long Vĩ, Hải Phòng", at="2025-06-30")
        self.assertTrue(doc["candidates"], doc)
        self.assertEqual(doc["candidates"][0]["code"], "318", doc)
        self.assertEqual(doc["candidates"][0]["full_name"], "Huyện Bạch Long Vĩ")
        self.assertIsNone(doc["candidates"][0]["via"])
        self.assertIsNone(doc["reason"], doc)

    def test_a_divided_district_offers_its_new_communes(self):
        doc = self.resolve("Huyện Cần Giờ, TP HCM")
        self.assertEqual([c["code"] for c in doc["candidates"]], ["27664", "27667", "27673", "27676"], doc)
        for c in doc["candidates"]:
            self.assertEqual(c["via"], {"old_commune_code": None, "old_district_code": "787", "kind": "partial"})
        self.assertTrue(doc["split"])
        self.assertIn("divided", doc["reason"])
        self.assertIn("787", doc["reason_vi"])
        doc = self.resolve("Quận Hoàn Kiếm, Hà Nội")
        codes = {c["code"] for c in doc["candidates"]}
        self.assertIn("00070", codes, doc)
        self.assertTrue(all(c["via"]["old_district_code"] == "002" for c in doc["candidates"]), doc)

    def test_a_district_name_of_several_provinces_says_so(self):
        # Huyện Châu Thành was a district of several provinces: answering with
        # one of them would send the others to the wrong office.
        doc = self.resolve("Huyện Châu Thành")
        districts = {c["via"]["old_district_code"] for c in doc["candidates"]}
        self.assertGreater(len(districts), 1, doc)
        self.assertTrue(doc["split"])
        self.assertIn("old districts were named Huyện Châu Thành", doc["reason"])
        self.assertIn("Add the province", doc["reason"])
        self.assertIn("huyện cũ tên Huyện Châu Thành", doc["reason_vi"])
        for c in doc["candidates"]:
            self.assertIn(c["province_name"], doc["reason"])
        # With its province, it is one district again.
        doc = self.resolve("Huyện Châu Thành, Tỉnh Tiền Giang")
        self.assertEqual({c["via"]["old_district_code"] for c in doc["candidates"]}, {"821"}, doc)
        self.assertIn("(code 821)", doc["reason"])

    def test_nothing_found_is_200_with_a_reason(self):
        doc = self.resolve("qwxz zzkq")
        self.assertEqual(doc["candidates"], [])
        self.assertTrue(doc["reason"] and doc["reason_vi"], doc)

    def test_at_date_names_the_unit_as_it_was(self):
        doc = self.resolve("Xã Phó Bảng, Hà Giang", at="2025-08-01")
        self.assertEqual(doc["candidates"][0]["code"], "00745", doc)
        self.assertEqual(doc["candidates"][0]["full_name"], "Xã Phó Bảng")
        doc = self.resolve("Xã Phó Bảng, Hà Giang", at="2026-06-01")
        self.assertEqual(doc["candidates"][0]["full_name"], "Xã Phố Bảng")


if __name__ == "__main__":
    harness.run_suites([Units, Resolve])
