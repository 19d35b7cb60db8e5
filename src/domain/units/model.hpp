// The dated registry of administrative units: plain data, no I/O.
//
// A unit code names different units over time (old commune 00004 was Phường
// Trúc Bạch; since 2025-07-01 00004 is Phường Ba Đình), so the registry keeps
// versions: each row is one code with one name and type over [valid_from, valid_to).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace motcua::units {

enum class Level { kProvince, kDistrict, kCommune };

const char* level_name(Level level);  // "province" | "district" | "commune"

// Dates are ISO "YYYY-MM-DD" strings: they compare correctly as text.
// An empty valid_from means "before the registry's records"; an empty valid_to
// means "still in force".
struct UnitVersion {
  std::string code;           // 2 digits province, 3 district, 5 commune
  Level level = Level::kCommune;
  std::string province_code;  // for districts and communes
  std::string district_code;  // for communes of the old 3-level system only
  std::string name;           // "Ba Đình"
  std::string full_name;      // "Phường Ba Đình"
  std::string name_en;
  std::string full_name_en;
  std::string unit_type;      // thanh_pho_tw, tinh, phuong, xa, dac_khu, thi_tran, quan, huyen, ...
  std::string valid_from;
  std::string valid_to;

  bool in_force_at(const std::string& date) const {
    return (valid_from.empty() || valid_from <= date) && (valid_to.empty() || date < valid_to);
  }
};

// One row of the 2025 conversion table: an old commune (or a whole old district)
// went, whole or in part, into a new commune.
struct Succession {
  std::string old_province_code;
  std::string old_province_name;
  std::string old_district_code;
  std::string old_district_name;
  std::string old_commune_code;  // empty when the old unit was a whole district
  std::string old_commune_name;
  std::string new_province_code;
  std::string new_province_name;
  std::string new_commune_code;
  std::string new_commune_name;
  std::string kind;  // whole, partial, unchanged, renamed, retyped, district_to_special_zone
  std::string note;  // original Vietnamese wording
  std::string effective;  // date the change took effect, "2025-07-01"
};

// Everything the registry holds; what the importer writes and the store loads.
struct ReferenceData {
  std::vector<UnitVersion> versions;
  std::vector<Succession> successions;
  // Which of the store's imports these rows are (they count up); 0 when read
  // from files. What a process counts by is tied to it (StatsService).
  std::int64_t import_id = 0;
};

// The date the two-level system took effect.
inline constexpr const char* kReformDate = "2025-07-01";

}  // namespace motcua::units
