#include "kernel/bootconfig.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/string.h"

static uint32_t read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t read_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Walks `count` NUL-terminated strings from offset *pos, storing pointers; returns their byte total. */
static uint32_t take_strings(const uint8_t *data, uint32_t total, uint32_t *pos, uint32_t count,
                             const char **out, const char *origin, const char *what) {
    uint32_t start = *pos;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t s = *pos;
        while (*pos < total && data[*pos]) (*pos)++;
        if (*pos >= total) {
            panic("boot config (%s): %s string %u starting at byte %u has no terminating NUL before the end (byte %u)",
                  origin, what, i, s, total);
        }
        out[i] = (const char *)data + s;
        (*pos)++;
    }
    return *pos - start;
}

void bootconfig_parse(const uint8_t *data, uint64_t size, const char *origin, struct boot_config *out) {
    if (size < BOOTCONFIG_HEADER_SIZE) {
        panic("boot config (%s): %llu bytes, shorter than the %u-byte header", origin, (unsigned long long)size,
              BOOTCONFIG_HEADER_SIZE);
    }
    if (memcmp(data, BOOTCONFIG_MAGIC, 4) != 0) panic("boot config (%s): bad magic at byte 0 (expected \"UWBC\")", origin);
    uint16_t version = read_u16(data + 4);
    if (version != BOOTCONFIG_VERSION) panic("boot config (%s): unsupported version %u at byte 4", origin, version);
    uint16_t flags = read_u16(data + 6);
    if (flags & ~BOOTCONFIG_FLAG_VERBOSE) panic("boot config (%s): unknown flags 0x%x at byte 6", origin, flags);
    uint32_t total = read_u32(data + 8);
    if (total < BOOTCONFIG_HEADER_SIZE || total > size) {
        panic("boot config (%s): total size %u at byte 8 is outside [%u, %llu]", origin, total,
              BOOTCONFIG_HEADER_SIZE, (unsigned long long)size);
    }
    uint32_t argc = read_u32(data + 12);
    uint32_t envc = read_u32(data + 16);
    uint32_t strings = total - BOOTCONFIG_HEADER_SIZE;
    if (argc > strings || envc > strings - argc) {
        panic("boot config (%s): %u args and %u env entries (bytes 12, 16) cannot fit in %u bytes of strings",
              origin, argc, envc, strings);
    }
    out->argc = argc;
    out->envc = envc;
    out->argv = heap_alloc(sizeof(char *) * (argc + 1));
    out->envp = heap_alloc(sizeof(char *) * (envc + 1));
    if (!out->argv || !out->envp) panic("boot config (%s): out of memory", origin);
    uint32_t pos = BOOTCONFIG_HEADER_SIZE;
    out->args_bytes = take_strings(data, total, &pos, argc, out->argv, origin, "argument");
    out->env_bytes = take_strings(data, total, &pos, envc, out->envp, origin, "environment");
    if (pos != total) {
        panic("boot config (%s): %u unexpected bytes after the last string, at byte %u", origin, total - pos, pos);
    }
    out->verbose = flags & BOOTCONFIG_FLAG_VERBOSE;
    out->origin = origin;
}
