// IP addresses as the server meets them: a peer, an X-Forwarded-For hop, a
// trusted proxy's network, the address the login throttle counts. Here and not
// in http/ so that services/ can read an address without the HTTP layer.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace motcua {

// An IPv4 or IPv6 address; IPv4 is kept as IPv4-mapped IPv6 (::ffff:a.b.c.d)
// so that a dual-stack listener's peers match IPv4 networks.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};

  // "192.0.2.1", "2001:db8::1", "[2001:db8::1]"; nullopt otherwise.
  static std::optional<IpAddress> parse(std::string_view text);
  // The canonical text: dotted IPv4 for an IPv4 address.
  std::string text() const;
  // IPv4, written either way ("192.0.2.1" or "::ffff:192.0.2.1").
  bool is_v4() const;
  // 127.0.0.0/8 or ::1: a peer on this machine.
  bool is_loopback() const;
  // What one client is known by, for limits that count clients: an IPv6
  // client by its /64 ("2001:db8:1:2::/64"), since a host or a home is given
  // a whole /64 and may take a fresh address at will; IPv4 by the address.
  std::string client_key() const;
};

// The same for an address as text; text that is no address is its own key.
std::string client_key(std::string_view address);

}  // namespace motcua
