#include "api/system_api.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/thread_name.hpp"
#include "common/wait_bound.hpp"
#include "http/error_table.hpp"
#include "http/metrics.hpp"

namespace motcua::api {
namespace {

// Runs the storage's ping for /healthz on its own thread: askers that come
// while one runs share its answer, so a monitor asking often while the
// database is slow starts no queue of pings.
class HealthProbe {
 public:
  explicit HealthProbe(std::shared_ptr<const SystemHooks> hooks) : hooks_(std::move(hooks)) {
    thread_ = std::thread([this] { run(); });
  }
  ~HealthProbe() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();  // a ping waits at most its bound
  }
  HealthProbe(const HealthProbe&) = delete;
  HealthProbe& operator=(const HealthProbe&) = delete;

  void ask(std::string path, http::Reply reply) {
    {
      std::lock_guard lock(mu_);
      askers_.push_back({std::move(path), std::move(reply)});
    }
    cv_.notify_one();
  }

 private:
  struct Asker {
    std::string path;
    http::Reply reply;
  };

  void run() {
    name_this_thread("health-probe");
    this_thread_wait_bound = hooks_->ping_bound;
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return stopping_ || !askers_.empty(); });
      if (askers_.empty()) return;  // stopping
      lock.unlock();
      auto r = hooks_->ping();
      lock.lock();
      // Those who asked during the ping take its answer too.
      std::vector<Asker> answered;
      answered.swap(askers_);
      lock.unlock();
      for (auto& a : answered) a.reply(response(r, a.path));
      lock.lock();
    }
  }

  http::Response response(const Result<void>& r, const std::string& path) const {
    if (!r) return http::problem(r.error(), path);
    boost::json::object o;
    o["status"] = "ok";
    o["database"] = hooks_->database;
    o["version"] = hooks_->version;
    return http::json_response(200, boost::json::serialize(o));
  }

  const std::shared_ptr<const SystemHooks> hooks_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Asker> askers_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  std::thread thread_;
};

}  // namespace

void add_system_routes(http::Router& router, SystemHooks hooks) {
  auto h = std::make_shared<const SystemHooks>(std::move(hooks));
  auto probe = std::make_shared<HealthProbe>(h);
  router.add_deferred("GET", "/healthz", "public",
                      [probe](const http::Request& req, http::Reply reply) {
                        probe->ask(req.path, std::move(reply));
                      });
  router.add("GET", "/metrics", "public", [h](const http::Request&) {
    http::Response res;
    res.content_type = std::string(http::kMetricsContentType);
    res.body = h->metrics();
    return res;
  });
  router.add("GET", "/api/v1/openapi.json", "public", [](const http::Request&) {
    return http::json_response(200, openapi_document());
  });
}

}  // namespace motcua::api
