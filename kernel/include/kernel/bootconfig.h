/*
 * The boot configuration (format in kernel/README.md, written by dev.uniwasm.image.BootConfig):
 * the app's arguments, its environment and the verbose flag. One is linked into the image
 * (uw_baked_config); the monitor may pass another as PVH module 0, which wins.
 */
#ifndef KERNEL_BOOTCONFIG_H
#define KERNEL_BOOTCONFIG_H

#include "kernel/types.h"

#define BOOTCONFIG_MAGIC "UWBC"
#define BOOTCONFIG_VERSION 1
#define BOOTCONFIG_HEADER_SIZE 20
/* Version 2 adds the mount table (kernel/README.md, "Boot configuration"). */
#define BOOTCONFIG_VERSION_MOUNTS 2
#define BOOTCONFIG_HEADER_SIZE_MOUNTS 32
#define BOOTCONFIG_MOUNT_ENTRY_SIZE 32
#define BOOTCONFIG_FLAG_VERBOSE 0x1
/* The app has no stdin (the container's is /dev/null or closed): it reads its end at once, and the
 * host sends nothing on the serial ports about it. */
#define BOOTCONFIG_FLAG_NO_STDIN 0x2
#define BOOTCONFIG_FLAGS (BOOTCONFIG_FLAG_VERBOSE | BOOTCONFIG_FLAG_NO_STDIN)
/* Version 3 is version 2 plus, at byte 28, the offset of the network section (0 = none). */
#define BOOTCONFIG_VERSION_NETWORK 3
#define BOOTCONFIG_NETWORK_SIZE 24
#define BOOTCONFIG_LISTENER_SIZE 8
#define BOOTCONFIG_OUTBOUND_RULE_SIZE 8
/* Network flags (u16 at byte 22 of the network section). */
#define BOOTCONFIG_NET_NAME_LOOKUP 0x1    /* the app may ask the DNS server (--allow-ip-name-lookup) */
#define BOOTCONFIG_NET_SUBNET_IS_HOST 0x2 /* QEMU user network: the subnet's other addresses are the host */
#define BOOTCONFIG_NET_FLAGS (BOOTCONFIG_NET_NAME_LOOKUP | BOOTCONFIG_NET_SUBNET_IS_HOST)

enum boot_mount_kind {
    BOOT_MOUNT_IMAGE_READ_ONLY = 1,
    BOOT_MOUNT_IMAGE_WRITABLE = 2,
    BOOT_MOUNT_TMPFS = 3,
};

struct boot_mount {
    enum boot_mount_kind kind;
    const char *guest_path; /* not NUL-terminated */
    uint32_t guest_path_len;
    const uint8_t *image; /* the UWFS image inside the config blob; NULL for a tmpfs */
    uint64_t image_size;
    uint64_t size_limit; /* tmpfs: bytes of file data allowed, 0 = guest memory */
};

/* A TCP listener the host asked to pre-open (--tcplisten). */
struct boot_listener {
    uint8_t address[4]; /* network byte order: a.b.c.d = bytes 0..3; 0.0.0.0 = any */
    uint16_t port;
};

/* Destinations the app may send to first (--allow-outbound; net/outbound.c applies them). */
struct boot_outbound_rule {
    uint8_t address[4]; /* network byte order, host bits beyond the prefix 0 */
    uint8_t prefix;     /* 0..32 */
    uint16_t port;      /* 0 = any port */
};

/* The guest's IPv4 network (net/net.c); present = false when the app has no network. */
struct boot_network {
    bool present;
    uint8_t address[4], netmask[4], gateway[4], dns[4];
    uint32_t listener_count;
    struct boot_listener *listeners;
    uint16_t flags; /* BOOTCONFIG_NET_* */
    uint32_t outbound_count;
    struct boot_outbound_rule *outbound;
};

struct boot_config {
    uint32_t argc, envc;
    const char **argv;   /* argc entries */
    const char **envp;   /* envc entries, "KEY=VALUE" */
    uint32_t args_bytes; /* sum of strlen + 1 over argv */
    uint32_t env_bytes;  /* same over envp */
    bool verbose;
    bool no_stdin; /* BOOTCONFIG_FLAG_NO_STDIN */
    uint32_t mount_count;
    struct boot_mount *mounts;
    const char *origin; /* "baked" or "run-time" */
    struct boot_network network;
};

/* Parses a config blob; panics naming the byte offset of the first problem. `data` must stay alive. */
void bootconfig_parse(const uint8_t *data, uint64_t size, const char *origin, struct boot_config *out);

/* Combines a baked config with the arguments and environment a host process was started with
 * (platform.h, plat_start.host_argv): arguments after argv[0] replace the baked arguments, argv[0]
 * becoming the file name of the host's argv[0]; the host's variables are added to the baked
 * environment, replacing baked ones of the same name. Entries that are not KEY=VALUE are skipped. */
void bootconfig_add_host(struct boot_config *config, const char *const *argv, const char *const *envp);

extern const uint8_t uw_baked_config[];
extern const uint8_t uw_baked_config_end[];

#endif
