"""The working-day calendar over HTTP: a year's holidays, due times, working
time, the administrator's decisions per year and the units' working hours.

On PostgreSQL every class shares one database, so the classes that write use
their own year (2027) and units (00008, 04) and set them to a known state first.
"""
import json
import unicodedata
import urllib.parse

import harness


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params) if params else path


def due(server, **params):
    return server.get_json(q("/api/v1/calendar/due", **params))


class Calendar2026(harness.ServerCase):
    """What the domain computes for 2026, checked against known facts."""

    def year(self):
        status, _, doc = self.server.get_json("/api/v1/calendar/2026")
        self.assertEqual(status, 200, doc)
        return doc

    def test_holidays_of_2026(self):
        doc = self.year()
        days = {d["date"]: d for d in doc["days"]}
        # Tết Bính Ngọ: 1/1 lunar is Tuesday 17 February 2026; without a decision
        # the five days are the last day of the old year and days 1-4.
        for date in ("2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"):
            self.assertEqual(days[date]["kind"], "holiday", date)
            self.assertFalse(days[date]["working"], date)
            self.assertIn("Tết", days[date]["name_vi"])
        self.assertNotIn("2026-02-15", days)  # a plain Sunday is not listed
        # Hùng Kings (10/3 lunar) is Sunday 26 April: a day off in lieu on Monday 27.
        self.assertEqual(days["2026-04-26"]["kind"], "holiday")
        self.assertEqual(days["2026-04-26"]["weekday"], 7)
        self.assertIn("Hùng", days["2026-04-26"]["name_vi"])
        self.assertEqual(days["2026-04-27"]["kind"], "compensatory")
        self.assertFalse(days["2026-04-27"]["working"])
        self.assertIn("Hùng", days["2026-04-27"]["name_en"])
        for date in ("2026-01-01", "2026-04-30", "2026-05-01", "2026-09-02"):
            self.assertEqual(days[date]["kind"], "holiday", date)
        # 2 September 2026 is a Wednesday: the adjacent day joins it to the
        # weekend side that is nearer, 1 September (Tuesday).
        self.assertEqual(days["2026-09-01"]["kind"], "holiday")
        self.assertEqual(len([d for d in doc["days"] if d["kind"] == "holiday"]), 11)
        self.assertEqual(doc["working_hours"], {"morning_start": "07:30", "morning_end": "11:30",
                                                "afternoon_start": "13:00", "afternoon_end": "17:00",
                                                "receipt_cutoff": "17:00"})
        self.assertEqual(doc["settings_source"], "default")
        self.assertEqual([d["date"] for d in doc["days"]], sorted(d["date"] for d in doc["days"]))

    def test_due_over_tet(self):
        # Received Friday 13 February 10:00: day 1 is Monday 23 February, after
        # the weekend, the five days of Tết and the next weekend.
        status, _, doc = due(self.server, **{"from": "2026-02-13T10:00:00+07:00", "days": 3, "unit": "00004"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc, {"from": "2026-02-13T10:00:00+07:00", "clock_start": "2026-02-13T17:00:00+07:00",
                               "due": "2026-02-25T17:00:00+07:00", "unit": "00004", "kind": "working_days", "n": 3})
        # The same instant written in UTC.
        status, _, doc = due(self.server, **{"from": "2026-02-13T03:00:00Z", "days": 3, "unit": "01"})
        self.assertEqual(doc["due"], "2026-02-25T17:00:00+07:00")
        # 8 working hours from Friday 13:00: 4 hours on Friday, 4 on 23 February.
        status, _, doc = due(self.server, **{"from": "2026-02-13T13:00:00+07:00", "hours": 8, "unit": "00004"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["due"], "2026-02-23T11:30:00+07:00")
        self.assertEqual(doc["kind"], "working_hours")
        # 5 calendar days end on 18 February, a day of Tết: due at the end of
        # the next working day.
        status, _, doc = due(self.server, **{"from": "2026-02-13T10:00:00+07:00", "calendar_days": 5, "unit": "00004"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["due"], "2026-02-23T17:00:00+07:00")
        self.assertEqual(doc["clock_start"], "2026-02-14T00:00:00+07:00")
        # Received that Friday after hours: counted as received on Monday 23
        # February, the next working day, as for working days; day 5 is
        # Saturday 28 February, so due Monday 2 March (they counted from 14 February).
        status, _, doc = due(self.server, **{"from": "2026-02-13T17:30:00+07:00", "calendar_days": 5, "unit": "00004"})
        self.assertEqual(status, 200, doc)
        self.assertEqual((doc["clock_start"], doc["due"]), ("2026-02-24T00:00:00+07:00", "2026-03-02T17:00:00+07:00"))

    def test_due_skips_the_day_off_in_lieu_of_hung_kings(self):
        status, _, doc = due(self.server, **{"from": "2026-04-24T10:00:00+07:00", "days": 2, "unit": "00004"})
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["due"], "2026-04-29T17:00:00+07:00")

    def test_unencoded_plus_in_the_offset_is_understood(self):
        status, _, doc = self.server.get_json(
            "/api/v1/calendar/due?from=2026-02-13T10:00:00+07:00&days=3&unit=00004")
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["due"], "2026-02-25T17:00:00+07:00")

    def test_working_time(self):
        status, _, doc = self.server.get_json(q("/api/v1/calendar/working-time", **{
            "from": "2026-02-13T07:30:00+07:00", "to": "2026-02-24T07:30:00+07:00", "unit": "00004"}))
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["seconds"], 16 * 3600)
        self.assertEqual(doc["working_days"], 2)
        self.assertEqual(doc["working_day_seconds"], 8 * 3600)
        status, _, doc = self.server.get_json(q("/api/v1/calendar/working-time", **{
            "from": "2026-03-02T10:00:00+07:00", "to": "2026-03-02T14:00:00+07:00", "unit": "01"}))
        self.assertEqual(doc["seconds"], 3 * 3600 - 1800)
        self.assertEqual(doc["hours"], 2.5)

    def test_bad_parameters_name_the_parameter(self):
        cases = [
            ({"days": 3, "unit": "00004"}, "from"),
            ({"from": "13/02/2026", "days": 3, "unit": "00004"}, "from"),
            ({"from": "2026-02-30T10:00:00+07:00", "days": 3, "unit": "00004"}, "from"),
            ({"from": "1990-02-13T10:00:00+07:00", "days": 3, "unit": "00004"}, "from"),
            ({"from": "2026-02-13T10:00:00+07:00", "unit": "00004"}, "days"),
            ({"from": "2026-02-13T10:00:00+07:00", "days": -1, "unit": "00004"}, "days"),
            ({"from": "2026-02-13T10:00:00+07:00", "days": "three", "unit": "00004"}, "days"),
            ({"from": "2026-02-13T10:00:00+07:00", "days": 100000, "unit": "00004"}, "days"),
            ({"from": "2026-02-13T10:00:00+07:00", "hours": "1.5", "unit": "00004"}, "hours"),
            ({"from": "2026-02-13T10:00:00+07:00", "days": 3, "hours": 2, "unit": "00004"}, "hours"),
            ({"from": "2026-02-13T10:00:00+07:00", "calendar_days": "", "unit": "00004"}, "calendar_days"),
            # Due on the receipt day, before its clock starts at the next midnight: no such limit.
            ({"from": "2026-12-11T10:00:00+07:00", "calendar_days": 0, "unit": "00004"}, "calendar_days"),
            ({"from": "2026-02-13T10:00:00+07:00", "days": 3}, "unit"),
            ({"from": "2026-02-13T10:00:00+07:00", "days": 3, "unit": "Ba Đình"}, "unit"),
        ]
        for params, param in cases:
            status, headers, body = self.server.request("GET", q("/api/v1/calendar/due", **params))
            self.assertProblem(status, headers, body, 400, param)
        # A due time past the calendar's last year names the limit, not the start.
        status, headers, body = self.server.request("GET", q("/api/v1/calendar/due", **{
            "from": "2100-06-30T10:00:00+07:00", "calendar_days": 3650, "unit": "00004"}))
        doc = self.assertProblem(status, headers, body, 422, "calendar_days")
        self.assertIn("due time falls after", doc["detail"])
        status, headers, body = self.server.request("GET", q("/api/v1/calendar/working-time", **{
            "from": "2026-03-02T10:00:00+07:00", "to": "2026-03-01T10:00:00+07:00", "unit": "01"}))
        self.assertProblem(status, headers, body, 400, "to")
        for year in ("1999", "2101", "20x6", "026"):
            status, headers, body = self.server.request("GET", "/api/v1/calendar/" + year)
            self.assertProblem(status, headers, body, 400, "year")

    def test_unknown_unit_is_422(self):
        for unit in ("99999", "001"):  # no such code; an old district, gone since 1 July 2025
            status, headers, body = self.server.request("GET", q("/api/v1/calendar/due", **{
                "from": "2026-02-13T10:00:00+07:00", "days": 3, "unit": unit}))
            doc = self.assertProblem(status, headers, body, 422, "unit")
            self.assertIn(unit, doc["detail"])
        # 00004 existed before the reform too (Phường Trúc Bạch), but a commune
        # code in force is what counts: a time before 1 July 2025 is fine.
        status, _, doc = due(self.server, **{"from": "2025-03-03T10:00:00+07:00", "days": 1, "unit": "00004"})
        self.assertEqual(status, 200, doc)


