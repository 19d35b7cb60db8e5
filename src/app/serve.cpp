// `motcua serve`: wires storage, services, handlers and the HTTP server, in
// that order, and tears them down in reverse when the server returns.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "api/access_guard.hpp"
#include "api/accounts_api.hpp"
#include "api/attachments_api.hpp"
#include "api/calendar_api.hpp"
#include "api/catalog_api.hpp"
#include "api/dossiers_api.hpp"
#include "api/payments_api.hpp"
#include "api/stats_api.hpp"
#include "api/system_api.hpp"
#include "api/units_api.hpp"
#include "app/access_setup.hpp"
#include "app/commands.hpp"
#include "app/descriptor_limit.hpp"
#include "app/serve_checks.hpp"
#include "app/units_import_watch.hpp"
#include "common/wait_bound.hpp"
#include "http/server.hpp"
#include "services/attachment_service.hpp"
#include "services/calendar_service.hpp"
#include "services/catalog_service.hpp"
#include "services/database_setup.hpp"
#include "services/dossier_service.hpp"
#include "services/payment_service.hpp"
#include "services/periodic_job.hpp"
#include "services/stats_service.hpp"
#include "services/unit_service.hpp"
#include "store/group_commit.hpp"
#include "store/store.hpp"

namespace motcua::app {

namespace {
double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Uploaded files live beside the SQLite database unless told otherwise.
std::filesystem::path files_dir(const Options& o) {
  if (!o.files_dir.empty()) return o.files_dir;
  if (o.db.rfind("sqlite:", 0) == 0 && o.db != "sqlite::memory:") {
    return std::filesystem::path(o.db.substr(7)).parent_path() / "files";
  }
  return "var/files";
}

// The committer's counters in Prometheus text: writes per batch shows how
// much one fsync carries.
std::string group_commit_metrics(const store::GroupCommitter::Stats& s) {
  std::string out;
  auto add = [&out](const char* name, const char* type, const char* help, const std::string& v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + v + "\n";
  };
  add("motcua_group_commit_batches_total", "counter", "Durable transactions of the dossier writer.",
      std::to_string(s.batches));
  add("motcua_group_commit_writes_total", "counter", "Dossier writes committed in those batches.",
      std::to_string(s.writes));
  add("motcua_group_commit_largest_batch", "gauge", "Most writes one batch has carried.",
      std::to_string(s.largest_batch));
  add("motcua_group_commit_seconds_total", "counter",
      "Time the writer spent in its transactions (with the fsync).",
      std::to_string(static_cast<double>(s.commit_ns) / 1e9));
  add("motcua_group_commit_reruns_total", "counter",
      "Batches run a second time, a savepoint a write, after a write failed in them.",
      std::to_string(s.reruns));
  add("motcua_group_commit_answer_seconds_total", "counter",
      "Time the writer spent answering the requests of its batches.",
      std::to_string(static_cast<double>(s.answer_ns) / 1e9));
  return out;
}

// The online payment platform, when both its options are given: its key is
// read from a file (never the command line, which others on the machine see).
Result<std::optional<services::PaymentPlatform>> payment_platform(const Options& o) {
  if (o.payment_url.empty() && o.payment_key_file.empty()) {
    return std::optional<services::PaymentPlatform>();
  }
  auto refuse = [](const std::string& vi, const std::string& en) {
    return make_error(ErrorKind::kBadRequest, vi, en, "--payment-key-file");
  };
  if (o.payment_url.empty() || o.payment_key_file.empty()) {
    return refuse("Cần cả --payment-url và --payment-key-file.",
                  "Give both --payment-url and --payment-key-file.");
  }
  if (o.payment_url.rfind("https://", 0) != 0 && o.payment_url.rfind("http://", 0) != 0) {
    return refuse("--payment-url phải là địa chỉ http(s).",
                  "--payment-url must be an http(s) address.");
  }
  // A folder opens as a stream whose first read throws: look before reading.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(o.payment_key_file, ec)) {
    return refuse("--payment-key-file " + o.payment_key_file +
                      " không phải là tệp (không có, hoặc là thư mục): cần tệp chứa khoá.",
                  "--payment-key-file " + o.payment_key_file +
                      " is not a file (missing, or a folder): give the file holding the key.");
  }
  std::ifstream in(o.payment_key_file, std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  if (!in.is_open() || key.size() < 32) {
    return refuse(
        "Không đọc được khoá thanh toán từ " + o.payment_key_file + " (cần ít nhất 32 byte).",
        "Cannot read the payment key from " + o.payment_key_file +
            " (32 bytes or more are needed).");
  }
  return std::optional<services::PaymentPlatform>(services::PaymentPlatform{o.payment_url, key});
}

// Once the server is told to stop, the process ends within `grace` even if a
// thread still waits on a database that stopped answering (the committer in
// its COMMIT, a sweep in a read). Every write answered is committed by then;
// one not answered may be abandoned, and the database rolls back what it did
// not commit.
class StopDeadline {
 public:
  explicit StopDeadline(std::chrono::seconds grace) : grace_(grace) {}
  ~StopDeadline() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  StopDeadline(const StopDeadline&) = delete;
  StopDeadline& operator=(const StopDeadline&) = delete;

