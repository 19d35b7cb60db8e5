#include "app/options.hpp"

#include <charconv>
#include <cstdlib>
#include <filesystem>

namespace motcua::app {

namespace {

Error usage_error(const std::string& what) {
  return make_error(ErrorKind::kBadRequest, "Dòng lệnh không hợp lệ: " + what,
                    "Invalid command line: " + what);
}

// An option's whole number from lo to hi into `out`, or the usage error that
// names the option and the range.
template <class T>
Result<void> number_in(const std::string& option, const std::string& text, T lo, T hi, T& out) {
  T v{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < lo || v > hi) {
    const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
    return usage_error(option + " phải là số " + range + " / must be a number " + range);
  }
  out = v;
  return ok();
}

bool parse_listen(const std::string& text, Options& o) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const char* b = text.data() + colon + 1;
  const char* e = text.data() + text.size();
  auto [p, ec] = std::from_chars(b, e, port);
  if (ec != std::errc() || p != e || port > 65535) return false;
  o.host = host;
  o.port = static_cast<unsigned short>(port);
  return true;
}

std::string default_data_dir() {
  if (const char* env = std::getenv("MOTCUA_DATA"); env && *env) return env;
  if (std::filesystem::exists("data/units")) return "data";
  return MOTCUA_DEFAULT_DATA_DIR;
}

std::string default_static_dir() {
  if (std::filesystem::exists("web/dist/index.html")) return "web/dist";
  std::string built = std::string(MOTCUA_SOURCE_DIR) + "/web/dist";
  if (std::filesystem::exists(built + "/index.html")) return built;
  return {};
}

}  // namespace

const char* usage() {
  return "usage: motcua <command> [options]\n"
         "commands:\n"
         "  serve    --listen HOST:PORT (127.0.0.1:8080) --db URL --data DIR [--static DIR]\n"
         "           [--threads N] [--no-access-log] [--demo] [--session-ttl SECONDS]\n"
         "           [--sweep-every SECONDS] [--per-pass N (5000)] [--files DIR]\n"
         "           [--max-upload-mb N (20)] [--payment-url URL --payment-key-file FILE]\n"
         "           [--trusted-proxy ADDRESS[/BITS]...] [--max-connections N (10000)]\n"
         "           [--max-per-client N (256; 0 none)] [--header-timeout SECONDS (10)]\n"
         "           [--request-timeout SECONDS (30)] [--public-url URL]\n"
         "           migrates and imports the reference data on first start, then serves;\n"
         "           --demo creates demo accounts for every role and prints them;\n"
         "           --session-ttl: a session's life, 1 to 31622400 (366 days; 28800);\n"
         "           --sweep-every (60; 1 to 86400, or 0) paces the deadline sweep, the\n"
         "           recount after a calendar change and the notice of a units import;\n"
         "           0 turns all three off (serve says so as it starts);\n"
         "           --trusted-proxy (repeatable) names a reverse proxy in front: from it,\n"
         "           the client is the last X-Forwarded-For hop that is not a trusted proxy\n"
         "           (throttled and logged by that address); from any other peer the header\n"
         "           is ignored, and so is X-Forwarded-Proto, which without the option is\n"
         "           believed from a loopback peer only (a TLS proxy on this machine)\n"
         "           --max-connections caps the connections open at once (and is kept under\n"
         "           the descriptor limit); --max-per-client caps them per client address\n"
         "           (not for trusted proxies, or with none named, loopback peers); over\n"
         "           either, a new connection is answered 503 or 429 and closed.\n"
         "           --header-timeout: how long a client has to send a request's header;\n"
         "           --request-timeout: to read a request, write its answer, or wait for its\n"
         "           write to be durable (past it: 504, the write's outcome unknown)\n"
         "           --payment-url and --payment-key-file connect online payment: the\n"
         "           platform's order page, and a file with the key (32 bytes or more)\n"
         "           that both sides sign with; --public-url is the site's address as\n"
         "           people reach it, the only place the platform may send them back to\n"
         "           (without it, the Host a request names, which a client chooses)\n"
         "  migrate  --db URL            brings the schema up to date\n"
         "  import   --db URL --data DIR (re)imports the reference units\n"
         "  user add --db URL --username U --password-stdin --role ROLE [--role ROLE...]\n"
         "           [--unit CODE] [--province CODE] [--name DISPLAY_NAME]\n"
         "           creates a staff account (the first system_admin); reads the password\n"
         "           from the first line of stdin\n"
         "  audit verify --db URL   checks every dossier's event chain against its stored head;\n"
         "           prints the first bad entry and exits 1\n"
         "  deadlines sweep --db URL [--at TIME] [--per-pass N (5000)]\n"
         "           flags dossiers due within one working day and overdue ones, once each,\n"
         "           with a warning in the outbox, reading them N at a time, soonest due\n"
         "           first; serve reads one chunk of N a pass every --sweep-every seconds (60)\n"
         "  simulate --db URL --province CODE [--days N (30)] [--per-day X (12)] [--seed S]\n"
         "           [--at TIME] writes a realistic history of the province's communes (VN: the\n"
         "           nation's) through the state machine: N days ending at TIME (default now)\n"
         "  stats rebuild|verify --db URL\n"
         "           recomputes the operations centre's counters from the dossiers; verify\n"
         "           prints the rows that differ and exits 1 if any. After an upgrade that\n"
         "           changes what a counter counts (schema 17: supplements on the receipt\n"
         "           day; 20: the receiving desk's count) serve rebuilds on start; after\n"
         "           a calendar change (holidays, a unit's hours) it recounts every\n"
         "           --sweep-every seconds, and takes the calendars another server on the\n"
         "           database changed; verify says so until a rebuild has run\n"
         "  version\n"
         "URL: sqlite:PATH (default sqlite:var/motcua.db) or postgresql://USER@HOST:PORT/DB\n";
}

