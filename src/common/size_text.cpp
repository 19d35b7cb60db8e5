#include "common/size_text.hpp"

namespace motcua {

std::string size_text(std::size_t bytes, bool vietnamese) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MB";
  return std::to_string(bytes) + (vietnamese || bytes == 1 ? " byte" : " bytes");
}

}  // namespace motcua
