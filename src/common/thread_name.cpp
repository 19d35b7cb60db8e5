#include "common/thread_name.hpp"

#include <pthread.h>

#include <string>

namespace motcua {

void name_this_thread(std::string_view name) {
  const std::string cut(name.substr(0, 15));
  pthread_setname_np(pthread_self(), cut.c_str());  // best effort: a name is only a label
}

}  // namespace motcua
