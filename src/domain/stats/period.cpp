#include "domain/stats/period.hpp"

namespace motcua::stats {
namespace {

using calendar::CivilDate;

Error bad(const char* field, const std::string& vi, const std::string& en) {
  return make_error(ErrorKind::kBadRequest, vi, en, field);
}

Result<std::int64_t> day_of(std::string_view text, const char* field) {
  auto d = calendar::parse_civil_date(text);
  if (!d) {
    return bad(field,
               std::string("Tham số '") + field + "' phải là một ngày dạng YYYY-MM-DD, không phải '" +
                   std::string(text) + "'.",
               std::string("Parameter '") + field + "' must be a date YYYY-MM-DD, not '" +
                   std::string(text) + "'.");
  }
  return calendar::days_from_civil(*d);
}

}  // namespace

std::string day_iso(std::int64_t day) { return calendar::to_string(calendar::civil_from_days(day)); }

Result<Range> parse_range(std::string_view period, std::string_view date, std::string_view from,
                          std::string_view to, std::int64_t today) {
  Range r;
  if (!period.empty() && (!from.empty() || !to.empty())) {
    // Either one could have been meant: neither is guessed.
    return bad("period", "Hãy cho 'period' hoặc 'from' và 'to', không cho cả hai.",
               "Give 'period' or 'from' and 'to', not both.");
  }
  if (period.empty()) {
    if (from.empty() || to.empty()) {
      return bad(from.empty() ? "from" : "to",
                 "Hãy cho 'period' (day, week, month, quarter, year) hoặc cả 'from' và 'to'.",
                 "Give 'period' (day, week, month, quarter, year) or both 'from' and 'to'.");
    }
    auto f = day_of(from, "from");
    if (!f) return f.error();
    auto t = day_of(to, "to");
    if (!t) return t.error();
    r = {*f, *t};
    if (r.to_day < r.from_day) {
      return bad("to", "Ngày 'to' không được trước ngày 'from'.",
                 "Date 'to' must not be before 'from'.");
    }
    if (r.days() > kMaxRangeDays) {
      return bad("to", "Khoảng thời gian dài quá " + std::to_string(kMaxRangeDays) + " ngày.",
                 "The range is longer than " + std::to_string(kMaxRangeDays) + " days.");
    }
    return r;
  }
  std::int64_t at = today;
  if (!date.empty()) {
    auto d = day_of(date, "date");
    if (!d) return d.error();
    at = *d;
  }
  const CivilDate c = calendar::civil_from_days(at);
  if (period == "day") return Range{at, at};
  if (period == "week") {
    const int wd = static_cast<int>(calendar::weekday(c));  // 1 = Monday
    return Range{at - (wd - 1), at - (wd - 1) + 6};
  }
  if (period == "month") {
    const auto first = calendar::days_from_civil({c.year, c.month, 1});
    const CivilDate next = c.month == 12 ? CivilDate{c.year + 1, 1, 1} : CivilDate{c.year, c.month + 1, 1};
    return Range{first, calendar::days_from_civil(next) - 1};
  }
  if (period == "quarter") {
    const int m0 = (c.month - 1) / 3 * 3 + 1;
    const auto first = calendar::days_from_civil({c.year, m0, 1});
    const CivilDate next = m0 == 10 ? CivilDate{c.year + 1, 1, 1} : CivilDate{c.year, m0 + 3, 1};
    return Range{first, calendar::days_from_civil(next) - 1};
  }
  if (period == "year") {
    return Range{calendar::days_from_civil({c.year, 1, 1}),
                 calendar::days_from_civil({c.year + 1, 1, 1}) - 1};
  }
  return bad("period",
             "Tham số 'period' phải là day, week, month, quarter hoặc year, không phải '" +
                 std::string(period) + "'.",
             "Parameter 'period' must be day, week, month, quarter or year, not '" +
                 std::string(period) + "'.");
}

}  // namespace motcua::stats
