#include "http/client_address.hpp"

#include <charconv>
#include <cstring>

#include "http/message.hpp"

namespace motcua::http {
namespace {

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

bool TrustedProxies::add(std::string_view network) {
  const auto slash = network.find('/');
  auto base = IpAddress::parse(network.substr(0, slash));
  if (!base) return false;
  const bool v4 = base->is_v4() && network.substr(0, slash).find(':') == std::string_view::npos;
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

TrustedProxies::ForwardedTls TrustedProxies::forwarded_tls_of(std::string_view peer,
                                                              const Request& req) const {
  const auto proto = req.header("x-forwarded-proto");
  if (!proto || !iequals(*proto, "https")) return ForwardedTls::kNotSaid;
  return is_proxy(peer) ? ForwardedTls::kBelieved : ForwardedTls::kNotBelieved;
}

bool TrustedProxies::is_proxy(std::string_view peer) const {
  const auto at = IpAddress::parse(peer);
  return at && (networks_.empty() ? at->is_loopback() : contains(*at));
}

std::size_t PeersOnce::remember(std::string_view peer) {
  if (full_.load(std::memory_order_relaxed)) return 0;
  std::lock_guard lock(mu_);
  for (const auto& s : seen_)
    if (s == peer) return 0;
  if (seen_.size() >= capacity_) return 0;
  seen_.emplace_back(peer);
  if (seen_.size() == capacity_) full_.store(true, std::memory_order_relaxed);
  return seen_.size();
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
