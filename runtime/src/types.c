/*
 * Canonical signature ids. Every instance maps its type indices to these ids, so call_indirect and
 * import matching compare one integer instead of two signature strings. Ids start at 1; the table
 * is process-wide (the host and the kernel are single-threaded while instantiating).
 */
#include "internal.h"

typedef struct interned_sig {
    const char *sig; /* a private copy: the module that first named it may be unloaded */
    uint32_t id;
} interned_sig;

static interned_sig *slots;
static uint32_t slot_count; /* a power of two, or 0 before first use */
static uint32_t used;

static uint32_t hash_sig(const char *s) {
    uint32_t h = 2166136261u; /* FNV-1a */
    while (*s) {
        h ^= (uint8_t)*s++;
        h *= 16777619u;
    }
    return h;
}

static int grow_slots(void) {
    uint32_t new_count = slot_count ? slot_count * 2 : 64;
    interned_sig *fresh = uw_platform_alloc(sizeof(interned_sig) * new_count);
    if (!fresh) return -1;
    for (uint32_t i = 0; i < slot_count; i++) {
        if (!slots[i].sig) continue;
        uint32_t j = hash_sig(slots[i].sig) & (new_count - 1);
        while (fresh[j].sig) j = (j + 1) & (new_count - 1);
        fresh[j] = slots[i];
    }
    if (slots) uw_platform_free(slots);
    slots = fresh;
    slot_count = new_count;
    return 0;
}

uint32_t uw_type_intern(const char *sig) {
    if ((used + 1) * 2 > slot_count && grow_slots() != 0) return 0;
    uint32_t j = hash_sig(sig) & (slot_count - 1);
    while (slots[j].sig) {
        if (uw_rt_streq(slots[j].sig, sig)) return slots[j].id;
        j = (j + 1) & (slot_count - 1);
    }
    size_t len = uw_rt_strlen(sig);
    char *copy = uw_platform_alloc(len + 1);
    if (!copy) return 0;
    __builtin_memcpy(copy, sig, len + 1);
    slots[j].sig = copy;
    slots[j].id = ++used;
    return slots[j].id;
}
