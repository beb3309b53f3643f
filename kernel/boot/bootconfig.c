#include "kernel/bootconfig.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/string.h"

static uint32_t read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t read_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Walks `count` NUL-terminated strings from offset *pos, storing pointers; returns their byte total. */
static uint32_t take_strings(const uint8_t *data, uint32_t total, uint32_t *pos, uint32_t count, const char **out,
                             const char *origin, const char *what) {
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

static uint64_t read_u64(const uint8_t *p) { return (uint64_t)read_u32(p) | (uint64_t)read_u32(p + 4) << 32; }

/* Entries of 32 bytes: u32 kind, u32 guest path length, u64 guest path offset, u64 image offset,
 * u64 image size (tmpfs: size limit). Every range is checked against the config's total size. */
static void parse_mounts(const uint8_t *data, uint32_t total, uint32_t count, uint32_t table, const char *origin,
                         struct boot_config *out) {
    if ((uint64_t)count * BOOTCONFIG_MOUNT_ENTRY_SIZE > total - table) {
        panic("boot config (%s): %u mounts (byte 20) do not fit after the table offset %u", origin, count, table);
    }
    out->mount_count = count;
    out->mounts = count ? heap_alloc(sizeof(struct boot_mount) * count) : NULL;
    if (count && !out->mounts) panic("boot config (%s): out of memory", origin);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t at = table + i * BOOTCONFIG_MOUNT_ENTRY_SIZE;
        const uint8_t *e = data + at;
        struct boot_mount *m = &out->mounts[i];
        uint32_t kind = read_u32(e);
        if (kind < BOOT_MOUNT_IMAGE_READ_ONLY || kind > BOOT_MOUNT_TMPFS) {
            panic("boot config (%s): mount %u has unknown kind %u at byte %u", origin, i, kind, at);
        }
        m->kind = (enum boot_mount_kind)kind;
        m->guest_path_len = read_u32(e + 4);
        uint64_t path_offset = read_u64(e + 8);
        uint64_t image_offset = read_u64(e + 16);
        uint64_t size = read_u64(e + 24);
        if (!m->guest_path_len || path_offset > total || m->guest_path_len > total - path_offset) {
            panic("boot config (%s): mount %u guest path (bytes %u..%u) lies outside the config", origin, i, at + 4,
                  at + 15);
        }
        m->guest_path = (const char *)data + path_offset;
        if (m->kind == BOOT_MOUNT_TMPFS) {
            if (image_offset)
                panic("boot config (%s): tmpfs mount %u has an image offset at byte %u", origin, i, at + 16);
            m->image = NULL;
            m->image_size = 0;
            m->size_limit = size;
        } else {
            if (image_offset > total || size > total - image_offset) {
                panic("boot config (%s): mount %u image (bytes %u..%u) lies outside the config", origin, i, at + 16,
                      at + 31);
            }
            m->image = data + image_offset;
            m->image_size = size;
            m->size_limit = 0;
        }
    }
}

/* 24 bytes: address, netmask, gateway, DNS server (4 bytes each, wire order), u32 listener count,
 * u16 outbound rule count, u16 flags; then 8 bytes a listener: address (4 bytes), u16 port, u16 0;
 * then 8 bytes an outbound rule: address (4 bytes), u8 prefix length, u8 0, u16 port (0 = any).
 * A config written before the outbound rules has 0 in both: no outbound traffic. */
