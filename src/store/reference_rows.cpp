#include "store/reference_rows.hpp"

#include <charconv>

namespace motcua::store {

std::optional<std::int64_t> units_import_of(std::string_view reason) {
  if (!reason.starts_with(kUnitsImportMark)) return std::nullopt;
  reason.remove_prefix(kUnitsImportMark.size());
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(reason.data(), reason.data() + reason.size(), id);
  if (ec != std::errc{} || end != reason.data() + reason.size()) return std::nullopt;
  return id;
}

const char* level_text(units::Level level) {
  switch (level) {
    case units::Level::kProvince:
      return "province";
    case units::Level::kDistrict:
      return "district";
    case units::Level::kCommune:
      return "commune";
  }
  return "commune";
}

std::optional<units::Level> level_from_text(std::string_view text) {
  if (text == "province") return units::Level::kProvince;
  if (text == "district") return units::Level::kDistrict;
  if (text == "commune") return units::Level::kCommune;
  return std::nullopt;
}

Error rejected_row_error(const units::ReferenceData& data, ReferenceTable table, std::size_t index,
                         bool duplicate_key, const std::string& reason) {
  const std::string row = std::to_string(index + 1);
  std::string what_vi;
  std::string what_en;
  std::string param;
  std::string hint_vi;
  std::string hint_en;
  if (table == ReferenceTable::kVersions) {
    param = "versions[" + std::to_string(index) + "]";
    std::string key;
    if (index < data.versions.size()) {
      const auto& v = data.versions[index];
      key = std::string(level_text(v.level)) + " " + v.code + ", valid_from '" + v.valid_from + "'";
    }
    what_vi = "phiên bản đơn vị hành chính thứ " + row + " (" + key + ")";
    what_en = "unit version row " + row + " (" + key + ")";
    if (duplicate_key) {
      hint_vi = "trùng khoá (cấp, mã, ngày hiệu lực) với một dòng trước đó; ";
      hint_en = "it repeats the (level, code, valid_from) of an earlier row; ";
    }
  } else {
    param = "successions[" + std::to_string(index) + "]";
    std::string key;
    if (index < data.successions.size()) {
      const auto& s = data.successions[index];
      key =
          "old " + s.old_district_code + "/" + s.old_commune_code + " -> new " + s.new_commune_code;
    }
    what_vi = "dòng chuyển đổi thứ " + row + " (" + key + ")";
    what_en = "succession row " + row + " (" + key + ")";
  }
  return make_error(ErrorKind::kBadRequest,
                    "Không nhập được dữ liệu tham chiếu: " + what_vi + " bị từ chối: " + hint_vi +
                        reason + ". Không có gì thay đổi; hãy sửa dòng này rồi nhập lại.",
                    "Reference data not imported: " + what_en + " was rejected: " + hint_en +
                        reason + ". Nothing was changed; fix that row and import again.",
                    std::move(param));
}

Error rejected_import_error(const std::string& reason) {
  return make_error(ErrorKind::kBadRequest,
                    "Không nhập được dữ liệu tham chiếu: " + reason + ". Không có gì thay đổi.",
                    "Reference data not imported: " + reason + ". Nothing was changed.");
}

Error not_migrated_error(const char* backend) {
  return make_error(
      ErrorKind::kUnavailable,
      std::string("Cơ sở dữ liệu ") + backend +
          " chưa có lược đồ: hãy chạy `motcua migrate` trước.",
      std::string("The ") + backend + " database has no schema yet: run `motcua migrate` first.");
}

}  // namespace motcua::store
