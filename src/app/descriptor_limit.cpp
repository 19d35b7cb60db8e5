#include "app/descriptor_limit.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace motcua::app {

std::size_t raise_descriptor_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  return lim.rlim_cur == RLIM_INFINITY ? std::size_t{1} << 20
                                       : static_cast<std::size_t>(lim.rlim_cur);
}

std::size_t descriptors_open() {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;  // the directory's own descriptor among them: one to spare
}

std::size_t connection_limit(std::size_t wanted, std::size_t descriptors, std::size_t open) {
  // Counted against the limit: with a small one (ulimit -n 64) the database
  // and logs already held a third of it, and connections past what was left
  // waited unanswered instead of being refused at once.
  const std::size_t reserve = std::clamp<std::size_t>(descriptors / 4, 16, 256);
  const std::size_t used = open + reserve;
  const std::size_t room = descriptors > used ? descriptors - used : 1;
  return std::min(wanted ? wanted : std::size_t{10000}, room);
}

}  // namespace motcua::app
