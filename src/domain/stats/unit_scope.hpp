// Which of a province's dossiers a figure covers. A province's figure is all
// that its communes and its own agencies handle; scope "own" narrows it to
// the dossiers whose competent unit is the province itself (procedures settled
// at the province, handled at its service centre). Those are counted on the
// unit rows of the province's code (contribution.hpp), as a commune's are on
// its own code, so the narrower figure costs what a commune's does. It exists
// for the staff placed at the province's code: their reach is that unit, not
// the communes (access/permissions.hpp), and without it they saw nothing.
#pragma once

#include <optional>
#include <string_view>

namespace motcua::stats {

enum class UnitScope { kAll, kOwn };

std::string_view unit_scope_name(UnitScope s);  // "all", "own"
std::optional<UnitScope> parse_unit_scope(std::string_view name);

}  // namespace motcua::stats
