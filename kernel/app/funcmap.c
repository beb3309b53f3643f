/* Looking up which Wasm function a code address belongs to (layout in kernel/funcmap.h). Only trap
 * reporting calls this, so a run that does not trap never touches the map. */
#include "kernel/funcmap.h"
#include "kernel/panic.h"

/* Weak: an image linked without a map (none of our linkers does that) simply names no function. */
extern const struct function_map uw_function_map __attribute__((weak));

static const struct function_map *checked_map(void) {
    const struct function_map *map = &uw_function_map;
    if (!map) return NULL;
    if (map->magic != FUNCTION_MAP_MAGIC || map->version != FUNCTION_MAP_VERSION) {
        panic(
            "function map at %p has magic 0x%x version %u, expected 0x%x version %u (image linker and kernel disagree)",
            (const void *)map, map->magic, (unsigned)map->version, FUNCTION_MAP_MAGIC, FUNCTION_MAP_VERSION);
    }
    return map;
}

bool function_map_lookup(uint64_t pc, uint32_t *func_index, const char **name) {
    const struct function_map *map = checked_map();
    if (!map || map->count == 0 || pc > UINT32_MAX) return false;
    /* The last entry starting at or below pc is the only candidate: entries do not overlap. */
    uint32_t lo = 0, hi = map->count;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (map->entries[mid].start <= pc) lo = mid;
        else hi = mid;
    }
    const struct function_map_entry *e = &map->entries[lo];
    if (pc < e->start || pc - e->start >= e->size) return false;
    const char *names = (const char *)&map->entries[map->count];
    *func_index = e->func_index;
    *name = e->name_offset < map->names_size ? names + e->name_offset : NULL;
    return true;
}
