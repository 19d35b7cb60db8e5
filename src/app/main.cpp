// motcua: the composition root. Parses the command line and runs one command;
// start-up wiring lives in serve.cpp and is torn down in reverse order there.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/options.hpp"

int main(int argc, char** argv) {
  // A file past the process's size limit (ulimit -f) is then a write that
  // fails with EFBIG, which each writer reports (an upload's 503, a
  // database's error), not a death by SIGXFSZ that takes every request with it.
  std::signal(SIGXFSZ, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto opts = motcua::app::parse_options(args);
  if (!opts) {
    std::fprintf(stderr, "motcua: %s\n%s", opts.error().message_en.c_str(), motcua::app::usage());
    return 2;
  }
  const auto& o = *opts;
  if (o.command == "help") {
    std::fputs(motcua::app::usage(), stdout);
    return 0;
  }
  if (o.command == "version") {
    std::printf("motcua %s\n", motcua::app::kVersion);
    return 0;
  }
  if (o.command == "migrate") return motcua::app::run_migrate(o);
  if (o.command == "import") return motcua::app::run_import(o);
  if (o.command == "user") return motcua::app::run_user_add(o);
  if (o.command == "audit") return motcua::app::run_audit_verify(o);
  if (o.command == "deadlines") return motcua::app::run_deadlines_sweep(o);
  if (o.command == "simulate") return motcua::app::run_simulate(o);
  if (o.command == "stats") return motcua::app::run_stats(o);
  return motcua::app::run_serve(o);
}
