// Use cases of the unit registry: search, one unit with its history, and the
// old-address resolver. The registry is read-only reference data, so it is
// held in memory and every call is a pure function of it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/units/registry.hpp"
#include "domain/units/resolver.hpp"

namespace motcua::services {

// The province of a unit code in force today (itself for a province), or
// nothing for an unknown code.
using ProvinceOf = std::function<std::optional<std::string>(std::string_view unit_code)>;
// The province the counters file `unit_code` under: its own code when it has
// none (an unknown code, or no ProvinceOf).
inline std::string counted_province(const ProvinceOf& province_of, const std::string& unit_code) {
  return (province_of ? province_of(unit_code) : std::nullopt).value_or(unit_code);
}

struct UnitDetail {
  const units::UnitVersion* version = nullptr;  // in force at the date, or the nearest one
  bool in_force = false;
  std::vector<const units::UnitVersion*> versions;
  std::vector<units::Predecessor> predecessors;
  // Where an old commune went; for an old district, one row per new commune
  // that took any of its communes.
  std::vector<const units::Succession*> successors;
  bool split = false;  // the old unit was divided between several new communes
};

class UnitService {
 public:
  explicit UnitService(units::ReferenceData data);

  // `at` must already be a valid ISO date.
  units::UnitPage search(const units::UnitQuery& query) const { return registry_.search(query); }
  Result<UnitDetail> get(const std::string& code, const std::string& at) const;
  units::Resolution resolve(std::string_view text, const std::string& at) const {
    return resolver_.resolve(text, at);
  }

  const units::Registry& registry() const { return registry_; }
  // The province lookup the services take, over this registry (which must
  // outlive it).
  ProvinceOf province_of() const;

 private:
  units::Registry registry_;
  units::Resolver resolver_;
};

}  // namespace motcua::services
