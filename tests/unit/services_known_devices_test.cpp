// A device's token names it for the account it was issued to, by this
// process, and for nothing else.
#include <gtest/gtest.h>

#include <string>

#include "services/known_devices.hpp"

namespace motcua::services {
namespace {

TEST(KnownDevices, ATokenIsKnownForItsAccountOnly) {
  KnownDevices devices;
  const std::string token = devices.issue("lan");
  const std::string id = devices.id_of(token, "lan");
  EXPECT_EQ(id.size(), 43u);
  EXPECT_EQ(token.substr(0, 43), id);
  EXPECT_EQ(devices.id_of(token, "minh"), "");
  EXPECT_NE(devices.id_of(devices.issue("lan"), "lan"), id);  // each device its own
}

TEST(KnownDevices, AnAlteredMalformedOrEarlierTokenIsNotKnown) {
  KnownDevices devices;
  std::string token = devices.issue("lan");
  for (std::size_t at : {std::size_t{0}, std::size_t{44}, token.size() - 1}) {
    std::string altered = token;
    altered[at] = altered[at] == 'a' ? 'b' : 'a';
    EXPECT_EQ(devices.id_of(altered, "lan"), "") << at;
  }
  EXPECT_EQ(devices.id_of("", "lan"), "");
  EXPECT_EQ(devices.id_of(token.substr(0, 43), "lan"), "");
  EXPECT_EQ(devices.id_of(token + "0", "lan"), "");
  // Another process (a restart) has another key.
  KnownDevices restarted;
  EXPECT_EQ(restarted.id_of(token, "lan"), "");
}

TEST(KnownDevices, EachAccountHasItsOwnCookie) {
  EXPECT_EQ(KnownDevices::cookie_name("lan"), KnownDevices::cookie_name("lan"));
  EXPECT_NE(KnownDevices::cookie_name("lan"), KnownDevices::cookie_name("minh"));
  EXPECT_EQ(KnownDevices::cookie_name("lan").rfind("motcua_device_", 0), 0u);
}

}  // namespace
}  // namespace motcua::services
