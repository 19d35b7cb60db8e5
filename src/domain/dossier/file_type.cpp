#include "domain/dossier/file_type.hpp"

namespace motcua::dossier {

std::optional<FileType> sniff_file_type(std::string_view bytes) {
  using namespace std::string_view_literals;
  // PDF may have blank bytes before its header (readers accept it within the
  // first kilobyte), but nothing else: "<html>...%PDF-" is a page that would
  // pass for a paper. JPEG starts with SOI and a marker; PNG has its 8-byte
  // signature.
  const auto pdf = bytes.substr(0, 1024).find("%PDF-"sv);
  if (pdf != std::string_view::npos &&
      bytes.substr(0, pdf).find_first_not_of(" \t\r\n\f"sv) == std::string_view::npos) {
    return FileType{"application/pdf", "pdf"};
  }
  if (bytes.size() >= 4 && bytes.substr(0, 3) == "\xFF\xD8\xFF"sv) {
    return FileType{"image/jpeg", "jpg"};
  }
  if (bytes.substr(0, 8) == "\x89PNG\r\n\x1A\n"sv) return FileType{"image/png", "png"};
  return std::nullopt;
}

}  // namespace motcua::dossier
