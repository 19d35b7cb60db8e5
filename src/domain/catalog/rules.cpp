#include "domain/catalog/rules.hpp"

#include <initializer_list>

#include "text/blank.hpp"
#include "text/fold.hpp"

namespace motcua::catalog {
namespace {

constexpr std::size_t kMaxText = 20000;

Error bad(const std::string& field, const std::string& vi, const std::string& en) {
  return make_error(ErrorKind::kBadRequest, "Trường '" + field + "' " + vi,
                    "Field '" + field + "' " + en, field);
}

bool one_of(std::string_view v, std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed)
    if (v == a) return true;
  return false;
}

std::string join(std::initializer_list<std::string_view> allowed) {
  std::string out;
  for (auto a : allowed) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

Result<void> check_enum(const std::string& field, std::string_view v,
                        std::initializer_list<std::string_view> allowed) {
  if (one_of(v, allowed)) return ok();
  return bad(field, "phải là một trong: " + join(allowed) + " (đang là '" + std::string(v) + "').",
             "must be one of: " + join(allowed) + " (got '" + std::string(v) + "').");
}

Result<void> check_text(const std::string& field, std::string_view v, bool required,
                        std::size_t max = kMaxText) {
  if (!text::valid_utf8(v))
    return bad(field, "không phải văn bản UTF-8 hợp lệ.", "is not valid UTF-8 text.");
  if (v.size() > max)
    return bad(field, "quá dài (tối đa " + std::to_string(max) + " byte).",
               "is too long (at most " + std::to_string(max) + " bytes).");
  if (required && text::blank(v)) return bad(field, "không được để trống.", "must not be empty.");
  return ok();
}

bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

#define MOTCUA_TRY(expr)                  \
  do {                                    \
    if (auto r_ = (expr); !r_) return r_; \
  } while (0)

Result<void> validate_channel(const Channel& c, const std::string& at, const Procedure& p) {
  MOTCUA_TRY(check_enum(at + ".channel", c.channel, {"online", "post", "counter"}));
  if (c.channel == "online" && p.online_level == "none")
    return bad(at + ".channel",
               "là 'online' nhưng thủ tục không cung cấp dịch vụ trực tuyến (online_level = none).",
               "is 'online' but the procedure is not offered online (online_level is none).");
  MOTCUA_TRY(check_enum(at + ".time_unit", c.time_unit,
                        {"working_days", "working_hours", "calendar_days", ""}));
  if (c.time_unit.empty() && c.time_amount)
    return bad(at + ".time_unit", "phải có khi có thời hạn giải quyết.",
               "is required when a time amount is given.");
  if (!c.time_unit.empty() && !c.time_amount)
    return bad(at + ".time_amount", "phải có khi có đơn vị thời gian.",
               "is required when a time unit is given.");
  if (c.time_amount && (*c.time_amount < 0 || *c.time_amount > 3650))
    return bad(at + ".time_amount", "phải từ 0 đến 3650.", "must be between 0 and 3650.");
  // Calendar days count from the midnight after the receipt: 0 is no time.
  if (c.time_unit == "calendar_days" && c.time_amount && *c.time_amount == 0)
    return bad(at + ".time_amount", "phải từ 1 khi tính theo ngày lịch.",
               "must be 1 or more in calendar days.");
  if (c.fee_vnd && (*c.fee_vnd < 0 || *c.fee_vnd > 1'000'000'000'000))
    return bad(at + ".fee_vnd", "phải là số đồng không âm.",
               "must be a non-negative amount of VND.");
  MOTCUA_TRY(check_text(at + ".time_text", c.time_text, false));
  MOTCUA_TRY(check_text(at + ".fee_text", c.fee_text, false));
  MOTCUA_TRY(check_text(at + ".note", c.note, false));
  return ok();
}

Result<void> validate_component(const Component& c, const std::string& at) {
  MOTCUA_TRY(check_text(at + ".name", c.name, true));
  MOTCUA_TRY(check_enum(at + ".copy_kind", c.copy_kind,
                        {"original", "copy", "original_or_copy", "original_and_copy"}));
  MOTCUA_TRY(check_enum(at + ".presentation", c.presentation, {"submit", "show"}));
  MOTCUA_TRY(check_enum(at + ".requirement", c.requirement, {"mandatory", "conditional"}));
  if (c.quantity < 0 || c.quantity > 100)
    return bad(at + ".quantity", "phải từ 0 đến 100.", "must be between 0 and 100.");
  MOTCUA_TRY(check_text(at + ".condition", c.condition, false));
  MOTCUA_TRY(check_text(at + ".form", c.form, false, 1000));
  MOTCUA_TRY(check_text(at + ".quantity_text", c.quantity_text, false, 1000));
  for (std::size_t i = 0; i < c.channels.size(); ++i) {
    MOTCUA_TRY(check_enum(at + ".channels[" + std::to_string(i) + "]", c.channels[i],
                          {"online", "post", "counter"}));
  }
  return ok();
}

Result<void> validate_verify(const std::vector<VerifyFlag>& flags, const std::string& at) {
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const auto f = at + "[" + std::to_string(i) + "]";
    MOTCUA_TRY(check_text(f + ".field", flags[i].field, true, 200));
    MOTCUA_TRY(check_text(f + ".note", flags[i].note, false));
  }
  return ok();
}

}  // namespace