static void parse_network(const uint8_t *data, uint32_t total, uint32_t at, const char *origin,
                          struct boot_network *out) {
    if (!at) return;
    if (at % 8 || at > total || total - at < BOOTCONFIG_NETWORK_SIZE) {
        panic("boot config (%s): network section offset %u at byte 28 is unaligned or outside the %u bytes", origin, at,
              total);
    }
    const uint8_t *n = data + at;
    uint32_t count = read_u32(n + 16);
    uint32_t rules = read_u16(n + 20);
    uint16_t flags = read_u16(n + 22);
    if (flags & ~BOOTCONFIG_NET_FLAGS)
        panic("boot config (%s): unknown network flags 0x%x at byte %u", origin, flags, at + 22);
    uint64_t room = (total - at - BOOTCONFIG_NETWORK_SIZE);
    if (count > room / BOOTCONFIG_LISTENER_SIZE) {
        panic("boot config (%s): %u listeners (byte %u) do not fit in the config", origin, count, at + 16);
    }
    if (rules > (room - (uint64_t)count * BOOTCONFIG_LISTENER_SIZE) / BOOTCONFIG_OUTBOUND_RULE_SIZE) {
        panic("boot config (%s): %u outbound rules (byte %u) do not fit in the config", origin, rules, at + 20);
    }
    out->present = true;
    memcpy(out->address, n, 4);
    memcpy(out->netmask, n + 4, 4);
    memcpy(out->gateway, n + 8, 4);
    memcpy(out->dns, n + 12, 4);
    out->flags = flags;
    out->listener_count = count;
    out->listeners = heap_alloc(sizeof(struct boot_listener) * (count + 1));
    out->outbound_count = rules;
    out->outbound = heap_alloc(sizeof(struct boot_outbound_rule) * (rules + 1));
    if (!out->listeners || !out->outbound) panic("boot config (%s): out of memory", origin);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *l = n + BOOTCONFIG_NETWORK_SIZE + (uint64_t)i * BOOTCONFIG_LISTENER_SIZE;
        uint32_t pos = at + BOOTCONFIG_NETWORK_SIZE + i * BOOTCONFIG_LISTENER_SIZE;
        memcpy(out->listeners[i].address, l, 4);
        out->listeners[i].port = read_u16(l + 4);
        if (!out->listeners[i].port) panic("boot config (%s): listener %u has port 0 at byte %u", origin, i, pos + 4);
        if (read_u16(l + 6)) panic("boot config (%s): reserved field at byte %u is not 0", origin, pos + 6);
    }
    uint32_t first_rule = at + BOOTCONFIG_NETWORK_SIZE + count * BOOTCONFIG_LISTENER_SIZE;
    for (uint32_t i = 0; i < rules; i++) {
        uint32_t pos = first_rule + i * BOOTCONFIG_OUTBOUND_RULE_SIZE;
        const uint8_t *r = data + pos;
        struct boot_outbound_rule *rule = &out->outbound[i];
        memcpy(rule->address, r, 4);
        rule->prefix = r[4];
        rule->port = read_u16(r + 6);
        if (rule->prefix > 32)
            panic("boot config (%s): outbound rule %u has prefix length %u at byte %u", origin, i, rule->prefix,
                  pos + 4);
        if (r[5]) panic("boot config (%s): reserved field at byte %u is not 0", origin, pos + 5);
        uint32_t a = (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3];
        uint32_t prefix_mask = rule->prefix ? ~0u << (32 - rule->prefix) : 0;
        if (a & ~prefix_mask) {
            panic("boot config (%s): outbound rule %u has address bits beyond its /%u prefix at byte %u", origin, i,
                  rule->prefix, pos);
        }
    }
}

