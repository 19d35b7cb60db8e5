#include "http/client_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "http/message.hpp"

namespace motcua::http {
namespace {

constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_mapped(const IpAddress& a) {
  return std::memcmp(a.bytes.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One X-Forwarded-For hop: an address, bracketed or not, with or without a port.
std::optional<IpAddress> parse_hop(std::string_view hop) {
  hop = trim(hop);
  if (!hop.empty() && hop.front() == '[') {
    const auto close = hop.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return IpAddress::parse(hop.substr(1, close - 1));
  }
  if (auto a = IpAddress::parse(hop)) return a;
  const auto colon = hop.find(':');
  if (colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos)
    return IpAddress::parse(hop.substr(0, colon));  // IPv4:port
  return std::nullopt;
}

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
  const bool v4 = is_mapped(*this);
  inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data() + (v4 ? 12 : 0), buf, sizeof buf);
  return buf;
}

bool TrustedProxies::add(std::string_view network) {
  const auto slash = network.find('/');
  auto base = IpAddress::parse(network.substr(0, slash));
  if (!base) return false;
  const bool v4 = is_mapped(*base) && network.substr(0, slash).find(':') == std::string_view::npos;
  const int width = v4 ? 32 : 128;
  int bits = width;
  if (slash != std::string_view::npos) {
    const auto digits = network.substr(slash + 1);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size() || bits < 0 ||
        bits > width) {
      return false;
    }
  }
  networks_.push_back({*base, bits + (128 - width)});
  return true;
}

bool TrustedProxies::contains(const IpAddress& address) const {
  for (const Network& n : networks_) {
    const int whole = n.prefix / 8;
    const int rest = n.prefix % 8;
    if (std::memcmp(address.bytes.data(), n.base.bytes.data(), whole) != 0) continue;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    if ((address.bytes[whole] & mask) == (n.base.bytes[whole] & mask)) return true;
  }
  return false;
}

bool TrustedProxies::forwarded_tls(std::string_view peer, const Request& req) const {
  const auto proto = req.header("x-forwarded-proto");
  if (!proto || !iequals(*proto, "https")) return false;
  if (networks_.empty()) return true;
  const auto at = IpAddress::parse(peer);
  return at && contains(*at);
}

std::string TrustedProxies::client_of(std::string_view peer, const Request& req) const {
  auto at = IpAddress::parse(peer);
  if (!at || !contains(*at)) return std::string(peer);
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : req.headers) {
    if (name != "x-forwarded-for") continue;
    std::string_view rest = value;
    while (true) {
      const auto comma = rest.find(',');
      hops.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    auto next = parse_hop(*hop);
    if (!next) break;
    at = next;
    if (!contains(*at)) break;
  }
  return at->text();
}

}  // namespace motcua::http
