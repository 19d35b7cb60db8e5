// Names the calling thread (as `top -H`, `ps -L` and profilers show it), so an
// operator can tell the committer from the HTTP workers. Linux keeps at most
// 15 characters; longer names are cut.
#pragma once

#include <string_view>

namespace motcua {

void name_this_thread(std::string_view name);

}  // namespace motcua
