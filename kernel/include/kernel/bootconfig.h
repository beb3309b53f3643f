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
#define BOOTCONFIG_FLAG_VERBOSE 0x1

struct boot_config {
    uint32_t argc, envc;
    const char **argv;        /* argc entries */
    const char **envp;        /* envc entries, "KEY=VALUE" */
    uint32_t args_bytes;      /* sum of strlen + 1 over argv */
    uint32_t env_bytes;       /* same over envp */
    bool verbose;
    const char *origin;       /* "baked" or "run-time" */
};

/* Parses a config blob; panics naming the byte offset of the first problem. `data` must stay alive. */
void bootconfig_parse(const uint8_t *data, uint64_t size, const char *origin, struct boot_config *out);

extern const uint8_t uw_baked_config[];
extern const uint8_t uw_baked_config_end[];

#endif
