// Use cases of the unit registry: search, one unit with its history, and the
// old-address resolver. The registry is read-only reference data, so it is
// held in memory and every call is a pure function of it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "domain/units/registry.hpp"
#include "domain/units/resolver.hpp"

namespace motcua::services {

// The province of a unit code in force today (itself for a province), or
// nothing for an unknown code: what access control and filing go by, where a
// code no longer in force belongs to no province. `counted` is the province
// the counters file the code under, which may differ: see
// UnitService::province_of. A lookup made from one function counts by it too.
class ProvinceOf;
template <class F>
concept UnitLookup = !std::is_same_v<std::remove_cvref_t<F>, ProvinceOf> &&
                     std::is_invocable_r_v<std::optional<std::string>, F&, std::string_view>;

class ProvinceOf {
 public:
  using Lookup = std::function<std::optional<std::string>(std::string_view unit_code)>;

  ProvinceOf() = default;
  template <UnitLookup F>
  ProvinceOf(F lookup) : in_force_(std::move(lookup)) {}
  ProvinceOf(Lookup in_force, Lookup counted)
      : in_force_(std::move(in_force)), counted_(std::move(counted)) {}

  std::optional<std::string> operator()(std::string_view unit_code) const {
    return in_force_(unit_code);
  }
  std::optional<std::string> counted(std::string_view unit_code) const {
    return counted_ ? counted_(unit_code) : in_force_(unit_code);
  }
  explicit operator bool() const { return static_cast<bool>(in_force_); }

 private:
  Lookup in_force_;
  Lookup counted_;
};

// The province the counters file `unit_code` under: its own code when it has
// none (an unknown code, or no ProvinceOf).
inline std::string counted_province(const ProvinceOf& province_of, const std::string& unit_code) {
  return (province_of ? province_of.counted(unit_code) : std::nullopt).value_or(unit_code);
}

struct UnitDetail {
  const units::UnitVersion* version = nullptr;  // in force at the date, or the nearest one
  bool in_force = false;
  std::vector<const units::UnitVersion*> versions;
  std::vector<units::Predecessor> predecessors;
  // Where an old commune went; for an old district, one row per new commune
  // that took any of its communes; for an old province, one per new province.
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
  // The store's units import this registry was loaded from (0: from files).
  std::int64_t import_id() const { return import_id_; }
  // The province lookup the services take, over this service (which must
  // outlive it). It goes by the registry as it stands today; its `counted`
  // places a code not in force today in the province of the code's latest
  // version up to today (the first one when all are later), followed to the
  // province that took that one in whole when it is no longer in force,
  // rather than counting the code as a province of its own (out of every
  // province's and so the nation's figures). Counters roll up by today's
  // registry: a units import marks them, and the first process that has
  // loaded it counts every dossier again by the new one (StatsService).
  ProvinceOf province_of() const;

 private:
  std::optional<std::string> counted_province_of(std::string_view code) const;

  std::int64_t import_id_;  // before registry_, which takes the data
  units::Registry registry_;
  units::Resolver resolver_;
  // An old province -> the one new province all its units went into, and
  // when; none for a province divided between several.
  struct Successor {
    std::string code;
    std::string effective;
  };
  std::unordered_map<std::string, Successor> province_successor_;
};

}  // namespace motcua::services
