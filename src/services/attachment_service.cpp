#include "services/attachment_service.hpp"

#include <chrono>
#include <utility>

#include "common/size_text.hpp"
#include "services/request_text.hpp"
#include "text/fold.hpp"

namespace motcua::services {
namespace {

Error no_file(const std::string& sha256) {
  return make_error(ErrorKind::kNotFound, "Không có tệp " + sha256 + " mà bạn được xem.",
                    "There is no file " + sha256 + " that you may see.", "sha256");
}

// The name an upload keeps: the text rule of every request (no control
// character, no direction override, composed), at most kMaxFileName bytes cut
// between characters. A name that breaks the rule is not kept, the file is:
// the name comes from the sender's file system, not from what they typed.
constexpr std::size_t kMaxFileName = 255;

std::string kept_name(std::string_view raw) {
  // The text rule lets tab and line breaks through, as a note may hold them;
  // a file name has no use for them and a line break splits it when written.
  if (!text::valid_utf8(raw) || raw.find_first_of("\t\r\n") != std::string_view::npos) return "";
  auto name = request_text(raw, "X-File-Name");
  if (!name) return "";
  return std::string(text::utf8_prefix(*name, kMaxFileName));
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

AttachmentService::AttachmentService(store::DossiersStore& store, FileStore files,
                                     std::size_t max_bytes)
    : store_(store), files_(std::move(files)), max_bytes_(max_bytes) {}

Result<UploadOutcome> AttachmentService::upload(const access::Principal& who,
                                                std::string_view bytes,
                                                std::string_view file_name) {
  if (bytes.empty()) {
    return make_error(ErrorKind::kBadRequest, "Tệp tải lên không có nội dung.",
                      "The upload is empty.", "body");
  }
  if (bytes.size() > max_bytes_) {
    return make_error(ErrorKind::kPayloadTooLarge,
                      "Tệp vượt quá giới hạn " + size_text(max_bytes_, true) + ".",
                      "The file is over the limit of " + size_text(max_bytes_) + ".", "body");
  }
  const auto type = dossier::sniff_file_type(bytes);
  if (!type) {
    const std::string allowed(dossier::kAllowedFileTypes);
    return make_error(
        ErrorKind::kUnsupportedMediaType,
        "Chỉ nhận tệp " + allowed + "; nội dung tệp này không thuộc loại nào trong đó.",
        "Only " + allowed + " files are taken; this file's content is none of them.", "body");
  }
  store::UploadRecord rec{sha256_hex(bytes),
                          std::to_string(who.user_id),
                          static_cast<std::int64_t>(bytes.size()),
                          std::string(type->media_type),
                          kept_name(file_name),
                          now_seconds()};
  // The bytes first (put keeps those already there), then the record: a
  // record never points at nothing.
  if (auto r = files_.put(rec.sha256, bytes); !r) return r.error();
  auto fresh = store_.record_upload(rec);
  if (!fresh) return fresh.error();
  if (!*fresh) {
    auto first = store_.find_upload(rec.sha256, rec.uploaded_by);
    if (!first) return first.error();
    if (*first) rec = **first;
  }
  return UploadOutcome{std::move(rec), *fresh};
}

Result<store::UploadRecord> AttachmentService::meta(const access::Principal& who,
                                                    const std::string& sha256) {
  if (!is_sha256_hex(sha256)) return no_file(sha256);
  auto rec = store_.find_upload(sha256, std::to_string(who.user_id));
  if (!rec) return rec.error();
  if (!*rec) return no_file(sha256);
  return **rec;
}

Result<void> AttachmentService::check_refs(
    const access::Principal& who, const std::vector<std::pair<std::string, std::string>>& refs) {
  for (const auto& [field, ref] : refs) {
    std::optional<store::UploadRecord> found;
    if (is_sha256_hex(ref)) {
      auto rec = store_.find_upload(ref, std::to_string(who.user_id));
      if (!rec) return rec.error();
      found = std::move(*rec);
    }
    if (!found) {
      return make_error(ErrorKind::kUnprocessable,
                        "Trường '" + field +
                            "' phải là mã SHA-256 của một tệp bạn đã tải lên"
                            " (POST /api/v1/attachments).",
                        "Field '" + field +
                            "' must be the SHA-256 of a file you uploaded"
                            " (POST /api/v1/attachments).",
                        field);
    }
  }
  return ok();
}

Result<AttachmentService::File> AttachmentService::read_for(const dossier::Dossier& d,
                                                            const std::string& sha256) {
  bool referenced = d.result && d.result->file_ref == sha256;
  for (const auto& c : d.components) referenced = referenced || c.file_ref == sha256;
  for (const auto& a : d.apologies) referenced = referenced || a.letter_ref == sha256;
  if (!referenced || !is_sha256_hex(sha256)) return no_file(sha256);
  auto bytes = files_.get(sha256);
  if (!bytes) return no_file(sha256);
  auto type = dossier::sniff_file_type(*bytes);
  if (!type) return no_file(sha256);
  return File{std::move(*bytes), *type};
}

}  // namespace motcua::services
