// What kind of file an upload is, told from its first bytes, never from its
// name or the Content-Type the client sent: only PDF, JPEG and PNG are taken
// as components of a dossier.
#pragma once

#include <optional>
#include <string_view>

namespace motcua::dossier {

struct FileType {
  std::string_view media_type;  // "application/pdf", "image/jpeg", "image/png"
  std::string_view extension;   // "pdf", "jpg", "png"
};

// The allowed type the bytes begin with, or nullopt (not allowed, or empty).
std::optional<FileType> sniff_file_type(std::string_view bytes);

// For messages: "PDF, JPEG, PNG".
inline constexpr std::string_view kAllowedFileTypes = "PDF, JPEG, PNG";

}  // namespace motcua::dossier
