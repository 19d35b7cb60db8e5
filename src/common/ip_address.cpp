#include "common/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace motcua {
namespace {

constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress a;
  in_addr v4{};
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    std::memcpy(a.bytes.data(), kMappedPrefix.data(), kMappedPrefix.size());
    std::memcpy(a.bytes.data() + 12, &v4, 4);
    return a;
  }
  if (inet_pton(AF_INET6, buf, a.bytes.data()) == 1) return a;
  return std::nullopt;
}

std::string IpAddress::text() const {
  char buf[INET6_ADDRSTRLEN];
  const bool v4 = is_v4();
  inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data() + (v4 ? 12 : 0), buf, sizeof buf);
  return buf;
}

bool IpAddress::is_v4() const {
  return std::memcmp(bytes.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0;
}

bool IpAddress::is_loopback() const {
  if (is_v4()) return bytes[12] == 127;
  static constexpr std::array<std::uint8_t, 16> kLoopback6 = {0, 0, 0, 0, 0, 0, 0, 0,
                                                              0, 0, 0, 0, 0, 0, 0, 1};
  return bytes == kLoopback6;
}

std::string IpAddress::client_key() const {
  if (is_v4()) return text();
  IpAddress prefix = *this;
  std::fill(prefix.bytes.begin() + 8, prefix.bytes.end(), 0);
  return prefix.text() + "/64";
}

std::string client_key(std::string_view address) {
  const auto at = IpAddress::parse(address);
  return at ? at->client_key() : std::string(address);
}

}  // namespace motcua
