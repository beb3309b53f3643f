/*
 * The container's namespaces (config.json's linux.namespaces), applied as runc applies them: an
 * entry with a path is joined (setns), one without is created (unshare). A new network namespace
 * gets its loopback up, as runc's; a new mount namespace has the container's root as its only
 * mount (with config.json's bind mount onto /etc/resolv.conf, which the process platform reads for
 * its name lookups); a UTS namespace gets config.json's hostname and domainname. The pid namespace is entered
 * by the runtime itself before it forks the container's process, since it applies to children
 * only: that process is the namespace's first (its init), and its pid in the runtime's namespace
 * is the one the pid file and the state name.
 */
#ifndef UNIWASM_RUNTIME_NAMESPACES_H
#define UNIWASM_RUNTIME_NAMESPACES_H

#include <stdbool.h>
#include <stddef.h>

#include "json.h"

#define NAMESPACE_MAX 8

struct namespace_entry {
    int flag;         /* CLONE_NEW* */
    const char *type; /* as config.json names it */
    const char *path; /* NULL: a new one */
    int fd;           /* the opened path, -1 before namespaces_open */
};

struct namespaces {
    size_t count;
    struct namespace_entry entries[NAMESPACE_MAX];
    const char *hostname, *domainname;
    /* config.json's bind mount onto /etc/resolv.conf: its source (NULL: none), and whether read-only */
    const char *resolv_conf;
    bool resolv_conf_read_only;
    /* the runtime's own pid namespace while its children go to the container's (-1: not kept) */
    int runtime_pid;
};

/* Reads linux.namespaces, hostname, domainname and the mount onto /etc/resolv.conf of config.json;
 * false with a message in err for what uniwasm containers refuse (user and time namespaces, unknown
 * or repeated types, a hostname without a UTS namespace, a /etc/resolv.conf that is not a bind mount
 * of an absolute path). */
bool namespaces_read(const struct json *config, struct namespaces *ns, char *err, size_t err_size);
/* Opens the paths to join, in the runtime, so that a wrong one fails create with its name. */
bool namespaces_open(struct namespaces *ns, char *err, size_t err_size);
/* In the runtime before its fork: joins or creates the pid namespace, the child's; with
 * keep_runtime_pid, keeps the runtime's own for namespaces_leave_pid. */
bool namespaces_enter_pid(struct namespaces *ns, bool keep_runtime_pid, char *err, size_t err_size);
/* In the runtime after its fork: its later children (hooks) are its own pid namespace's again. */
bool namespaces_leave_pid(struct namespaces *ns, char *err, size_t err_size);
/* In the container's process: joins and creates the others, brings a new network namespace's
 * loopback up, prepares rootfs to be the root of a new mount namespace (rootfs NULL: the namespace
 * keeps the host's files) with the resolv.conf mount in it, sets the host and domain names; closes
 * the opened paths. The hooks of create run after it (the namespaces exist, the pivot is to come). */
bool namespaces_enter(const struct namespaces *ns, const char *rootfs, char *err, size_t err_size);
/* Then: pivots into the prepared rootfs (*new_root: the process is in it, at "/"). */
bool namespaces_pivot(const struct namespaces *ns, const char *rootfs, bool *new_root, char *err, size_t err_size);

#endif
