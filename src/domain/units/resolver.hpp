// Resolves an address as people write it to the NEW commune that serves it.
//
// The text may use old or new names, no diacritics, upper case, decomposed
// Unicode, either tone-mark placement, abbreviations (P. Q. H. TX. TT. TP.
// Tp.HCM, HCM, HN) and a house number and street before the commune. Built once
// from a Registry (which must outlive it); resolve() is const and thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/units/registry.hpp"

namespace motcua::units {

// How an old commune (or whole old district) led to the candidate.
struct Via {
  std::string old_commune_code;  // empty when a whole district went
  std::string old_district_code;
  std::string kind;  // whole, partial, unchanged, renamed, retyped, district_to_special_zone
};

struct Candidate {
  std::string code;
  std::string full_name;
  std::string province_code;
  std::string province_name;
  double score = 0;        // in (0, 1]
  std::optional<Via> via;  // absent when the text named the unit itself
};

struct Resolution {
  std::vector<Candidate> candidates;  // best first
  bool split = false;  // the old commune (or district) was divided between several new ones
  std::string reason_vi, reason_en;  // why nothing was found, or a note (split, ambiguous)
  // When the text names a new unit that was not yet in force on the date: the
  // old units that went into it (whole or in part), which served its area then.
  std::vector<Predecessor> predecessors;
};

class Resolver {
 public:
  explicit Resolver(const Registry& registry);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // `at` is an ISO date ("2026-07-01"); the candidates are communes in force then
  // (before the reform, an old district named without a commune is its own candidate).
  // An empty `at` means the units in force now.
  Resolution resolve(std::string_view text, std::string_view at) const;

  // Most candidates returned for one query.
  static constexpr std::size_t kMaxCandidates = 20;

 private:
  struct Index;
  const Registry& registry_;
  std::unique_ptr<Index> index_;
};

}  // namespace motcua::units
