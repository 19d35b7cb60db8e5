#include "services/unit_service.hpp"

#include "common/dates.hpp"

namespace motcua::services {

namespace {

const std::string& province_code_of(const units::UnitVersion& v) {
  return v.level == units::Level::kProvince ? v.code : v.province_code;
}

}  // namespace

ProvinceOf UnitService::province_of() const {
  const units::Registry* registry = &registry_;
  auto in_force = [registry](std::string_view code) -> std::optional<std::string> {
    const auto* v = registry->at(code, vn_today());
    if (!v) return std::nullopt;
    return province_code_of(*v);
  };
  auto counted = [this](std::string_view code) { return counted_province_of(code); };
  return ProvinceOf(std::move(in_force), std::move(counted));
}

std::optional<std::string> UnitService::counted_province_of(std::string_view code) const {
  // Today's date is taken once: every action's counters come through here.
  const std::string today = vn_today();
  if (const auto* v = registry_.at(code, today)) return province_code_of(*v);
  // Not in force today, which is rare: as UnitService::get shows such a code,
  // its latest version up to today, else its first.
  const auto versions = registry_.versions(code);
  if (versions.empty()) return std::nullopt;
  const units::UnitVersion* last = versions.front();
  for (const auto* v : versions)
    if (v->valid_from.empty() || v->valid_from <= today) last = v;
  std::string province = province_code_of(*last);
  if (province.empty()) return std::nullopt;
  // A province gone since, into one that took it whole: that one (a few
  // steps at most, should a later update merge it again).
  for (int step = 0; step < 8 && !registry_.at(province, today); ++step) {
    const auto next = province_successor_.find(province);
    if (next == province_successor_.end() || next->second.effective > today) break;
    province = next->second.code;
  }
  return province;
}

UnitService::UnitService(units::ReferenceData data)
    : import_id_(data.import_id), registry_(std::move(data)), resolver_(registry_) {
  std::vector<std::string> divided;
  for (const auto& s : registry_.all_successions()) {
    if (s.old_province_code.empty() || s.new_province_code.empty()) continue;
    auto [it, added] = province_successor_.try_emplace(s.old_province_code,
                                                       Successor{s.new_province_code, s.effective});
    if (added) continue;
    if (it->second.code != s.new_province_code) divided.push_back(s.old_province_code);
    if (it->second.effective < s.effective) it->second.effective = s.effective;
  }
  for (const auto& code : divided) province_successor_.erase(code);
}

Result<UnitDetail> UnitService::get(const std::string& code, const std::string& at) const {
  UnitDetail d;
  d.versions = registry_.versions(code);
  if (d.versions.empty()) {
    return make_error(ErrorKind::kNotFound,
                      "Không có đơn vị hành chính mã " + code + ". Hãy tra cứu mã tại /api/v1/units?q=...",
                      "There is no administrative unit with code " + code +
                          ". Look codes up at /api/v1/units?q=...",
                      "code");
  }
  d.version = registry_.at(code, at);
  d.in_force = d.version != nullptr;
  if (!d.version) {
    // Not in force that day: show the latest version before it, else the first after.
    for (const auto* v : d.versions)
      if (v->valid_from.empty() || v->valid_from <= at) d.version = v;
    if (!d.version) d.version = d.versions.front();
  }
  if (!units::is_old_unit(*d.version)) {
    d.predecessors = registry_.predecessors(code, at);
  } else if (d.version->level == units::Level::kCommune) {
    d.successors = registry_.successors(code);
  } else if (d.version->level == units::Level::kDistrict) {
    d.successors = registry_.district_successors(code);
  } else {
    d.successors = registry_.province_successors(code);
  }
  for (const auto* s : d.successors) {
    d.split = d.split || s->new_commune_code != d.successors.front()->new_commune_code;
  }
  return d;
}

}  // namespace motcua::services
