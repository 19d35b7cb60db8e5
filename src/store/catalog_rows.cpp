#include "store/catalog_rows.hpp"

namespace motcua::store {

Error stale_write_error(const std::string& code, int expected, int actual) {
  if (expected == 0) {
    return make_error(
        ErrorKind::kConflict, "Thủ tục " + code + " đã có trong danh mục: không tạo lại được.",
        "Procedure " + code + " is already in the catalog: it cannot be created again.", "code");
  }
  return make_error(ErrorKind::kPreconditionFailed,
                    "Thủ tục " + code + " đã được sửa (phiên bản hiện tại là " +
                        std::to_string(actual) + ", không phải " + std::to_string(expected) +
                        "): hãy tải lại rồi sửa.",
                    "Procedure " + code + " was changed meanwhile (its current version is " +
                        std::to_string(actual) + ", not " + std::to_string(expected) +
                        "): reload it and edit again.",
                    "code");
}

}  // namespace motcua::store
