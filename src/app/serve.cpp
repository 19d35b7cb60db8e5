// `motcua serve`: wires storage, services, handlers and the HTTP server, in
// that order, and tears them down in reverse when the server returns.
#include <chrono>
#include <cstdio>

#include "api/system_api.hpp"
#include "api/units_api.hpp"
#include "app/commands.hpp"
#include "http/server.hpp"
#include "services/database_setup.hpp"
#include "services/unit_service.hpp"
#include "store/store.hpp"

namespace motcua::app {

namespace {
double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int run_serve(const Options& o) {
  const auto t0 = std::chrono::steady_clock::now();
  auto opened = store::open_store(o.db);
  if (!opened) return report("serve", opened.error()), 1;
  store::Store& store = **opened;

  auto setup = services::prepare_database(store, o.data_dir);
  if (!setup) return report("serve", setup.error()), 1;
  if (setup->migrations_applied)
    std::fprintf(stderr, "motcua: applied %d migrations\n", setup->migrations_applied);
  if (setup->imported)
    std::fprintf(stderr, "motcua: importing reference data: %zu unit versions, %zu successions (%.0f ms)\n",
                 setup->versions, setup->successions, ms_since(t0));

  auto data = store.load_reference_data();
  if (!data) return report("serve", data.error()), 1;
  services::UnitService units(std::move(*data));

  http::Server* server_ptr = nullptr;  // set below, before any request can arrive
  http::Router router;
  api::add_system_routes(router, api::SystemHooks{
                                     store.backend(),
                                     [&store] { return store.ping(); },
                                     [&server_ptr] { return server_ptr->metrics().render(); },
                                     kVersion,
                                 });
  api::add_unit_routes(router, units);

  http::ServerOptions so;
  so.host = o.host;
  so.port = o.port;
  so.threads = o.threads;
  so.access_log = o.access_log;
  so.static_dir = o.static_dir;
  http::Server server(so, router);
  server_ptr = &server;
  if (auto r = server.start(); !r) return report("serve", r.error()), 1;

  std::fprintf(stderr, "motcua: %s database, %zu unit versions; ready in %.0f ms\n", store.backend(),
               units.registry().all_versions().size(), ms_since(t0));
  std::fprintf(stderr, "motcua: listening on http://%s:%u\n", o.host.c_str(), unsigned(server.port()));
  std::fflush(stderr);
  server.run();
  std::fprintf(stderr, "motcua: stopped\n");
  return 0;
}

}  // namespace motcua::app
