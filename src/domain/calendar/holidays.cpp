#include "domain/calendar/holidays.hpp"

#include <algorithm>
#include <set>

#include "domain/calendar/lunar.hpp"

namespace motcua::calendar {
namespace {

Error invalid_override(int year, const std::string& vi, const std::string& en) {
  const std::string y = std::to_string(year);
  return make_error(ErrorKind::kBadRequest, "Bảng ngày nghỉ năm " + y + ": " + vi,
                    "Holiday table for " + y + ": " + en, "overrides");
}

Result<void> check_date_in_year(int year, CivilDate d, const char* what_vi, const char* what_en) {
  if (!is_valid(d) || d.year != year) {
    return invalid_override(
        year, std::string(what_vi) + " " + to_string(d) + " không phải một ngày của năm này.",
        std::string(what_en) + " " + to_string(d) + " is not a date of this year.");
  }
  return ok();
}

CivilDate national_day_adjacent(int year, NationalDayRule rule) {
  switch (rule) {
    case NationalDayRule::kFirstSeptember:
      return {year, 9, 1};
    case NationalDayRule::kThirdSeptember:
      return {year, 9, 3};
    case NationalDayRule::kBridgeWeekend: {
      const Weekday w = weekday({year, 9, 2});
      return (w == Weekday::kMonday || w == Weekday::kThursday) ? CivilDate{year, 9, 3}
                                                                : CivilDate{year, 9, 1};
    }
  }
  return {year, 9, 1};
}

Holiday named(const NamedDate& d, HolidayKind kind, const char* vi, const char* en) {
  return Holiday{d.date, kind, d.name_vi.empty() ? vi : d.name_vi,
                 d.name_en.empty() ? en : d.name_en};
}

}  // namespace

const char* holiday_kind_name(HolidayKind kind) {
  switch (kind) {
    case HolidayKind::kHoliday:
      return "holiday";
    case HolidayKind::kCompensatory:
      return "compensatory";
    case HolidayKind::kSwappedOff:
      return "swapped_off";
    case HolidayKind::kSwappedWork:
      return "swapped_work";
  }
  return "holiday";
}

Result<void> validate_overrides(const YearOverrides& o) {
  if (o.year <= kLunarMinYear || o.year >= kLunarMaxYear) {
    return invalid_override(o.year, "năm nằm ngoài phạm vi lịch được hỗ trợ.",
                            "the year is outside the supported calendar range.");
  }
  if (o.tet_days) {
    // The Labour Code's five Tết days, as the decision places them. The whole
    // announced period (weekends and extra days around them) entered here
    // made each weekend day in it a Tết day on a rest day, made up again later.
    if (o.tet_days->empty() || o.tet_days->size() > YearOverrides::kMaxTetDays) {
      return invalid_override(
          o.year,
          "danh sách ngày nghỉ Tết có từ 1 đến 5 ngày: các ngày Tết theo Bộ luật Lao động; "
          "ngày nghỉ thêm theo quyết định của Chính phủ nhập ở ngày nghỉ thêm (days_off).",
          "the list of Tết days holds 1 to 5 dates: the Labour Code's Tết days; the government's "
          "extra days off go among the days off (days_off).");
    }
    std::set<CivilDate> seen;
    for (const CivilDate& d : *o.tet_days) {
      if (auto r = check_date_in_year(o.year, d, "Ngày Tết", "Tết day"); !r) return r;
      if (!seen.insert(d).second) {
        return invalid_override(o.year, "ngày Tết " + to_string(d) + " bị lặp.",
                                "Tết day " + to_string(d) + " is listed twice.");
      }
    }
  }
  if (o.national_day_adjacent) {
    const CivilDate d = *o.national_day_adjacent;
    if (d != CivilDate{o.year, 9, 1} && d != CivilDate{o.year, 9, 3}) {
      return invalid_override(o.year, "ngày nghỉ liền kề Quốc khánh phải là 01/9 hoặc 03/9.",
                              "the day next to National Day must be 1 or 3 September.");
    }
  }
  std::set<CivilDate> off;
  for (const NamedDate& d : o.days_off) {
    if (auto r = check_date_in_year(o.year, d.date, "Ngày nghỉ", "Day off"); !r) return r;
    off.insert(d.date);
  }
  for (const NamedDate& d : o.working_days) {
    if (auto r = check_date_in_year(o.year, d.date, "Ngày làm việc", "Working day"); !r) return r;
    if (off.count(d.date) != 0) {
      return invalid_override(
          o.year, "ngày " + to_string(d.date) + " vừa là ngày nghỉ vừa là ngày làm việc.",
          to_string(d.date) + " is both a day off and a working day.");
    }
  }
  return ok();
}

Result<std::vector<Holiday>> holidays_for_year(int year, const HolidayRules& rules,
                                               const YearOverrides* overrides) {
  std::vector<Holiday> out;
  out.push_back({{year, 1, 1}, HolidayKind::kHoliday, "Tết Dương lịch", "New Year's Day"});

  if (overrides && overrides->tet_days) {
    for (const CivilDate& d : *overrides->tet_days) {
      out.push_back({d, HolidayKind::kHoliday, "Tết Âm lịch", "Lunar New Year (Tết)"});
    }
  } else {
    auto tet = lunar_new_year(year);
    if (!tet) return tet.error();
    for (int i = -1; i <= 3; ++i) {
      out.push_back(
          {add_days(*tet, i), HolidayKind::kHoliday, "Tết Âm lịch", "Lunar New Year (Tết)"});
    }
  }

  auto hung = lunar_to_solar(LunarDate{10, 3, year, false});
  if (!hung) return hung.error();
  out.push_back({*hung, HolidayKind::kHoliday, "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
                 "Hùng Kings' Commemoration (10/3 lunar)"});
  out.push_back({{year, 4, 30},
                 HolidayKind::kHoliday,
                 "Ngày Chiến thắng (30/4)",
                 "Reunification Day (30 April)"});
  out.push_back({{year, 5, 1},
                 HolidayKind::kHoliday,
                 "Ngày Quốc tế Lao động (1/5)",
                 "International Labour Day (1 May)"});
  out.push_back(
      {{year, 9, 2}, HolidayKind::kHoliday, "Quốc khánh (2/9)", "National Day (2 September)"});
  const CivilDate adjacent = (overrides && overrides->national_day_adjacent)
                                 ? *overrides->national_day_adjacent
                                 : national_day_adjacent(year, rules.national_day);
  out.push_back({adjacent, HolidayKind::kHoliday, "Quốc khánh (ngày liền kề)",
                 "National Day (adjacent day)"});
  std::sort(out.begin(), out.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });

