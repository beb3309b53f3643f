/*
 * What lwIP needs from the platform with NO_SYS: a millisecond clock, memory, randomness for
 * initial sequence numbers and ports, and diagnostics.
 */
#include "lwip/sys.h"

#include <stdarg.h>

#include "kernel/platform.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/heap.h"
#include "kernel/panic.h"

u32_t sys_now(void) { return (u32_t)(plat_clock_monotonic_ns() / 1000000u); }

void *uw_lwip_malloc(size_t size) { return heap_alloc(size); }

void *uw_lwip_calloc(size_t count, size_t size) {
    if (size && count > (size_t)-1 / size) return NULL;
    return heap_alloc(count * size); /* heap blocks come zeroed */
}

void uw_lwip_free(void *p) { heap_free(p); }

/* Not for secrets: sequence numbers and ephemeral ports only need to differ between boots. */
uint32_t uw_lwip_rand(void) {
    static uint64_t state;
    if (!state) state = plat_clock_realtime_ns() ^ (plat_clock_monotonic_ns() << 17) ^ 0x9e3779b97f4a7c15ull;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)(state >> 16);
}

void uw_lwip_diag(const char *fmt, ...) {
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    format_v(line, sizeof line, fmt, ap);
    va_end(ap);
    console_verbose("lwip: %s", line);
}

_Noreturn void uw_lwip_assert(const char *message, const char *file, int line) {
    panic("lwIP assertion failed: %s (%s:%d)", message, file, line);
}
