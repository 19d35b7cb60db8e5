// Uploads and downloads of a dossier's files. An upload is sniffed (PDF,
// JPEG, PNG only), stored on disk by its SHA-256 (FileStore) and recorded
// for the person who sent it; a dossier's component, result or apology
// letter references it by that SHA-256. Only the uploader may reference or
// look up their upload; anyone who may see a dossier may download the files
// it references.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/access/principal.hpp"
#include "domain/dossier/dossier.hpp"
#include "domain/dossier/file_type.hpp"
#include "services/file_store.hpp"
#include "store/dossiers_store.hpp"

namespace motcua::services {

struct UploadOutcome {
  store::UploadRecord upload;
  // False: this person had uploaded these bytes before. Whether anyone else
  // had is not said (201 either way): it would tell what others hold.
  bool first_time = true;
};

class AttachmentService {
 public:
  AttachmentService(store::DossiersStore& store, FileStore files, std::size_t max_bytes);

  // 400 for nothing, 413 over the limit, 415 for a type not taken. The file
  // keeps `file_name` only if it is plain text, composed and cut to 255 bytes.
  Result<UploadOutcome> upload(const access::Principal& who, std::string_view bytes,
                               std::string_view file_name);
  // The principal's own upload; kNotFound for anyone else's.
  Result<store::UploadRecord> meta(const access::Principal& who, const std::string& sha256);
  // Each (field, file_ref) must name an upload of `who`: kUnprocessable
  // naming the field otherwise.
  Result<void> check_refs(const access::Principal& who,
                          const std::vector<std::pair<std::string, std::string>>& refs);
  // The bytes and type of `sha256` if dossier `d` references it (a
  // component, the result or an apology letter); kNotFound otherwise.
  struct File {
    std::string bytes;
    dossier::FileType type;
  };
  Result<File> read_for(const dossier::Dossier& d, const std::string& sha256);

  std::size_t max_bytes() const { return max_bytes_; }

 private:
  store::DossiersStore& store_;
  FileStore files_;
  std::size_t max_bytes_;
};

}  // namespace motcua::services
