// Files on disk by content: <dir>/<first two hex digits>/<sha256>. A file is
// written to a temporary name, fsynced, renamed into place and its folder
// fsynced, so once put() returns the bytes survive a crash; the same bytes
// are stored once.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/sha256.hpp"

namespace motcua::services {

// Whether `text` looks like sha256_hex's output (as a file name, it must).
bool is_sha256_hex(std::string_view text);

class FileStore {
 public:
  explicit FileStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Stores `bytes` under `sha256` (the caller's sha256_hex(bytes)).
  Result<void> put(const std::string& sha256, std::string_view bytes) const;
  // The bytes stored under `sha256`; kNotFound if none.
  Result<std::string> get(const std::string& sha256) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path path_of(const std::string& sha256) const;
  std::filesystem::path dir_;
};

}  // namespace motcua::services
