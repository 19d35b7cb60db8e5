#include "app/huge_pages.hpp"

#include <string>

#if MOTCUA_JEMALLOC
#include <jemalloc/jemalloc.h>
#include <sys/mman.h>
#endif

namespace motcua::app {

#if MOTCUA_JEMALLOC
namespace {

// jemalloc's own hooks, and ours: the same, but for the advice after mapping.
extent_hooks_t* default_hooks = nullptr;
extent_hooks_t huge_hooks;

void* alloc_huge(extent_hooks_t*, void* addr, size_t size, size_t alignment, bool* zero,
                 bool* commit, unsigned arena) {
  void* p = default_hooks->alloc(default_hooks, addr, size, alignment, zero, commit, arena);
  // Advice only: where the kernel declines, the memory is ordinary pages.
  if (p) (void)madvise(p, size, MADV_HUGEPAGE);
  return p;
}

}  // namespace

bool use_huge_pages() {
  if (default_hooks) return true;
  extent_hooks_t* current = nullptr;
  size_t size = sizeof current;
  if (mallctl("arena.0.extent_hooks", &current, &size, nullptr, 0) != 0 || !current) return false;
  default_hooks = current;
  huge_hooks = *current;
  huge_hooks.alloc = alloc_huge;
  unsigned arenas = 0;
  size_t arenas_size = sizeof arenas;
  if (mallctl("arenas.narenas", &arenas, &arenas_size, nullptr, 0) != 0) return false;
  extent_hooks_t* ours = &huge_hooks;
  bool any = false;
  // Arenas no thread has used yet are made with our hooks. The last slot,
  // jemalloc's arena for single allocations over 8 MB, is made on first use
  // and refuses: those are rare here, and keep ordinary pages.
  for (unsigned i = 0; i < arenas; ++i) {
    const std::string name = "arena." + std::to_string(i) + ".extent_hooks";
    any = mallctl(name.c_str(), nullptr, nullptr, &ours, sizeof ours) == 0 || any;
  }
  return any;
}
#else
bool use_huge_pages() { return false; }
#endif

}  // namespace motcua::app