void bootconfig_parse(const uint8_t *data, uint64_t size, const char *origin, struct boot_config *out) {
    if (size < BOOTCONFIG_HEADER_SIZE) {
        panic("boot config (%s): %llu bytes, shorter than the %u-byte header", origin, (unsigned long long)size,
              BOOTCONFIG_HEADER_SIZE);
    }
    if (memcmp(data, BOOTCONFIG_MAGIC, 4) != 0)
        panic("boot config (%s): bad magic at byte 0 (expected \"UWBC\")", origin);
    uint16_t version = read_u16(data + 4);
    bool has_table = version == BOOTCONFIG_VERSION_MOUNTS || version == BOOTCONFIG_VERSION_NETWORK;
    if (version != BOOTCONFIG_VERSION && !has_table) {
        panic("boot config (%s): unsupported version %u at byte 4", origin, version);
    }
    uint32_t header = version == BOOTCONFIG_VERSION ? BOOTCONFIG_HEADER_SIZE : BOOTCONFIG_HEADER_SIZE_MOUNTS;
    if (size < header)
        panic("boot config (%s): %llu bytes, shorter than the %u-byte header", origin, (unsigned long long)size,
              header);
    uint16_t flags = read_u16(data + 6);
    if (flags & ~BOOTCONFIG_FLAGS) panic("boot config (%s): unknown flags 0x%x at byte 6", origin, flags);
    uint32_t total = read_u32(data + 8);
    if (total < header || total > size) {
        panic("boot config (%s): total size %u at byte 8 is outside [%u, %llu]", origin, total, header,
              (unsigned long long)size);
    }
    uint32_t argc = read_u32(data + 12);
    uint32_t envc = read_u32(data + 16);
    uint32_t strings_end = total;
    if (has_table) {
        strings_end = read_u32(data + 24);
        if (strings_end < header || strings_end > total) {
            panic("boot config (%s): mount table offset %u at byte 24 is outside [%u, %u]", origin, strings_end, header,
                  total);
        }
        if (version == BOOTCONFIG_VERSION_MOUNTS && read_u32(data + 28)) {
            panic("boot config (%s): reserved field at byte 28 is not 0", origin);
        }
    }
    uint32_t strings = strings_end - header;
    if (argc > strings || envc > strings - argc) {
        panic("boot config (%s): %u args and %u env entries (bytes 12, 16) cannot fit in %u bytes of strings", origin,
              argc, envc, strings);
    }
    out->argc = argc;
    out->envc = envc;
    out->argv = heap_alloc(sizeof(char *) * (argc + 1));
    out->envp = heap_alloc(sizeof(char *) * (envc + 1));
    if (!out->argv || !out->envp) panic("boot config (%s): out of memory", origin);
    uint32_t pos = header;
    out->args_bytes = take_strings(data, strings_end, &pos, argc, out->argv, origin, "argument");
    out->env_bytes = take_strings(data, strings_end, &pos, envc, out->envp, origin, "environment");
    if (has_table) {
        /* the mount table starts 8-aligned after the strings: only padding may lie between */
        if (strings_end - pos >= 8) {
            panic("boot config (%s): %u unexpected bytes after the last string, at byte %u", origin, strings_end - pos,
                  pos);
        }
        parse_mounts(data, total, read_u32(data + 20), strings_end, origin, out);
    } else if (pos != total) {
        panic("boot config (%s): %u unexpected bytes after the last string, at byte %u", origin, total - pos, pos);
    }
    if (version == BOOTCONFIG_VERSION_NETWORK) parse_network(data, total, read_u32(data + 28), origin, &out->network);
    out->verbose = flags & BOOTCONFIG_FLAG_VERBOSE;
    out->no_stdin = flags & BOOTCONFIG_FLAG_NO_STDIN;
    out->origin = origin;
}

/* Length of an environment entry's name, or 0 when it is not KEY=VALUE with a non-empty KEY. */
static size_t env_name_length(const char *entry) {
    size_t n = 0;
    while (entry[n] && entry[n] != '=') n++;
    return entry[n] == '=' ? n : 0;
}

static bool env_has_name(const char *const *envp, const char *entry, size_t name_len) {
    for (size_t i = 0; envp && envp[i]; i++) {
        if (env_name_length(envp[i]) == name_len && !memcmp(envp[i], entry, name_len)) return true;
    }
    return false;
}

void bootconfig_add_host(struct boot_config *config, const char *const *argv, const char *const *envp) {
    uint32_t host_argc = 0;
    while (argv[host_argc]) host_argc++;
    if (host_argc > 1) {
        const char **args = heap_alloc(sizeof(char *) * (host_argc + 1));
        if (!args) panic("boot config (host): out of memory");
        /* argv[0] as `uniwasm run` gives it: the file name the user ran, without its folder */
        const char *name = argv[0];
        for (const char *p = argv[0]; *p; p++) {
            if (*p == '/' && p[1]) name = p + 1;
        }
        args[0] = name;
        config->args_bytes = (uint32_t)strlen(name) + 1;
        for (uint32_t i = 1; i < host_argc; i++) {
            args[i] = argv[i];
            config->args_bytes += (uint32_t)strlen(argv[i]) + 1;
        }
        config->argv = args;
        config->argc = host_argc;
    }
    uint32_t host_envc = 0;
    while (envp && envp[host_envc]) host_envc++;
    if (!host_envc) return;
    const char **env = heap_alloc(sizeof(char *) * (config->envc + host_envc + 1));
    if (!env) panic("boot config (host): out of memory");
    uint32_t envc = 0, bytes = 0;
    for (uint32_t i = 0; i < config->envc; i++) {
        size_t name_len = env_name_length(config->envp[i]);
        if (env_has_name(envp, config->envp[i], name_len)) continue;
        env[envc++] = config->envp[i];
        bytes += (uint32_t)strlen(config->envp[i]) + 1;
    }
    for (uint32_t i = 0; i < host_envc; i++) {
        if (!env_name_length(envp[i])) continue;
        env[envc++] = envp[i];
        bytes += (uint32_t)strlen(envp[i]) + 1;
    }
    config->envp = env;
    config->envc = envc;
    config->env_bytes = bytes;
    config->origin = "baked + host";
}
