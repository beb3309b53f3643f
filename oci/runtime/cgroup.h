/*
 * The container's cgroups (linux.cgroupsPath) on every hierarchy the host mounts under
 * /sys/fs/cgroup: each cgroup v1 controller's (hybrid mode) and the unified one, or the single
 * cgroup v2 hierarchy. Their limits are resources.c's (linux.resources). Pause and resume freeze
 * and thaw them.
 */
#ifndef UNIWASM_RUNTIME_CGROUP_H
#define UNIWASM_RUNTIME_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CGROUP_MAX_DIRS 32

struct cgroups {
    size_t count;
    char *dirs[CGROUP_MAX_DIRS]; /* the container's folder in each hierarchy */
};

/* Creates the folders for path (absolute, relative to each hierarchy's root); under cgroup v2 every
 * folder on the way enables the controllers the root offers for its children, as runc does (one
 * the kernel will not enable is left for the limit that needs it to report). Returns false with a
 * message in err. */
bool cgroups_create(struct cgroups *cg, const char *path, char *err, size_t err_size);
/* Whether /sys/fs/cgroup is the cgroup v2 hierarchy (else cgroup v1, hybrid mode included). */
bool cgroups_v2(void);
/* The container's folder that holds controller's files: under cgroup v1 the one in the hierarchy
 * whose name lists it ("cpu" in cpu,cpuacct), NULL when the host mounts none; under v2 the one folder. */
const char *cgroups_dir_of(const struct cgroups *cg, const char *controller);
/* dir/file's contents (up to size - 1 bytes), or false with errno. */
bool cgroup_read(const char *dir, const char *file, char *buf, size_t size);
/* Writes text to dir/file in one write, as the kernel's cgroup files take it; false with errno. */
bool cgroup_write(const char *dir, const char *file, const char *text);
/* Moves pid into every folder. */
bool cgroups_join(const struct cgroups *cg, pid_t pid, char *err, size_t err_size);
/* Signals every process in the container's cgroup (kill --all). */
void cgroups_signal_all(const struct cgroups *cg, int sig);
/* The processes in the container's cgroups (every hierarchy's, each pid once, ascending): up to max
 * into pids; returns how many there are. A VM container's supervisor and QEMU, say. */
size_t cgroups_pids(const struct cgroups *cg, pid_t *pids, size_t max);
/* Freezes (frozen true) or thaws the container's processes, waiting (bounded) until the kernel says
 * they are: cgroup v1's freezer controller (freezer.state FROZEN/THAWED) where the host mounts it,
 * hybrid mode included, as runc; else cgroup v2's cgroup.freeze, whose cgroup.events says frozen 1.
 * A freeze that does not complete is undone. Returns false with a message in err. */
bool cgroups_freeze(const struct cgroups *cg, bool frozen, char *err, size_t err_size);
/* Whether the container's cgroup was itself frozen (paused; not through a frozen ancestor). */
bool cgroups_frozen(const struct cgroups *cg);
/* Removes the folders once their processes are gone, retrying for a bounded time. */
bool cgroups_remove(const struct cgroups *cg, char *err, size_t err_size);

#endif