  // From any thread; the first call counts.
  void arm() {
    std::call_once(armed_, [this] {
      thread_ = std::thread([this] {
        std::unique_lock lock(mu_);
        if (cv_.wait_for(lock, grace_, [this] { return done_; })) return;
        const long long s = grace_.count();
        std::fprintf(stderr,
                     "motcua: still stopping %lld s after being told to (waiting on the "
                     "database?): ending now; every write answered is committed\n"
                     "motcua: vẫn chưa dừng xong sau %lld giây (đang chờ cơ sở dữ liệu?): dừng "
                     "ngay; mọi yêu cầu ghi đã được trả lời đều đã được ghi\n",
                     s, s);
        std::fflush(stdout);
        std::_Exit(1);
      });
    });
  }

 private:
  const std::chrono::seconds grace_;
  std::once_flag armed_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace

int run_serve(const Options& o) {
  const auto t0 = std::chrono::steady_clock::now();
  // The access log's reader may go away (`serve | head`): its writes then
  // fail with EPIPE, which the log counts, instead of ending the process.
  std::signal(SIGPIPE, SIG_IGN);
  const std::chrono::milliseconds request_timeout = std::chrono::seconds(o.request_timeout);
  // Outlives everything below: the server's drain (10 s), a handler's last
  // bounded wait, then the teardown's own time.
  StopDeadline stop_deadline(std::chrono::seconds(15 + 2 * o.request_timeout));
  auto platform = payment_platform(o);
  if (!platform) return report("serve", platform.error()), 1;
  if (*platform && o.public_url.empty()) {
    std::fputs(
        "motcua: warning: online payment without --public-url: the pages the payment platform "
        "may send people back to are checked against the Host a request names, which a client "
        "chooses. Name the site's address: --public-url https://...\n"
        "motcua: cảnh báo: thanh toán trực tuyến khi chưa có --public-url: trang mà nền tảng "
        "thanh toán đưa người dùng quay về được đối chiếu với Host do yêu cầu ghi, tức do phía "
        "gửi tự chọn. Hãy nêu địa chỉ của trang: --public-url https://...\n",
        stderr);
  }
  // All that can be checked without the database, before it is created,
  // migrated or imported into.
  for (auto check : {check_static_dir(o.static_dir), check_data_dir(o.data_dir), check_listen(o),
                     check_files_dir(files_dir(o))}) {
    if (!check) return report("serve", check.error()), 1;
  }
  if (o.sweep_every == 0) {
    std::fputs(
        "motcua: --sweep-every 0: no deadline sweep (no due-soon or overdue flags and warnings), "
        "no recount of the counters after a calendar change, no notice of a units import made "
        "while this server runs\n"
        "motcua: --sweep-every 0: không quét hạn xử lý (không gắn cờ, không cảnh báo sắp đến hạn "
        "hay quá hạn), không đếm lại số liệu sau khi lịch làm việc đổi, không báo khi dữ liệu "
        "đơn vị được nhập trong lúc máy chủ này chạy\n",
        stderr);
  }
  auto opened = store::open_store(o.db);
  if (!opened) return report("serve", opened.error()), 1;
  store::Store& store = **opened;

  auto setup = services::prepare_database(store, o.data_dir);
  if (!setup) return report("serve", setup.error()), 1;
  if (setup->migrations_applied)
    std::fprintf(stderr, "motcua: applied %d migrations\n", setup->migrations_applied);
  if (setup->imported)
    std::fprintf(stderr,
                 "motcua: importing reference data: %zu unit versions, %zu successions (%.0f ms)\n",
                 setup->versions, setup->successions, ms_since(t0));

  auto data = store.load_reference_data();
  if (!data) return report("serve", data.error()), 1;
  services::UnitService units(std::move(*data));
  auto calendar = services::CalendarService::create(store.calendar(), units);
  if (!calendar) return report("serve", calendar.error()), 1;
  services::CatalogService catalog(store.catalog());
  if (auto r = catalog.load(); !r) return report("serve", r.error()), 1;
  if (setup->catalog_procedures)
    std::fprintf(stderr, "motcua: imported the procedure catalog: %zu procedures\n",
                 setup->catalog_procedures);

  services::StatsService stats(store.stats(), store.dossiers(), units, **calendar, catalog,
                               units.province_of());
  // After an upgrade that changed what a counter counts, before any request
  // or the deadline sweep can change a dossier: figures are never served stale.
  const auto rebuild_started = std::chrono::steady_clock::now();
  auto rebuilt = stats.rebuild_if_due();
  if (!rebuilt) return report("serve", rebuilt.error()), 1;
  for (const auto& reason : *rebuilt) {
    std::fprintf(
        stderr,
        "motcua: recomputed the operations centre's counters (%s) in %.0f ms\n",
        reason.c_str(), ms_since(rebuild_started));
  }

  // Before everything that writes: it marks what this server counted, as it stops.
  UnitsImportWatch units_import(store, units.import_id());

  services::AccountOptions account_options;
  account_options.session_ttl = std::chrono::seconds(o.session_ttl);
  services::AccountService accounts(store.accounts(), units.province_of(), account_options);
  services::PersonalDataLog personal_data_views(store.accounts());
  // Sessions past their end (or revoked) for a day are deleted, hourly.
  services::PeriodicJob session_purge("session-purge", std::chrono::hours(1), [&accounts] {
    if (auto r = accounts.purge_old_sessions(); !r) report("session purge", r.error());
  });
  if (o.demo) {
    if (auto r = create_demo_accounts(accounts, store.accounts()); !r)
      return report("serve", r.error()), 1;
  }

  http::Server* server_ptr = nullptr;  // set below, before any request can arrive
  store::GroupCommitter* committer_ptr = nullptr;
  http::Router router;
  api::add_system_routes(router, api::SystemHooks{
                                     store.backend(),
                                     [&store] { return store.ping(); },
                                     [&server_ptr, &committer_ptr] {
                                       return server_ptr->metrics().render() +
                                              group_commit_metrics(committer_ptr->stats());
                                     },
                                     kVersion,
                                     // Well within the request timeout, after which a
                                     // deferred answer is a 504.
                                     std::min(std::chrono::milliseconds(2000), request_timeout / 4),
                                 });
  api::add_unit_routes(router, units);
  api::add_calendar_routes(router, **calendar);
  api::add_catalog_routes(router, catalog);
  services::DossierService dossiers(store.dossiers(), catalog, **calendar, units,
                                    units.province_of());
  // Outlives the server below: requests still in flight at shutdown get
  // their commit and their answer.
  dossiers.set_assignee_check([&accounts](const std::string& user_id, const std::string& unit) {
    return accounts.is_specialist_of(user_id, unit);
  });
  store::GroupCommitter committer(store.dossiers());
  dossiers.set_committer(&committer);
  committer_ptr = &committer;
  std::optional<services::PeriodicJob> deadlines;
  if (o.sweep_every > 0) {
    const auto per_pass = static_cast<std::size_t>(o.per_pass);
    deadlines.emplace("deadline-sweep", std::chrono::seconds(o.sweep_every), [&dossiers, per_pass] {
      auto r = dossiers.sweep_deadlines(per_pass, services::DossierService::SweepScope::kRound);
      if (!r) return report("deadline sweep", r.error());
      if (r->due_soon || r->overdue)
        std::fprintf(stderr, "motcua: deadline sweep flagged %d due soon, %d overdue\n",
                     r->due_soon, r->overdue);
    });
  }
  // A calendar change marks the counters of the working time it changed:
  // recounted at the same pace as the sweep (a rebuild reads every dossier).
  // A change another server made is taken first: its calendars published
  // here, and a mark for what this one counted with its old ones.
  std::optional<services::PeriodicJob> recount;
  if (o.sweep_every > 0) {
    recount.emplace(
        "stats-recount", std::chrono::seconds(o.sweep_every), [&stats, &calendar, &units_import] {
          units_import.check();
          if (auto r = (*calendar)->refresh(); !r) {
            report("taking the calendars another process changed", r.error());
          } else if (*r) {
            std::fprintf(stderr, "motcua: took the calendars another process changed\n");
          }
          const auto started = std::chrono::steady_clock::now();
          auto r = stats.rebuild_if_due();
          if (!r) return report("recounting the operations centre's counters", r.error());
          for (const auto& reason : *r) {
            std::fprintf(stderr,
                         "motcua: recomputed the operations centre's counters (%s) in %.0f ms\n",
                         reason.c_str(), ms_since(started));
          }
        });
  }
  api::add_dossier_routes(router, dossiers, personal_data_views);
  api::add_stats_routes(router, stats);
  services::AttachmentService attachments(store.dossiers(), services::FileStore(files_dir(o)),
                                          static_cast<std::size_t>(o.max_upload_mb) << 20);
  dossiers.set_file_check([&attachments](const access::Principal& who, const auto& refs) {
    return attachments.check_refs(who, refs);
  });
  api::add_attachment_routes(router, attachments, dossiers, personal_data_views);
  services::PaymentService payments(dossiers, std::move(*platform));
  api::add_payment_routes(router, payments, o.public_url);

  // Last: the guard checks every route added above names a known permission.
  api::add_account_routes(router, accounts, personal_data_views, {o.session_ttl});
  try {
    api::install_access_guard(router,
                              std::make_shared<api::AccessGuard>(accounts, units.province_of()));
  } catch (const std::logic_error& e) {
    std::fprintf(stderr, "motcua: serve refused to start: %s\nmotcua: serve không khởi động: %s\n",
                 e.what(), e.what());
    return 1;
  }

  http::ServerOptions so;
  so.response_headers = security_headers(o.static_dir);
  so.hsts = kHsts;
  so.host = o.host;
  so.port = o.port;
  so.threads = o.threads;
  so.access_log = o.access_log;
  so.static_dir = o.static_dir;
  so.trusted_proxies = o.trusted_proxies;
  so.header_timeout = std::chrono::seconds(o.header_timeout);
  so.read_timeout = request_timeout;
  so.io_wait_bound = request_timeout;
  so.on_shutdown = [&stop_deadline] { stop_deadline.arm(); };
  so.max_connections_per_client = static_cast<std::size_t>(o.max_per_client);
  so.max_connections = connection_limit(static_cast<std::size_t>(o.max_connections),
                                        raise_descriptor_limit(), descriptors_open());
  http::Server server(so, router);
  server_ptr = &server;
  if (auto r = server.start(); !r) return report("serve", r.error()), 1;

  std::fprintf(stderr, "motcua: %s database, %zu unit versions; ready in %.0f ms\n",
               store.backend(), units.registry().all_versions().size(), ms_since(t0));
  // Its own line: scripts read the port from the end of the next one.
  std::fprintf(stderr, "motcua: at most %zu connections at once, %zu from one client address\n",
               so.max_connections, so.max_connections_per_client);
  std::fprintf(stderr, "motcua: listening on http://%s:%u\n", o.host.c_str(),
               unsigned(server.port()));
  std::fflush(stderr);
  server.run();
  stop_deadline.arm();
  // What the teardown asks of the database on this thread (the units-import
  // mark) waits no longer than a request would.
  this_thread_wait_bound = request_timeout;
  std::fprintf(stderr, "motcua: stopped\n");
  return 0;
}

}  // namespace motcua::app
