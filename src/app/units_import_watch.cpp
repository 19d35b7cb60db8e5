#include "app/units_import_watch.hpp"

#include <cstdio>

#include "app/commands.hpp"

namespace motcua::app {

void UnitsImportWatch::check() {
  if (said_) return;
  auto latest = store_.latest_units_import();
  if (!latest) return report("reading the reference imports", latest.error());
  if (*latest <= loaded_) return;
  said_ = true;
  std::fprintf(stderr,
               "motcua: units data was imported after this server started (import %lld; it runs "
               "on import %lld): restart it to file and count by them; the counters are "
               "recomputed by the new registry then\n"
               "motcua: dữ liệu đơn vị hành chính đã được nhập sau khi máy chủ này khởi động "
               "(lần nhập %lld; máy chủ đang dùng lần nhập %lld): hãy khởi động lại để tiếp nhận "
               "và thống kê theo dữ liệu mới; số liệu sẽ được tính lại khi đó\n",
               static_cast<long long>(*latest), static_cast<long long>(loaded_),
               static_cast<long long>(*latest), static_cast<long long>(loaded_));
}

UnitsImportWatch::~UnitsImportWatch() {
  auto latest = store_.latest_units_import();
  if (!latest) {
    report("reading the reference imports", latest.error());
    return;
  }
  if (*latest <= loaded_) return;
  if (auto r = store_.stats().mark_units_import(); !r) {
    report("marking the counters for the new units data", r.error());
    return;
  }
  std::fprintf(stderr,
               "motcua: counted by units import %lld after import %lld: marked for a recount by "
               "the new registry\n",
               static_cast<long long>(loaded_), static_cast<long long>(*latest));
}

}  // namespace motcua::app
