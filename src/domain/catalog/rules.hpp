// The rules a procedure must keep before it is stored: each failure is a
// kBadRequest Error whose param names the field ("channels[1].fee_vnd"), and
// the version rule (an edit makes a new version; an unchanged one does not).
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domain/catalog/model.hpp"

namespace motcua::catalog {

// True for a national code "1.001193" (digit, dot, six digits) or a local
// placeholder "L.000001" used until the national code is confirmed.
bool valid_code(std::string_view code);

// Checks every field of `p`; the first problem found is returned.
Result<void> validate(const Procedure& p);

// Checks a bundle; every member must be one of `known_codes`.
Result<void> validate(const Bundle& b, const std::set<std::string, std::less<>>& known_codes);

// The version an edit of `current` (0: none yet) to `next` gets: current + 1,
// or current itself when nothing changed (saving twice makes one version).
int next_version(int current, const Procedure* current_content, const Procedure& next);

}  // namespace motcua::catalog
