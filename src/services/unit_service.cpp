#include "services/unit_service.hpp"

#include "common/dates.hpp"

namespace motcua::services {

ProvinceOf UnitService::province_of() const {
  const units::Registry* registry = &registry_;
  return [registry](std::string_view code) -> std::optional<std::string> {
    const auto* v = registry->at(code, vn_today());
    if (!v) return std::nullopt;
    if (v->level == units::Level::kProvince) return v->code;
    return v->province_code;
  };
}

UnitService::UnitService(units::ReferenceData data)
    : registry_(std::move(data)), resolver_(registry_) {}

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
  }
  for (const auto* s : d.successors) {
    d.split = d.split || s->new_commune_code != d.successors.front()->new_commune_code;
  }
  return d;
}

}  // namespace motcua::services
