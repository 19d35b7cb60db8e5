#include "services/reference_data.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "domain/units/csv.hpp"
#include "text/fold.hpp"

namespace motcua::services {
namespace {

namespace fs = std::filesystem;
using units::CsvRow;
using units::CsvTable;
using units::Level;
using units::UnitVersion;

constexpr std::string_view kOldUnitsPrefix = "old_units_";
constexpr std::string_view kOldToNewPrefix = "old_to_new_";

Error file_error(const fs::path& path, std::string_view vi, std::string_view en) {
  return make_error(ErrorKind::kUnavailable, std::string(vi) + ": " + path.string(),
                    std::string(en) + ": " + path.string());
}

Result<CsvTable> read_csv(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return file_error(path, "Không mở được tệp dữ liệu", "Cannot open the data file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return file_error(path, "Lỗi khi đọc tệp dữ liệu", "Error reading the data file");
  return units::parse_csv(buf.str(), path.string());
}

// Gives typed access to the columns of one file, with errors that name the
// file, the line and the field.
class Columns {
 public:
  static Result<Columns> make(const CsvTable& table, const fs::path& path,
                              std::initializer_list<std::string_view> names) {
    Columns c;
    c.source_ = path.string();
    for (auto name : names) {
      const int i = table.column(name);
      if (i < 0) {
        return units::csv_field_error(c.source_, 1, name, "thiếu cột này trong dòng tiêu đề",
                                      "the header lacks this column");
      }
      c.index_.emplace_back(name, static_cast<std::size_t>(i));
    }
    return c;
  }

  // The NFC value of `name` in `row`.
  std::string get(const CsvRow& row, std::string_view name) const {
    for (const auto& [n, i] : index_) {
      if (n == name) return text::nfc(row.fields[i]);
    }
    throw std::logic_error("Columns::get: column not declared in make()");
  }

  // A value that must not be empty.
  Result<std::string> required(const CsvRow& row, std::string_view name) const {
    auto v = get(row, name);
    if (v.empty()) return error(row, name, "không được để trống", "must not be empty");
    return v;
  }

  // A code of exactly `digits` decimal digits; empty is allowed when `optional`.
  Result<std::string> code(const CsvRow& row, std::string_view name, std::size_t digits,
                           bool optional = false) const {
    auto v = get(row, name);
    if (v.empty() && optional) return v;
    const bool ok = v.size() == digits &&
                    std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!ok) {
      return error(row, name,
                   "mã phải gồm " + std::to_string(digits) + " chữ số, đang là \"" + v + "\"",
                   "the code must have " + std::to_string(digits) + " digits, got \"" + v + "\"");
    }
    return v;
  }

  Error error(const CsvRow& row, std::string_view name, std::string_view vi,
              std::string_view en) const {
    return units::csv_field_error(source_, row.line, name, vi, en);
  }

 private:
  std::string source_;
  std::vector<std::pair<std::string_view, std::size_t>> index_;  // names are literals
};

// Splits "Thành phố Hà Nội" into its type and name, from a list of prefixes.
struct Prefix {
  std::string_view text;
  std::string_view unit_type;
};

constexpr Prefix kProvincePrefixes[] = {{"Thành phố ", "thanh_pho_tw"}, {"Tỉnh ", "tinh"}};
constexpr Prefix kDistrictPrefixes[] = {
    {"Quận ", "quan"}, {"Huyện ", "huyen"}, {"Thị xã ", "thi_xa"}, {"Thành phố ", "thanh_pho"}};
constexpr Prefix kCommuneTypes[] = {{"Phường", "phuong"}, {"Xã", "xa"}, {"Thị trấn", "thi_tran"}};

// Whether `full` starts with `prefix` (ending in a space) in any letter case:
// the source writes both "Thành phố" and "Thành Phố". Upper and lower case of a
// Vietnamese letter have the same UTF-8 length, so the byte length carries over.
bool has_prefix(std::string_view full, std::string_view prefix) {
  return full.size() > prefix.size() && full[prefix.size() - 1] == ' ' &&
         text::fold(full.substr(0, prefix.size())) == text::fold(prefix);
}

template <std::size_t N>
const Prefix* match_prefix(const Prefix (&list)[N], std::string_view full) {
  for (const auto& p : list) {
    if (has_prefix(full, p.text)) return &p;
  }
  return nullptr;
}

// The date in a file name such as "old_units_2025-01-04.csv".
std::string date_of(const fs::path& path, std::string_view prefix) {
  const auto stem = path.stem().string();
  return stem.substr(prefix.size());
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// The one file in `dir` whose name is prefix + date + ".csv".
Result<fs::path> find_dated_file(const fs::path& dir, std::string_view prefix) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (name.size() > prefix.size() + 4 && name.substr(0, prefix.size()) == prefix &&
        entry.path().extension() == ".csv" && is_iso_date(date_of(entry.path(), prefix))) {
      found.push_back(entry.path());
    }
  }
  if (ec) return file_error(dir, "Không đọc được thư mục dữ liệu", "Cannot read the data folder");
  if (found.size() != 1) {
    const std::string pattern = std::string(prefix) + "YYYY-MM-DD.csv";
    return file_error(dir / pattern,
                      found.empty() ? "Thiếu tệp dữ liệu" : "Có nhiều hơn một tệp dữ liệu",
                      found.empty() ? "Missing data file" : "More than one data file");
  }
  return found.front();
}

// Old units: the 63 provinces, 696 districts and their communes, in force until
// the reform.
struct OldDistrict {
  std::string province_code;
  std::string province_name;
  std::string name;
};

Result<void> load_old_units(const fs::path& path, units::ReferenceData& out,
                            std::map<std::string, OldDistrict>& districts) {
  auto table = read_csv(path);
  if (!table) return table.error();
  auto cols = Columns::make(*table, path,
                            {"province_code", "province_name", "district_code", "district_name",
                             "commune_code", "commune_name", "commune_type"});
  if (!cols) return cols.error();
  const Columns& c = *cols;

  std::map<std::string, std::string> provinces;  // code -> full name
  auto old_version = [](Level level) {
    UnitVersion v;
    v.level = level;
    v.valid_to = units::kReformDate;
    return v;
  };

  for (const auto& row : table->rows) {
    auto pcode = c.code(row, "province_code", 2);
    if (!pcode) return pcode.error();
    auto pname = c.required(row, "province_name");
    if (!pname) return pname.error();
    auto dcode = c.code(row, "district_code", 3);
    if (!dcode) return dcode.error();
    auto dname = c.required(row, "district_name");
    if (!dname) return dname.error();
    auto ccode = c.code(row, "commune_code", 5, /*optional=*/true);
    if (!ccode) return ccode.error();

    if (auto [it, added] = provinces.emplace(*pcode, *pname); added) {
      const Prefix* p = match_prefix(kProvincePrefixes, *pname);
      if (!p) {
        return c.error(row, "province_name",
                       "tên tỉnh phải bắt đầu bằng \"Tỉnh\" hoặc \"Thành phố\"",
                       "a province name must start with \"Tỉnh\" or \"Thành phố\"");
      }
      auto v = old_version(Level::kProvince);
      v.code = *pcode;
      v.name = pname->substr(p->text.size());
      v.full_name = *pname;
      v.unit_type = p->unit_type;
      out.versions.push_back(std::move(v));
    } else if (it->second != *pname) {
      return c.error(row, "province_name", "tên khác với dòng trước có cùng mã tỉnh",
                     "the name differs from an earlier row with the same province code");
    }

    if (auto [it, added] = districts.emplace(*dcode, OldDistrict{*pcode, *pname, *dname}); added) {
      const Prefix* p = match_prefix(kDistrictPrefixes, *dname);
      if (!p) {
        return c.error(row, "district_name", "không nhận ra loại đơn vị cấp huyện",
                       "unknown kind of district (expected Quận, Huyện, Thị xã or Thành phố)");
      }
      auto v = old_version(Level::kDistrict);
      v.code = *dcode;
      v.province_code = *pcode;
      v.name = dname->substr(p->text.size());
      v.full_name = *dname;
      v.unit_type = p->unit_type;
      out.versions.push_back(std::move(v));
    } else if (it->second.province_code != *pcode || it->second.name != *dname) {
      return c.error(row, "district_name", "khác với dòng trước có cùng mã huyện",
                     "differs from an earlier row with the same district code");
    }

    // A district with no communes (Bạch Long Vĩ, Cồn Cỏ, ...) has an empty commune code.
    if (ccode->empty()) continue;
    auto cname = c.required(row, "commune_name");
    if (!cname) return cname.error();
    const auto ctype = c.get(row, "commune_type");
    const Prefix* type = nullptr;
    for (const auto& t : kCommuneTypes) {
      if (t.text == ctype) type = &t;
    }
    if (!type) {
      return c.error(row, "commune_type", "loại phải là Phường, Xã hoặc Thị trấn",
                     "the type must be Phường, Xã or Thị trấn");
    }
    // The name's own prefix wins over the type column, which is sometimes wrong
    // (27046 "Phường 5" of Phú Nhuận is typed Xã).
    for (const auto& t : kCommuneTypes) {
      if (has_prefix(*cname, std::string(t.text) + " ")) type = &t;
    }
    auto v = old_version(Level::kCommune);
    v.code = *ccode;
    v.province_code = *pcode;
    v.district_code = *dcode;
    const std::string prefix = std::string(type->text) + " ";
    v.name = has_prefix(*cname, prefix) ? cname->substr(prefix.size()) : *cname;
    v.full_name = *cname;
    v.unit_type = type->unit_type;
    out.versions.push_back(std::move(v));
  }
  return ok();
}

// One snapshot of the new units: provinces.csv and communes.csv in a dated folder.
using Snapshot = std::map<std::pair<std::string, Level>, UnitVersion>;

bool same_unit(const UnitVersion& a, const UnitVersion& b) {
  return a.name == b.name && a.full_name == b.full_name && a.name_en == b.name_en &&
         a.full_name_en == b.full_name_en && a.unit_type == b.unit_type &&
         a.province_code == b.province_code;
}

Result<Snapshot> load_snapshot(const fs::path& dir) {
  Snapshot snap;
  for (const Level level : {Level::kProvince, Level::kCommune}) {
    const bool province = level == Level::kProvince;
    const fs::path path = dir / (province ? "provinces.csv" : "communes.csv");
    auto table = read_csv(path);
    if (!table) return table.error();
    auto cols =
        province
            ? Columns::make(*table, path,
                            {"code", "name", "full_name", "name_en", "full_name_en", "unit_type"})
            : Columns::make(*table, path,
                            {"code", "province_code", "name", "full_name", "name_en",
                             "full_name_en", "unit_type"});
    if (!cols) return cols.error();
    const Columns& c = *cols;
    for (const auto& row : table->rows) {
      UnitVersion v;
      v.level = level;
      auto code = c.code(row, "code", province ? 2 : 5);
      if (!code) return code.error();
      v.code = *code;
      if (!province) {
        auto pcode = c.code(row, "province_code", 2);
        if (!pcode) return pcode.error();
        v.province_code = *pcode;
      }
      for (auto [field, target] : {std::pair{"name", &v.name}, std::pair{"full_name", &v.full_name},
                                   std::pair{"unit_type", &v.unit_type}}) {
        auto value = c.required(row, field);
        if (!value) return value.error();
        *target = std::move(*value);
      }
      v.name_en = c.get(row, "name_en");
      v.full_name_en = c.get(row, "full_name_en");
      if (!snap.emplace(std::pair{v.code, level}, v).second) {
        return c.error(row, "code", "mã bị trùng", "duplicate code");
      }
    }
  }
  // Every commune must belong to a province of the same snapshot.
  for (const auto& [key, v] : snap) {
    if (v.level == Level::kCommune && !snap.contains({v.province_code, Level::kProvince})) {
      return make_error(ErrorKind::kUnprocessable,
                        (dir / "communes.csv").string() + ": xã " + v.code + " thuộc tỉnh " +
                            v.province_code + " không có trong provinces.csv",
                        (dir / "communes.csv").string() + ": commune " + v.code +
                            " names province " + v.province_code + " which is not in provinces.csv",
                        "province_code");
    }
  }
  return snap;
}

// The dated snapshot folders ("2025-07-01", "2026-04-30", ...), oldest first.
Result<std::vector<fs::path>> snapshot_dirs(const fs::path& units_dir) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(units_dir, ec)) {
    if (entry.is_directory() && is_iso_date(entry.path().filename().string())) {
      dirs.push_back(entry.path());
    }
  }
  if (ec)
    return file_error(units_dir, "Không đọc được thư mục dữ liệu", "Cannot read the data folder");
  if (dirs.empty()) {
    return file_error(units_dir / "YYYY-MM-DD",
                      "Thiếu thư mục danh mục đơn vị mới (provinces.csv, communes.csv)",
                      "Missing the folder of new units (provinces.csv, communes.csv)");
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// Turns consecutive snapshots into versions: a unit unchanged across snapshots
// is one version; a change closes the old version and opens a new one.
Result<void> load_new_units(const fs::path& units_dir, units::ReferenceData& out) {
  auto dirs = snapshot_dirs(units_dir);
  if (!dirs) return dirs.error();
  std::map<std::pair<std::string, Level>, UnitVersion> open;  // versions still running
  for (const auto& dir : *dirs) {
    const std::string date = dir.filename().string();
    auto snap = load_snapshot(dir);
    if (!snap) return snap.error();
    for (auto it = open.begin(); it != open.end();) {
      auto found = snap->find(it->first);
      if (found == snap->end() || !same_unit(found->second, it->second)) {
        it->second.valid_to = date;
        out.versions.push_back(std::move(it->second));
        it = open.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& [key, v] : *snap) {
      if (open.contains(key)) continue;
      v.valid_from = date;
      open.emplace(key, std::move(v));
    }
  }
  for (auto& [key, v] : open) out.versions.push_back(std::move(v));
  return ok();
}

constexpr std::string_view kKinds[] = {"whole",   "partial", "unchanged",
                                       "renamed", "retyped", "district_to_special_zone"};

Result<void> load_successions(const fs::path& path,
                              const std::map<std::string, OldDistrict>& districts,
                              units::ReferenceData& out) {
  const std::string effective = date_of(path, kOldToNewPrefix);
  auto table = read_csv(path);
  if (!table) return table.error();
  auto cols = Columns::make(
      *table, path,
      {"old_province_code", "old_province_name", "old_district_code", "old_district_name",
       "old_commune_code", "old_commune_name", "new_province_code", "new_province_name",
       "new_commune_code", "new_commune_name", "kind", "note"});
  if (!cols) return cols.error();
  const Columns& c = *cols;
  out.successions.reserve(table->rows.size());
  std::set<std::string> old_communes;
  std::set<std::pair<std::string, std::string>> old_names;  // (district, full name)
  for (const auto& v : out.versions) {
    if (v.level != Level::kCommune || v.valid_to != units::kReformDate) continue;
    old_communes.insert(v.code);
    old_names.emplace(v.district_code, v.full_name);
  }
  for (const auto& row : table->rows) {
    units::Succession s;
    s.effective = effective;
    auto get_code = [&](const char* field, std::size_t digits, std::string& target,
                        bool optional = false) -> Result<void> {
      auto v = c.code(row, field, digits, optional);
      if (!v) return v.error();
      target = std::move(*v);
      return ok();
    };
    if (auto r = get_code("old_province_code", 2, s.old_province_code); !r) return r.error();
    if (auto r = get_code("old_district_code", 3, s.old_district_code); !r) return r.error();
    if (auto r = get_code("old_commune_code", 5, s.old_commune_code, true); !r) return r.error();
    if (auto r = get_code("new_province_code", 2, s.new_province_code); !r) return r.error();
    if (auto r = get_code("new_commune_code", 5, s.new_commune_code); !r) return r.error();
    s.old_province_name = c.get(row, "old_province_name");
    s.old_district_name = c.get(row, "old_district_name");
    s.old_commune_name = c.get(row, "old_commune_name");
    s.new_province_name = c.get(row, "new_province_name");
    s.new_commune_name = c.get(row, "new_commune_name");
    s.kind = c.get(row, "kind");
    s.note = c.get(row, "note");
    if (std::find(std::begin(kKinds), std::end(kKinds), s.kind) == std::end(kKinds)) {
      return c.error(row, "kind",
                     "phải là whole, partial, unchanged, renamed, retyped hoặc "
                     "district_to_special_zone",
                     "must be whole, partial, unchanged, renamed, retyped or "
                     "district_to_special_zone");
    }
    auto d = districts.find(s.old_district_code);
    if (d == districts.end()) {
      return c.error(row, "old_district_code", "huyện này không có trong danh mục đơn vị cũ",
                     "this district is not in the list of old units");
    }
    // The old list is the authority on old units: a few rows of the conversion
    // table give the new province in the old province columns (Cồn Cỏ: 44).
    s.old_province_code = d->second.province_code;
    s.old_province_name = d->second.province_name;
    // Three old communes are in the conversion table only (03980, 03983 and
    // 03984, wards of the town of Mộc Châu made in 2025): taken from it,
    // so that every old unit a resolution names can be looked up. Two more
    // codes (26953, 27076) name a ward the old list has under another code
    // and the same name: the list's stands.
    if (!s.old_commune_code.empty() &&
        !old_names.contains({s.old_district_code, s.old_commune_name}) &&
        old_communes.insert(s.old_commune_code).second) {
      UnitVersion v;
      v.level = Level::kCommune;
      v.valid_to = units::kReformDate;
      v.code = s.old_commune_code;
      v.province_code = s.old_province_code;
      v.district_code = s.old_district_code;
      v.full_name = s.old_commune_name;
      v.name = s.old_commune_name;
      for (const auto& t : kCommuneTypes) {
        const std::string prefix = std::string(t.text) + " ";
        if (has_prefix(s.old_commune_name, prefix)) {
          v.name = s.old_commune_name.substr(prefix.size());
          v.unit_type = t.unit_type;
        }
      }
      if (v.unit_type.empty()) {
        return c.error(row, "old_commune_name",
                       "xã không có trong danh mục đơn vị cũ phải bắt đầu bằng Phường, Xã hoặc "
                       "Thị trấn",
                       "an old commune missing from the old list must start with Phường, Xã or "
                       "Thị trấn");
      }
      out.versions.push_back(std::move(v));
    }
    out.successions.push_back(std::move(s));
  }
  return ok();
}

}  // namespace

Result<units::ReferenceData> load_reference_data(const std::string& data_dir) {
  const fs::path units_dir = fs::path(data_dir) / "units";
  units::ReferenceData data;
  std::map<std::string, OldDistrict> districts;

  auto old_path = find_dated_file(units_dir, kOldUnitsPrefix);
  if (!old_path) return old_path.error();
  if (auto r = load_old_units(*old_path, data, districts); !r) return r.error();

  if (auto r = load_new_units(units_dir, data); !r) return r.error();

  auto map_path = find_dated_file(units_dir, kOldToNewPrefix);
  if (!map_path) return map_path.error();
  if (auto r = load_successions(*map_path, districts, data); !r) return r.error();
  return data;
}

}  // namespace motcua::services
