/*
 * Files of the container's root (the image's layer) opened as the container would see them: every
 * path, symlinks included, resolved inside the root (openat2 with RESOLVE_IN_ROOT), so that an image
 * whose .uniwasm/NAME.wasm.x86_64-pvh is a symlink to /etc/shadow names the root's own /etc/shadow,
 * never the host's. What the runtime hands on (to execveat, to QEMU) is the opened descriptor, not
 * a path that could be swapped after the check.
 */
#ifndef UNIWASM_RUNTIME_IN_ROOT_H
#define UNIWASM_RUNTIME_IN_ROOT_H

#include <stdbool.h>

/* path (leading '/' allowed) under root, a descriptor of the root folder; flags as open's (O_CLOEXEC
 * is added). Returns the descriptor, or -1 with errno set. */
int in_root_open(int root, const char *path, int flags);

/* Whether path's last component exists under root as an entry of any kind (a dangling symlink too):
 * a compiled form that is there but does not resolve is an error, not a missing form. */
bool in_root_exists(int root, const char *path);

#endif