  // A holiday on a rest day is made up on the next day that is neither a rest
  // day, nor a holiday, nor already a compensatory day. Done in date order so
  // that two holidays on one weekend give two consecutive days.
  std::set<CivilDate> taken;
  for (const Holiday& h : out) taken.insert(h.date);
  std::vector<Holiday> compensatory;
  for (const Holiday& h : out) {
    if (!is_rest_day(rules.rest_days, h.date)) continue;
    CivilDate d = add_days(h.date, 1);
    while (is_rest_day(rules.rest_days, d) || taken.count(d) != 0) d = add_days(d, 1);
    taken.insert(d);
    compensatory.push_back(
        {d, HolidayKind::kCompensatory, "Nghỉ bù " + h.name_vi, "Day off in lieu: " + h.name_en});
  }
  out.insert(out.end(), compensatory.begin(), compensatory.end());

  if (overrides) {
    for (const NamedDate& d : overrides->days_off) {
      out.push_back(named(d, HolidayKind::kSwappedOff, "Nghỉ hoán đổi", "Swapped day off"));
    }
    for (const NamedDate& d : overrides->working_days) {
      out.push_back(named(d, HolidayKind::kSwappedWork, "Làm bù", "Swapped working day"));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) {
    return a.date != b.date ? a.date < b.date : a.kind < b.kind;
  });
  return out;
}

}  // namespace motcua::calendar