Result<Options> parse_options(const std::vector<std::string>& args) {
  Options o;
  if (args.empty()) return usage_error("thiếu lệnh / no command given");
  o.command = args[0];
  if (o.command == "--help" || o.command == "-h") o.command = "help";
  static const char* kCommands[] = {"serve", "migrate",   "import",  "user",
                                    "audit", "deadlines", "version", "help",
                                    "simulate", "stats"};
  bool known = false;
  for (const char* c : kCommands) known = known || o.command == c;
  if (!known) return usage_error("lệnh không tồn tại / unknown command '" + o.command + "'");

  std::size_t first = 1;
  if (o.command == "user") {
    if (args.size() < 2 || args[1] != "add") return usage_error("dùng / use: motcua user add ...");
    o.subcommand = args[1];
    first = 2;
  }
  if (o.command == "audit") {
    if (args.size() < 2 || args[1] != "verify")
      return usage_error("dùng / use: motcua audit verify --db URL");
    o.subcommand = args[1];
    first = 2;
  }
  if (o.command == "deadlines") {
    if (args.size() < 2 || args[1] != "sweep")
      return usage_error("dùng / use: motcua deadlines sweep --db URL [--at TIME] [--per-pass N]");
    o.subcommand = args[1];
    first = 2;
  }
  if (o.command == "stats") {
    if (args.size() < 2 || (args[1] != "rebuild" && args[1] != "verify"))
      return usage_error("dùng / use: motcua stats rebuild|verify --db URL");
    o.subcommand = args[1];
    first = 2;
  }
  for (std::size_t i = first; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* name) -> Result<std::string> {
      if (i + 1 >= args.size())
        return usage_error(std::string(name) + " cần một giá trị / needs a value");
      return args[++i];
    };
    if (a == "--listen") {
      auto v = value("--listen");
      if (!v) return v.error();
      if (!parse_listen(*v, o))
        return usage_error("--listen phải là HOST:PORT / must be HOST:PORT, got '" + *v + "'");
      o.listen = *v;
    } else if (a == "--db") {
      auto v = value("--db");
      if (!v) return v.error();
      o.db = *v;
    } else if (a == "--data") {
      auto v = value("--data");
      if (!v) return v.error();
      o.data_dir = *v;
    } else if (a == "--static") {
      auto v = value("--static");
      if (!v) return v.error();
      o.static_dir = *v;
    } else if (a == "--threads") {
      auto v = value("--threads");
      if (!v) return v.error();
      if (auto r = number_in(a, *v, 0u, 256u, o.threads); !r) return r.error();
    } else if (a == "--sweep-every") {
      auto v = value("--sweep-every");
      if (!v) return v.error();
      // At most a day: a flag raised a day late is no warning, and a wait of
      // billions of seconds overflowed into none, sweeping without a pause.
      if (auto r = number_in(a, *v, 0L, 86400L, o.sweep_every); !r) return r.error();
    } else if (a == "--per-pass") {
      auto v = value("--per-pass");
      if (!v) return v.error();
      if (auto r = number_in(a, *v, 1L, 1000000L, o.per_pass); !r) return r.error();
    } else if (a == "--files") {
      auto v = value("--files");
      if (!v) return v.error();
      o.files_dir = *v;
    } else if (a == "--public-url") {
      auto v = value("--public-url");
      if (!v) return v.error();
      std::string url = *v;
      while (!url.empty() && url.back() == '/') url.pop_back();
      const auto scheme_end = url.find("://");
      const bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
      if (!web || scheme_end + 3 >= url.size() ||
          url.find_first_of("?#@ \t", scheme_end + 3) != std::string::npos)
        return usage_error(
            "--public-url phải là địa chỉ http(s) của trang, ví dụ "
            "https://dichvucong.example.vn / must be the site's http(s) address, "
            "for example https://dichvucong.example.vn; got '" +
            *v + "'");
      o.public_url = url;
    } else if (a == "--payment-url" || a == "--payment-key-file") {
      auto v = value(a.c_str());
      if (!v) return v.error();
      (a == "--payment-url" ? o.payment_url : o.payment_key_file) = *v;
    } else if (a == "--trusted-proxy") {
      auto v = value("--trusted-proxy");
      if (!v) return v.error();
      if (!o.trusted_proxies.add(*v))
        return usage_error("--trusted-proxy phải là địa chỉ IP hoặc mạng CIDR / must be an IP "
                           "address or a CIDR network, got '" + *v + "'");
    } else if (a == "--max-connections" || a == "--max-per-client" || a == "--header-timeout" ||
               a == "--request-timeout") {
      auto v = value(a.c_str());
      if (!v) return v.error();
      long& out = a == "--max-connections"  ? o.max_connections
                  : a == "--max-per-client" ? o.max_per_client
                  : a == "--header-timeout" ? o.header_timeout
                                            : o.request_timeout;
      const bool seconds = a == "--header-timeout" || a == "--request-timeout";
      const long lo = a == "--max-per-client" ? 0L : 1L;
      if (auto r = number_in(a, *v, lo, seconds ? 3600L : 1000000L, out); !r) return r.error();
    } else if (a == "--max-upload-mb") {
      auto v = value("--max-upload-mb");
      if (!v) return v.error();
      if (auto r = number_in(a, *v, 1L, 1024L, o.max_upload_mb); !r) return r.error();
    } else if (a == "--at") {
      auto v = value("--at");
      if (!v) return v.error();
      o.at = *v;
    } else if (a == "--days") {
      auto v = value("--days");
      if (!v) return v.error();
      if (auto r = number_in(a, *v, 1, 3700, o.days); !r) return r.error();
    } else if (a == "--per-day") {
      auto v = value("--per-day");
      if (!v) return v.error();
      char* end = nullptr;
      o.per_day = std::strtod(v->c_str(), &end);
      if (end != v->c_str() + v->size() || !(o.per_day > 0) || o.per_day > 10000)
        return usage_error("--per-day phải là số dương / must be a positive number");
    } else if (a == "--seed") {
      auto v = value("--seed");
      if (!v) return v.error();
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), o.seed);
      if (ec != std::errc() || p != v->data() + v->size())
        return usage_error("--seed phải là số / must be a number");
    } else if (a == "--demo") {
      o.demo = true;
    } else if (a == "--session-ttl") {
      auto v = value("--session-ttl");
      if (!v) return v.error();
      // At most 366 days: a session is signed in again at least yearly, and
      // billions of seconds wrapped its end into the past (1759).
      if (auto r = number_in(a, *v, 1L, 366L * 86400, o.session_ttl); !r) return r.error();
    } else if (a == "--username" || a == "--name" || a == "--unit" || a == "--province" ||
               a == "--role") {
      auto v = value(a.c_str());
      if (!v) return v.error();
      if (a == "--username") o.username = *v;
      if (a == "--name") o.display_name = *v;
      if (a == "--unit") o.unit = *v;
      if (a == "--province") o.province = *v;
      if (a == "--role") o.roles.push_back(*v);
    } else if (a == "--password-stdin") {
      o.password_stdin = true;
    } else if (a == "--no-access-log") {
      o.access_log = false;
    } else if (a == "--help" || a == "-h") {
      o.command = "help";
    } else {
      return usage_error("tuỳ chọn không tồn tại / unknown option '" + a + "'");
    }
  }
  if (o.host.empty() && !parse_listen(o.listen, o)) return usage_error("--listen");
  if (o.data_dir.empty()) o.data_dir = default_data_dir();
  if (o.static_dir.empty()) o.static_dir = default_static_dir();
  return o;
}

}  // namespace motcua::app
