// `motcua user add`: creates a staff account from the command line (the first
// system admin of a new installation). The password comes from stdin, so it is
// neither in the shell history nor in the process list.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "app/commands.hpp"
#include "services/account_service.hpp"
#include "services/database_setup.hpp"
#include "services/unit_service.hpp"
#include "store/store.hpp"

namespace motcua::app {

int run_user_add(const Options& o) {
  if (o.username.empty() || o.roles.empty() || !o.password_stdin) {
    std::fprintf(stderr,
                 "motcua: user add needs --username, --role and --password-stdin\n"
                 "motcua: user add cần --username, --role và --password-stdin\n%s",
                 usage());
    return 2;
  }
  std::string password;
  {
    // Typed at a terminal, the password is not shown as it is typed.
    termios before{};
    const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &before) == 0;
    if (tty) {
      termios quiet = before;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
      std::fprintf(stderr, "Mật khẩu / Password: ");
    }
    const bool read = static_cast<bool>(std::getline(std::cin, password));
    if (tty) {
      (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &before);
      std::fprintf(stderr, "\n");
    }
    if (!read || password.empty()) {
      std::fprintf(stderr,
                   "motcua: user add: no password on stdin (its first line is the password)\n"
                   "motcua: user add: không có mật khẩu ở stdin (dòng đầu tiên là mật khẩu)\n");
      return 2;
    }
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();

  auto opened = store::open_store(o.db);
  if (!opened) return report("user add", opened.error()), 1;
  store::Store& store = **opened;
  auto setup = services::prepare_database(store, o.data_dir);
  if (!setup) return report("user add", setup.error()), 1;
  auto data = store.load_reference_data();
  if (!data) return report("user add", data.error()), 1;
  services::UnitService units(std::move(*data));
  services::AccountService accounts(store.accounts(), units.province_of());
  // A --province other than the unit's is refused by create_user.
  services::NewUser u;
  u.kind = "staff";
  u.username = o.username;
  u.display_name = o.display_name.empty() ? o.username : o.display_name;
  u.roles = o.roles;
  u.unit_code = o.unit;
  u.province_code = o.province;
  u.password = std::move(password);
  auto created = accounts.create_user(nullptr, u);
  if (!created) return report("user add", created.error()), 1;
  std::printf("created account %lld: %s (%s)%s%s\n", static_cast<long long>(created->id),
              created->username.c_str(), created->roles.c_str(),
              created->unit_code.empty() ? "" : " unit ", created->unit_code.c_str());
  return 0;
}

}  // namespace motcua::app
