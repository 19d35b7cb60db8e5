// The commands of the motcua binary. Each returns the process exit code.
#pragma once

#include "app/options.hpp"

namespace motcua::app {

inline constexpr const char* kVersion = "0.1.0";

int run_serve(const Options& o);
int run_migrate(const Options& o);
int run_import(const Options& o);
int run_user_add(const Options& o);
int run_audit_verify(const Options& o);
int run_deadlines_sweep(const Options& o);
int run_simulate(const Options& o);
int run_stats(const Options& o);

// Prints an Error on stderr in both languages.
void report(const char* what, const Error& e);

}  // namespace motcua::app