bool valid_code(std::string_view code) {
  if (code.size() != 8 || code[1] != '.') return false;
  const char c = code[0];
  if (!((c >= '0' && c <= '9') || c == 'L')) return false;
  for (std::size_t i = 2; i < 8; ++i)
    if (code[i] < '0' || code[i] > '9') return false;
  return true;
}

Result<void> validate(const Procedure& p) {
  if (!valid_code(p.code))
    return bad(
        "code", "phải là mã thủ tục quốc gia dạng 1.001193 (hoặc mã tạm L.000001).",
        "must be a national procedure code like 1.001193 (or a local placeholder L.000001).");
  MOTCUA_TRY(check_text("name", p.name, true, 2000));
  MOTCUA_TRY(check_text("field", p.field, true, 500));
  MOTCUA_TRY(check_text("group", p.group, false, 500));
  MOTCUA_TRY(check_enum("competent_level", p.competent_level, {"commune", "province"}));
  MOTCUA_TRY(check_text("competent_agency", p.competent_agency, false, 1000));
  MOTCUA_TRY(check_enum("online_level", p.online_level, {"full", "partial", "none"}));
  for (std::size_t i = 0; i < p.channels.size(); ++i)
    MOTCUA_TRY(validate_channel(p.channels[i], "channels[" + std::to_string(i) + "]", p));
  for (std::size_t i = 0; i < p.components.size(); ++i)
    MOTCUA_TRY(validate_component(p.components[i], "components[" + std::to_string(i) + "]"));
  for (std::size_t i = 0; i < p.component_notes.size(); ++i)
    MOTCUA_TRY(
        check_text("component_notes[" + std::to_string(i) + "]", p.component_notes[i], true));
  for (std::size_t i = 0; i < p.steps.size(); ++i)
    MOTCUA_TRY(check_text("steps[" + std::to_string(i) + "]", p.steps[i], true));
  for (std::size_t i = 0; i < p.legal_basis.size(); ++i)
    MOTCUA_TRY(check_text("legal_basis[" + std::to_string(i) + "]", p.legal_basis[i], true, 200));
  MOTCUA_TRY(check_text("result", p.result, false, 2000));
  if (p.decentralisation) {
    const auto& d = *p.decentralisation;
    MOTCUA_TRY(check_enum("decentralisation.before_level", d.before_level,
                          {"commune", "district", "province", "national"}));
    MOTCUA_TRY(check_enum("decentralisation.after_level", d.after_level,
                          {"commune", "province", "national"}));
    if (!is_date(d.since))
      return bad("decentralisation.since", "phải là ngày dạng YYYY-MM-DD.",
                 "must be a date written YYYY-MM-DD.");
    MOTCUA_TRY(check_text("decentralisation.before_agency", d.before_agency, false, 1000));
    MOTCUA_TRY(check_text("decentralisation.after_agency", d.after_agency, false, 1000));
    MOTCUA_TRY(check_text("decentralisation.decree", d.decree, false, 200));
    MOTCUA_TRY(check_text("decentralisation.note", d.note, false));
  }
  MOTCUA_TRY(validate_verify(p.verify, "verify"));
  MOTCUA_TRY(check_text("source", p.source, false));
  for (const auto& [k, v] : p.original) {
    MOTCUA_TRY(check_text("original", k, true, 100));
    MOTCUA_TRY(check_text("original." + k, v, false, 200000));
  }
  return ok();
}

Result<void> validate(const Bundle& b, const std::set<std::string, std::less<>>& known_codes) {
  MOTCUA_TRY(check_text("code", b.code, true, 100));
  MOTCUA_TRY(check_text("name", b.name, true, 2000));
  MOTCUA_TRY(check_text("description", b.description, false));
  if (b.members.size() < 2)
    return bad("members", "phải có ít nhất hai thủ tục.", "must list at least two procedures.");
  for (std::size_t i = 0; i < b.members.size(); ++i)
    if (!known_codes.contains(b.members[i]))
      return bad("members[" + std::to_string(i) + "]",
                 "là mã '" + b.members[i] + "' không có trong danh mục.",
                 "is '" + b.members[i] + "', which is not in the catalog.");
  MOTCUA_TRY(validate_verify(b.verify, "verify"));
  return ok();
}

int next_version(int current, const Procedure* current_content, const Procedure& next) {
  if (current > 0 && current_content && *current_content == next) return current;
  return current + 1;
}

}  // namespace motcua::catalog
