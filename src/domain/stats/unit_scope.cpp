#include "domain/stats/unit_scope.hpp"

namespace motcua::stats {

std::string_view unit_scope_name(UnitScope s) { return s == UnitScope::kOwn ? "own" : "all"; }

std::optional<UnitScope> parse_unit_scope(std::string_view name) {
  if (name == "all") return UnitScope::kAll;
  if (name == "own") return UnitScope::kOwn;
  return std::nullopt;
}

}  // namespace motcua::stats
