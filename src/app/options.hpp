// The command line: motcua serve | migrate | import | user add | version.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "http/client_address.hpp"

namespace motcua::app {

struct Options {
  std::string command;  // serve, migrate, import, version, help
  std::string listen = "127.0.0.1:8080";
  std::string host;  // from listen
  unsigned short port = 8080;
  std::string db = "sqlite:var/motcua.db";
  std::string data_dir;  // resolved: --data, $MOTCUA_DATA, ./data, the source tree's data/
  std::string static_dir;
  unsigned threads = 0;
  bool access_log = true;
  // serve: demo accounts for every role (printed at start); session lifetime.
  bool demo = false;
  long session_ttl = 8 * 3600;
  // serve: seconds between deadline sweeps (0: none); deadlines sweep: the
  // instant to sweep at (RFC 3339; "" = now).
  long sweep_every = 60;
  // serve and deadlines sweep: how many candidates a sweep's pass reads at a
  // time (serve: each minute's round reads one such chunk a pass).
  long per_pass = 5000;
  // serve: where uploaded files live ("" = a "files" folder beside the SQLite
  // file, else var/files) and the largest upload.
  std::string files_dir;
  long max_upload_mb = 20;
  // serve: the online payment platform's order page and the file holding the
  // signing key shared with it (both, or neither: online payment off).
  std::string payment_url;
  std::string payment_key_file;
  // serve: the site's address as people reach it ("https://dichvucong.example.vn"):
  // where the payment platform may send them back. "": the request's Host.
  std::string public_url;
  // serve: connections at once (0: 10,000, or fewer if the descriptor limit
  // is lower), at once from one client address, and the seconds a client has
  // to send a request's header.
  long max_connections = 0;
  long max_per_client = 256;
  long header_timeout = 10;
  // serve: seconds to read a request, write an answer, or wait for a write
  // to be durable (then 504: its outcome is not known).
  long request_timeout = 30;
  // serve: reverse proxies whose X-Forwarded-For names the client (--trusted-proxy).
  http::TrustedProxies trusted_proxies;
  std::string at;
  // simulate: the province (--province), the days of history ending at --at
  // (default now), the mean dossiers per commune and working day, the seed.
  int days = 30;
  double per_day = 12;
  unsigned long seed = 1;
  // user add
  std::string subcommand;  // "add"
  std::string username;
  std::string display_name;
  std::vector<std::string> roles;
  std::string unit;
  std::string province;
  bool password_stdin = false;
};

Result<Options> parse_options(const std::vector<std::string>& args);
const char* usage();

}  // namespace motcua::app