class CalendarOverrides(harness.ServerCase):
    """An administrator's decision for 2027, stored in the database."""

    YEAR_PATH = "/api/v1/calendar/2027/overrides"

    def put(self, path, doc):
        body = doc if isinstance(doc, (str, bytes)) else json.dumps(doc)
        headers = {"Content-Type": "application/json", **self.server.auth_headers("system_admin")}
        return self.server.request("PUT", path, body=body, headers=headers)

    def setUp(self):
        status, _, body = self.put(self.YEAR_PATH, {})
        self.assertEqual(status, 200, body)

    def tearDown(self):
        self.put(self.YEAR_PATH, {})

    def due_2027(self, days):
        status, _, doc = due(self.server, **{"from": "2027-03-01T10:00:00+07:00", "days": days, "unit": "00004"})
        self.assertEqual(status, 200, doc)
        return doc["due"]

    def restart(self):
        cls = type(self)
        self.assertEqual(cls.server.stop(), 0)
        cls.server = harness.Server(cls.DB_URL(cls.__name__))

    def test_extra_day_off_moves_the_due_date_and_survives_a_restart(self):
        # Received Monday 1 March 2027: 3 working days end on Thursday 4 March.
        self.assertEqual(self.due_2027(3), "2027-03-04T17:00:00+07:00")
        decision = {"days_off": [{"date": "2027-03-03", "name_vi": "Nghỉ hoán đổi", "name_en": "Swapped day off"}],
                    "working_days": [{"date": "2027-03-06", "name_vi": "Làm bù", "name_en": "Worked Saturday"}]}
        status, _, body = self.put(self.YEAR_PATH, decision)
        self.assertEqual(status, 200, body)
        stored = json.loads(body)
        self.assertEqual(stored["days_off"], decision["days_off"])
        self.assertTrue(stored["changed_at"].endswith("+07:00"))
        self.assertTrue(stored["changed_by"])
        # Wednesday is off: Tuesday, Thursday, Friday; the worked Saturday is day 4.
        self.assertEqual(self.due_2027(3), "2027-03-05T17:00:00+07:00")
        self.assertEqual(self.due_2027(4), "2027-03-06T17:00:00+07:00")

        self.restart()
        self.assertEqual(self.due_2027(3), "2027-03-05T17:00:00+07:00")
        status, _, doc = self.server.get_json(self.YEAR_PATH)
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["days_off"], decision["days_off"])
        self.assertEqual(doc["working_days"], decision["working_days"])
        status, _, doc = self.server.get_json("/api/v1/calendar/2027")
        days = {d["date"]: d for d in doc["days"]}
        self.assertEqual(days["2027-03-03"]["kind"], "swapped_off")
        self.assertEqual(days["2027-03-03"]["name_en"], "Swapped day off")
        self.assertFalse(days["2027-03-03"]["working"])
        self.assertEqual(days["2027-03-06"]["kind"], "swapped_work")
        self.assertTrue(days["2027-03-06"]["working"])
        self.assertEqual(doc["overrides"]["days_off"], decision["days_off"])

    def test_a_name_typed_decomposed_is_kept_composed(self):
        name = "Nghỉ bù Quốc khánh"
        nfd = unicodedata.normalize("NFD", name)
        self.assertNotEqual(nfd, name)
        status, _, body = self.put(self.YEAR_PATH, {"days_off": [{"date": "2027-03-03", "name_vi": nfd}]})
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["days_off"][0]["name_vi"], name)
        status, _, doc = self.server.get_json("/api/v1/calendar/2027")
        self.assertEqual(status, 200, doc)
        self.assertEqual({d["date"]: d for d in doc["days"]}["2027-03-03"]["name_vi"], name)

    def test_only_a_calendar_administrator_edits(self):
        decision = json.dumps({"days_off": [{"date": "2027-03-03"}]})
        headers = {"Content-Type": "application/json"}
        status, _, body = self.server.request("PUT", self.YEAR_PATH, body=decision, headers=headers)
        self.assertIn(status, (401, 403), body)
        status, _, body = self.server.request(
            "PUT", self.YEAR_PATH, body=decision, headers={**headers, **self.server.auth_headers("specialist")})
        self.assertEqual(status, 403, body)
        status, _, body = self.server.request(
            "PUT", "/api/v1/units/00004/calendar-settings", body="{}",
            headers={**headers, **self.server.auth_headers("leader")})
        self.assertEqual(status, 403, body)
        self.assertEqual(self.due_2027(3), "2027-03-04T17:00:00+07:00")  # nothing changed
        # The administrator's edit records who made it.
        status, _, body = self.put(self.YEAR_PATH, json.loads(decision))
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["changed_by"], self.server.demo_accounts["system_admin"]["username"])

    def test_tet_days_and_national_day_replace_the_computed_ones(self):
        # Tết Đinh Mùi: 1/1 lunar is Saturday 6 February 2027.
        status, _, doc = self.server.get_json("/api/v1/calendar/2027")
        computed = sorted(d["date"] for d in doc["days"] if d["kind"] == "holiday" and "Tết" in d["name_vi"]
                          and d["date"] != "2027-01-01")
        self.assertEqual(computed, ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09"])
        tet = ["2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"]
        status, _, body = self.put(self.YEAR_PATH, {"year": 2027, "tet_days": tet, "national_day_adjacent": "2027-09-03"})
        self.assertEqual(status, 200, body)
        status, _, doc = self.server.get_json("/api/v1/calendar/2027")
        days = {d["date"]: d for d in doc["days"]}
        for date in tet:
            self.assertFalse(days[date]["working"], date)
        self.assertEqual(days["2027-09-03"]["kind"], "holiday")
        self.assertNotIn("2027-09-01", days)
        self.assertEqual(doc["overrides"]["tet_days"], tet)

    def test_a_name_with_nothing_to_read_is_no_name(self):
        # The day keeps its default name, as with no name at all, rather than
        # showing a blank one.
        status, _, body = self.put(self.YEAR_PATH, {"days_off": [
            {"date": "2027-03-03", "name_vi": "\u00a0 ", "name_en": "\u200b"}]})
        self.assertEqual(status, 200, body)
        stored = json.loads(body)["days_off"][0]
        self.assertEqual((stored["name_vi"], stored["name_en"]), ("", ""))
        status, _, doc = self.server.get_json("/api/v1/calendar/2027")
        day = next(d for d in doc["days"] if d["date"] == "2027-03-03")
        self.assertEqual((day["name_vi"], day["name_en"]), ("Nghỉ hoán đổi", "Swapped day off"))

    def test_a_decision_read_is_put_back_as_it_is(self):
        # GET's changed_by and changed_at are the server's: a client that edits
        # what it read and puts it back was refused ("not supported"), even
        # with them null. Sent, they are ignored, not taken as the editor's.
        status, _, fresh = self.server.get_json(self.YEAR_PATH)
        self.assertEqual(status, 200, fresh)
        self.assertIn("changed_by", fresh)
        status, _, body = self.put(self.YEAR_PATH, dict(fresh, changed_by=None, changed_at=None))
        self.assertEqual(status, 200, body)
        status, _, body = self.put(self.YEAR_PATH, {
            "tet_days": ["2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"],
            "days_off": [{"date": "2027-03-03", "name_vi": "Nghỉ", "name_en": "Off"}]})
        self.assertEqual(status, 200, body)
        status, _, read = self.server.get_json(self.YEAR_PATH)
        self.assertEqual(status, 200, read)
        self.assertTrue(read["changed_by"] and read["changed_at"], read)
        edited = dict(read, working_days=[{"date": "2027-03-06", "name_vi": "Làm bù", "name_en": "Worked"}],
                      changed_by="someone.else", changed_at="2000-01-01T00:00:00+07:00")
        status, _, body = self.put(self.YEAR_PATH, edited)
        self.assertEqual(status, 200, body)
        stored = json.loads(body)
        admin = self.server.demo_accounts["system_admin"]["username"]
        self.assertEqual(stored["changed_by"], admin)
        self.assertNotEqual(stored["changed_at"], "2000-01-01T00:00:00+07:00")
        status, _, again = self.server.get_json(self.YEAR_PATH)

        def decision(doc):
            return {k: v for k, v in doc.items() if k not in ("changed_by", "changed_at")}
        self.assertEqual(decision(again), decision(edited))
        self.assertEqual(again["changed_by"], admin)
        self.assertEqual(self.due_2027(3), "2027-03-05T17:00:00+07:00")  # 3 March is off

    def test_bad_decisions_name_the_field_and_change_nothing(self):
        good = {"days_off": [{"date": "2027-03-03", "name_vi": "Nghỉ", "name_en": "Off"}]}
        status, _, body = self.put(self.YEAR_PATH, good)
        self.assertEqual(status, 200, body)
        before = self.server.get_json(self.YEAR_PATH)[2]
        cases = [
            ("not json", "body"),
            ([1, 2], "body"),
            ({"day_off": []}, "day_off"),
            ({"year": 2026}, "year"),
            ({"days_off": "2027-03-03"}, "days_off"),
            ({"days_off": [{"date": "2026-05-04"}]}, "days_off[0].date"),
            ({"days_off": [{"date": "2027-03-03"}, {"date": "2027-02-30"}]}, "days_off[1].date"),
            ({"days_off": [{"name_vi": "x"}]}, "days_off[0].date"),
            ({"days_off": [{"date": "2027-03-03", "name_vi": 7}]}, "days_off[0].name_vi"),
            ({"days_off": [{"date": "2027-03-03", "note": "x"}]}, "days_off[0].note"),
            ({"days_off": [{"date": "2027-03-03"}], "working_days": [{"date": "2027-03-03"}]}, "working_days[0].date"),
            ({"tet_days": []}, "tet_days"),
            # The whole announced period is not five Tết days: its weekend days
            # would be made up again after it.
            ({"tet_days": ["2027-02-%02d" % d for d in range(4, 13)]}, "tet_days"),
            ({"tet_days": ["2027-02-06", "2027-02-06"]}, "tet_days[1]"),
            ({"tet_days": ["2027-02-06", "6/2/2027"]}, "tet_days[1]"),
            ({"national_day_adjacent": "2027-09-05"}, "national_day_adjacent"),
        ]
        for doc, param in cases:
            status, headers, body = self.put(self.YEAR_PATH, doc)
            self.assertProblem(status, headers, body, 400, param)
        status, headers, body = self.put("/api/v1/calendar/2101/overrides", {})
        self.assertProblem(status, headers, body, 400, "year")
        self.assertEqual(self.server.get_json(self.YEAR_PATH)[2], before)
        self.assertEqual(self.due_2027(3), "2027-03-05T17:00:00+07:00")


class UnitCalendarSettings(harness.ServerCase):
    """Working hours and the receipt cut-off per unit (00008 and province 04)."""

    def put(self, code, doc):
        body = doc if isinstance(doc, str) else json.dumps(doc)
        headers = {"Content-Type": "application/json", **self.server.auth_headers("system_admin")}
        return self.server.request("PUT", f"/api/v1/units/{code}/calendar-settings", body=body, headers=headers)

    def setUp(self):
        self.assertEqual(self.put("00008", {})[0], 200)
        self.assertEqual(self.put("04", {})[0], 200)

    def test_a_unit_with_its_own_hours_and_cut_off(self):
        hours = {"morning_start": "08:00", "morning_end": "12:00", "afternoon_start": "13:30",
                 "afternoon_end": "17:30", "receipt_cutoff": "16:00"}
        status, _, body = self.put("00008", hours)
        self.assertEqual(status, 200, body)
        doc = json.loads(body)
        self.assertEqual(doc["working_hours"], hours)
        self.assertEqual(doc["source"], "unit")
        status, _, doc = self.server.get_json("/api/v1/units/00008/calendar-settings")
        self.assertEqual(doc["working_hours"], hours)

        # One working hour from Monday 11:00: noon at Ngọc Hà, 13:30 at Ba Đình.
        params = {"from": "2026-03-02T11:00:00+07:00", "hours": 1}
        self.assertEqual(due(self.server, unit="00008", **params)[2]["due"], "2026-03-02T12:00:00+07:00")
        self.assertEqual(due(self.server, unit="00004", **params)[2]["due"], "2026-03-02T13:30:00+07:00")
        # Received Monday 16:30: after Ngọc Hà's 16:00 cut-off it counts from
        # Tuesday; Ba Đình takes it until 17:00.
        params = {"from": "2026-03-02T16:30:00+07:00", "days": 1}
        self.assertEqual(due(self.server, unit="00008", **params)[2]["due"], "2026-03-04T17:30:00+07:00")
        self.assertEqual(due(self.server, unit="00004", **params)[2]["due"], "2026-03-03T17:00:00+07:00")
        status, _, doc = self.server.get_json(q("/api/v1/calendar/working-time", **{
            "from": "2026-03-02T00:00:00+07:00", "to": "2026-03-03T00:00:00+07:00", "unit": "00008"}))
        self.assertEqual(doc["seconds"], 8 * 3600)
        status, _, doc = self.server.get_json(q("/api/v1/calendar/2026", unit="00008"))
        self.assertEqual(doc["working_hours"], hours)
        self.assertEqual(doc["settings_source"], "unit")

        # Back to the default: absent times take it.
        status, _, body = self.put("00008", {})
        self.assertEqual(json.loads(body)["working_hours"]["receipt_cutoff"], "17:00")
        params = {"from": "2026-03-02T11:00:00+07:00", "hours": 1}
        self.assertEqual(due(self.server, unit="00008", **params)[2]["due"], "2026-03-02T13:30:00+07:00")

    def test_a_commune_follows_its_province_unless_it_has_its_own(self):
        # setUp gave province 04 a row with the default hours; Ba Đình (Hà Nội) has none.
        status, _, doc = self.server.get_json("/api/v1/units/00004/calendar-settings")
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["source"], "default")
        self.assertIsNone(doc["changed_at"])
        status, _, doc = self.server.get_json("/api/v1/units/01273/calendar-settings")
        self.assertEqual(status, 200, doc)
        self.assertEqual(doc["source"], "province")
        self.assertEqual(doc["working_hours"]["receipt_cutoff"], "17:00")
        status, _, body = self.put("04", {"receipt_cutoff": "15:00"})
        self.assertEqual(status, 200, body)
        status, _, doc = self.server.get_json("/api/v1/units/01273/calendar-settings")
        self.assertEqual(doc["source"], "province")
        self.assertEqual(doc["working_hours"]["receipt_cutoff"], "15:00")
        # Received at 15:30 in Thục Phán (Cao Bằng): counted from Tuesday.
        params = {"from": "2026-03-02T15:30:00+07:00", "days": 1}
        self.assertEqual(due(self.server, unit="01273", **params)[2]["due"], "2026-03-04T17:00:00+07:00")
        self.assertEqual(due(self.server, unit="04", **params)[2]["due"], "2026-03-04T17:00:00+07:00")
        self.assertEqual(due(self.server, unit="00004", **params)[2]["due"], "2026-03-03T17:00:00+07:00")

    def test_bad_settings_name_the_field_and_change_nothing(self):
        cases = [
            ("{", "body"),
            ({"morning_start": "7h30"}, "morning_start"),
            ({"morning_start": "25:00"}, "morning_start"),
            ({"lunch": "12:00"}, "lunch"),
            ({"morning_start": "11:30", "morning_end": "08:00"}, "morning_end"),
            ({"afternoon_start": "11:00"}, "afternoon_start"),
            ({"afternoon_end": "12:00"}, "afternoon_end"),
            ({"receipt_cutoff": "18:00"}, "receipt_cutoff"),
            ({"receipt_cutoff": 16}, "receipt_cutoff"),
        ]
        for doc, param in cases:
            status, headers, body = self.put("00008", doc)
            self.assertProblem(status, headers, body, 400, param)
        status, _, doc = self.server.get_json("/api/v1/units/00008/calendar-settings")
        self.assertEqual(doc["working_hours"]["morning_start"], "07:30")
        status, headers, body = self.put("99999", {})
        self.assertProblem(status, headers, body, 404, "code")
        status, headers, body = self.put("001", {})  # an old district
        self.assertProblem(status, headers, body, 422, "code")


if __name__ == "__main__":
    harness.run_suites([Calendar2026, CalendarOverrides, UnitCalendarSettings])
