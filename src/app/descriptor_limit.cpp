#include "app/descriptor_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

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

std::size_t connection_limit(std::size_t wanted, std::size_t descriptors) {
  // The database's connections, uploads being written, the logs: a quarter
  // of a small limit, 256 of a large one.
  const std::size_t reserve = std::min<std::size_t>(256, descriptors / 4);
  const std::size_t room = descriptors > reserve ? descriptors - reserve : 1;
  return std::min(wanted ? wanted : std::size_t{10000}, room);
}

}  // namespace motcua::app
