// The dated registry of administrative units: built once from ReferenceData,
// then immutable and safe to share between threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/units/model.hpp"

namespace motcua::units {

// Filters of a unit search. `at` is the date the units must be in force
// (empty: the units in force now, i.e. with no end date). `q` matches when every
// folded token of q is a prefix of a token of the unit's folded full_name or name.
// `after` is the next_cursor of the previous page of the same query.
struct UnitQuery {
  std::optional<Level> level;
  std::string province;  // province code; empty for all
  std::string q;
  std::string at;
  std::string after;
  std::size_t limit = 50;
};

// Without q the items are ordered by code, then level. With q the name itself
// comes first ("An Hội" is Phường An Hội), then the names that begin with it
// (An Hội Tây), then the others (Hội An), each by code, then level.
struct UnitPage {
  std::vector<const UnitVersion*> items;
  std::string next_cursor;  // empty when there is no further page
};

// One old unit that went (whole or in part) into a new one.
struct Predecessor {
  std::string old_code;   // commune code; the district code when a whole district went
  std::string old_name;   // full name, "Phường Trúc Bạch"
  std::string old_level;  // "commune" | "district" | "province"
  std::string old_district_code;
  std::string old_district_name;
  std::string old_province_code;
  std::string old_province_name;
  std::string kind;  // whole, partial, unchanged, renamed, retyped, district_to_special_zone
  std::string note;
  std::string effective;
};

class Registry {
 public:
  explicit Registry(ReferenceData data);

  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Every version of `code`, oldest first, all levels.
  std::vector<const UnitVersion*> versions(std::string_view code) const;

  // The version of `code` in force at `date` (empty date: in force now), or nullptr.
  const UnitVersion* at(std::string_view code, std::string_view date) const;

  UnitPage search(const UnitQuery& query) const;

  // What went into the unit `new_code` in force at `at`: old communes or whole
  // districts for a commune, old provinces for a province. Empty for an old unit.
  std::vector<Predecessor> predecessors(std::string_view new_code, std::string_view at) const;

  // Where the old commune went (several rows when it was split).
  std::vector<const Succession*> successors(std::string_view old_commune_code) const;

  // Where an old province went: one row per new province that took any of its
  // units, with the new province's code and name in the new_commune_ fields
  // and empty old district and commune codes; "whole" when it went into one.
  std::vector<const Succession*> province_successors(std::string_view old_province_code) const;

  // Rows of the conversion table into a new commune.
  std::vector<const Succession*> successions_into(std::string_view new_commune_code) const;

  // Rows for a whole old district (empty old commune code): Bạch Long Vĩ, Cồn Cỏ, ...
  std::vector<const Succession*> district_successions(std::string_view old_district_code) const;

  // Where an old district went: one row per new commune that took any of its
  // communes, by new code, with an empty old commune code. A district divided
  // between several new communes gives "partial" rows whose note names the old
  // communes each took; a district that went into one gives its own row, or one
  // "whole" row. Empty for a code that is no old district.
  std::vector<const Succession*> district_successors(std::string_view old_district_code) const;

  const std::vector<UnitVersion>& all_versions() const { return versions_; }
  const std::vector<Succession>& all_successions() const { return successions_; }

  // Folded "name" and "full_name" of a version held by this registry.
  const std::string& folded_name(const UnitVersion& v) const;
  const std::string& folded_full_name(const UnitVersion& v) const;

 private:
  std::size_t index_of(const UnitVersion& v) const;
  void build_district_successors();
  void build_province_successors();
  UnitPage search_by_relevance(const UnitQuery& query) const;

  using Index = std::unordered_map<std::string, std::vector<std::size_t>>;

  std::vector<UnitVersion> versions_;  // sorted by code, level, valid_from
  std::vector<Succession> successions_;
  std::vector<std::string> folded_name_;               // parallel to versions_
  std::vector<std::string> folded_full_name_;          // parallel to versions_
  // Per version: the name's tokens, which a query word may begin, then after
  // `type_from_[i]` the full name's others (its type: "phuong", "xa",
  // "thanh pho"), which it must equal: "phu" is not "phường".
  std::vector<std::vector<std::string>> name_tokens_;
  std::vector<std::size_t> type_from_;
  Index by_old_commune_;
  Index by_new_commune_;
  Index by_old_district_;  // only rows with an empty old commune code
  // district_successors(): rows made from the district's rows, or its own row
  std::vector<Succession> district_rows_;
  std::unordered_map<std::string, std::vector<const Succession*>> district_successors_;
  std::vector<Succession> province_rows_;  // province_successors(), made once
  std::unordered_map<std::string, std::vector<const Succession*>> province_successors_;
};

// Old units are those that ended on the reform date.
inline bool is_old_unit(const UnitVersion& v) {
  return !v.valid_to.empty() && v.valid_to <= kReformDate;
}

}  // namespace motcua::units
