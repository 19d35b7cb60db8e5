// How long the calling thread may wait for another process's answer (a
// database's), 0: as long as it takes. The HTTP server's io threads set it:
// each serves many connections, so a database that stops answering (frozen,
// cut off) must not hold them all. Other threads (the committer, a sweep, a
// command) keep 0, where a long statement is no fault.
#pragma once

#include <chrono>

namespace motcua {

inline thread_local std::chrono::milliseconds this_thread_wait_bound{0};

}  // namespace motcua
