#include "store/dossiers_store.hpp"

namespace motcua::store {

Result<void> check_history(const DossierRecord& r, const std::vector<dossier::Event>& events) {
  auto bad = [&](const std::string& why_vi, const std::string& why_en) {
    return make_error(ErrorKind::kInternal,
                      "Lịch sử hồ sơ " + r.id + " không khớp: " + why_vi + ".",
                      "The history of dossier " + r.id + " does not match: " + why_en + ".");
  };
  if (events.empty()) return bad("không có bản ghi nhật ký nào", "no event");
  std::string_view prev = dossier::kGenesisHash;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.dossier_id != r.id) {
      return bad("có bản ghi nhật ký của hồ sơ khác", "event of another dossier");
    }
    if (e.seq != static_cast<std::int64_t>(i + 1)) {
      return bad("các bản ghi nhật ký không theo đúng thứ tự", "events out of sequence");
    }
    if (e.prev_hash != prev) return bad("chuỗi nhật ký bị đứt", "broken link");
    prev = e.hash;
  }
  if (r.head.seq != events.back().seq || r.head.hash != events.back().hash ||
      r.version != static_cast<std::int64_t>(events.size())) {
    return bad("đầu chuỗi", "head");
  }
  return ok();
}

Result<void> check_prepared(const DossierRecord& r, std::int64_t expected_version,
                            const dossier::Event& e) {
  if (e.dossier_id != r.id || e.seq != r.head.seq || e.hash != r.head.hash ||
      e.hash.empty() || r.version != expected_version + 1) {
    return make_error(
        ErrorKind::kInternal,
        "Thay đổi chuẩn bị sẵn của hồ sơ " + r.id + " không khớp phiên bản của hồ sơ.",
        "The prepared change of dossier " + r.id + " does not follow its version.");
  }
  return ok();
}

Error version_refusal(const DossierRecord& r, std::int64_t expected_version,
                      const std::optional<DossierRecord>& current) {
  if (!current) {
    return make_error(ErrorKind::kNotFound, "Không có hồ sơ " + r.id + ".",
                      "There is no dossier " + r.id + ".", "code");
  }
  const std::string name = r.code.empty() ? r.id : r.code;
  const std::string actual = std::to_string(current->version);
  const std::string expected = std::to_string(expected_version);
  return make_error(ErrorKind::kPreconditionFailed,
                    "Hồ sơ " + name + " đã thay đổi (phiên bản " + actual + ", không phải " +
                        expected + "): hãy tải lại rồi thử lại.",
                    "Dossier " + name + " has changed (version " + actual + ", not " + expected +
                        "): reload it and try again.",
                    "If-Match");
}

Error outbox_entry_missing(const OutboxRow& row) {
  const std::string entry = row.dossier_id + " #" + std::to_string(row.event_seq);
  return make_error(ErrorKind::kInternal,
                    "Hộp thư đi có mục " + std::to_string(row.id) + " trỏ tới bản ghi nhật ký " +
                        entry + " không tồn tại.",
                    "Outbox row " + std::to_string(row.id) + " refers to log entry " + entry +
                        ", which is not there.");
}

}  // namespace motcua::store
