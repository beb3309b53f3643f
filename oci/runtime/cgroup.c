#include "cgroup.h"
#include "monotonic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"
/* How long pause and resume wait for the kernel: a process in an uninterruptible wait (a slow disk,
 * NFS) keeps a cgroup v1 freeze in FREEZING. */
#define FREEZE_WAIT_MS 5000

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

bool cgroup_write(const char *dir, const char *file, const char *text) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    /* O_TRUNC as runc opens them: the kernel's files ignore it, a plain file standing in for one
     * (OciResourcesTest's) then holds what was written */
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = write(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)strlen(text);
}

bool cgroup_read(const char *dir, const char *file, char *buf, size_t size) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) return false;
    buf[n] = 0;
    return true;
}

/* A new cpuset folder has no CPUs and no memory nodes, and no task may join it until it has: it
 * gets its parent's, as runc does. */
static bool inherit_cpuset(const char *dir, const char *parent) {
    char value[4096];
    const char *files[] = {"cpuset.cpus", "cpuset.mems"};
    for (int i = 0; i < 2; i++) {
        char mine[4096];
        if (cgroup_read(dir, files[i], mine, sizeof mine) && mine[0] != '\n' && mine[0]) continue;
        if (!cgroup_read(parent, files[i], value, sizeof value) || !cgroup_write(dir, files[i], value)) return false;
    }
    return true;
}

/* cgroup v2: lets dir's children use every controller the hierarchy offers (runc's way); the ones
 * the kernel refuses one by one (a folder with processes of its own enables none) are left so. */
static void enable_controllers(const char *dir, const char *controllers) {
    char all[1024] = "", copy[1024];
    snprintf(copy, sizeof copy, "%s", controllers);
    for (char *c = strtok(copy, " \n"); c; c = strtok(NULL, " \n")) {
        size_t n = strlen(all);
        snprintf(all + n, sizeof all - n, "%s+%s", n ? " " : "", c);
    }
    if (!all[0] || cgroup_write(dir, "cgroup.subtree_control", all)) return;
    for (char *c = strtok(all, " "); c; c = strtok(NULL, " ")) cgroup_write(dir, "cgroup.subtree_control", c);
}

/* mkdir -p of path under root; cpuset folders get their parent's CPUs and nodes on the way, and
 * under cgroup v2 (controllers: the root's cgroup.controllers) each parent enables them. */
static bool make_path(const char *root, const char *path, bool cpuset, const char *controllers, char *err,
                      size_t err_size) {
    char dir[4096], parent[4096];
    snprintf(dir, sizeof dir, "%s", root);
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
            snprintf(err, err_size, "linux.cgroupsPath '%s' holds '.' or '..'", path);
            return false;
        }
        snprintf(parent, sizeof parent, "%s", dir);
        if (controllers) enable_controllers(parent, controllers);
        size_t len = strlen(dir);
        if (len + 1 + n >= sizeof dir) {
            snprintf(err, err_size, "linux.cgroupsPath '%s' is too long", path);
            return false;
        }
        dir[len] = '/';
        memcpy(dir + len + 1, p, n);
        dir[len + 1 + n] = 0;
        if (mkdir(dir, 0755) && errno != EEXIST) {
            snprintf(err, err_size, "cannot create cgroup %s: %s", dir, strerror(errno));
            return false;
        }
        if (cpuset && !inherit_cpuset(dir, parent)) {
            snprintf(err, err_size, "cannot give cgroup %s its parent's CPUs and memory nodes: %s", dir,
                     strerror(errno));
            return false;
        }
        p += n;
    }
    return true;
}

bool cgroups_v2(void) { return exists(CGROUP_ROOT "/cgroup.controllers"); }

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The hierarchies: /sys/fs/cgroup itself when it is cgroup v2, else each folder under it that is a
 * hierarchy's root (symbolic links such as cpu,cpuacct name one twice and are skipped). */
static size_t hierarchies(char **out, size_t max) {
    size_t n = 0;
    if (cgroups_v2()) {
        out[n++] = strdup(CGROUP_ROOT);
        return n;
    }
    DIR *d = opendir(CGROUP_ROOT);
    if (!d) return 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        if (e->d_name[0] == '.') continue;
        char path[4096], procs[4200];
        snprintf(path, sizeof path, CGROUP_ROOT "/%s", e->d_name);
        struct stat st;
        if (lstat(path, &st) || !S_ISDIR(st.st_mode)) continue;
        snprintf(procs, sizeof procs, "%s/cgroup.procs", path);
        if (exists(procs)) out[n++] = strdup(path);
    }
    closedir(d);
    qsort(out, n, sizeof *out, compare_names);
    return n;
}

bool cgroups_create(struct cgroups *cg, const char *path, char *err, size_t err_size) {
    char *roots[CGROUP_MAX_DIRS];
    size_t n = hierarchies(roots, CGROUP_MAX_DIRS);
    cg->count = 0;
    if (n == 0) {
        snprintf(err, err_size, "no cgroup hierarchy under " CGROUP_ROOT);
        return false;
    }
    char controllers[1024];
    bool v2 = n == 1 && !strcmp(roots[0], CGROUP_ROOT) &&
              cgroup_read(CGROUP_ROOT, "cgroup.controllers", controllers, sizeof controllers);
    for (size_t i = 0; i < n; i++) {
        const char *name = strrchr(roots[i], '/') + 1;
        if (!make_path(roots[i], path, !strcmp(name, "cpuset"), v2 ? controllers : NULL, err, err_size)) return false;
        char dir[4096];
        snprintf(dir, sizeof dir, "%s%s%s", roots[i], path[0] == '/' ? "" : "/", path);
        cg->dirs[cg->count++] = strdup(dir);
    }
    return true;
}

const char *cgroups_dir_of(const struct cgroups *cg, const char *controller) {
    if (cgroups_v2()) return cg->count ? cg->dirs[0] : NULL;
    size_t root_length = strlen(CGROUP_ROOT "/"), n = strlen(controller);
    for (size_t i = 0; i < cg->count; i++) {
        if (strncmp(cg->dirs[i], CGROUP_ROOT "/", root_length)) continue;
        /* the hierarchy's name: its controllers, comma-separated */
        const char *name = cg->dirs[i] + root_length, *end = strchr(name, '/');
        if (!end) end = name + strlen(name);
        for (const char *p = name; p && p < end;) {
            const char *comma = memchr(p, ',', (size_t)(end - p));
            const char *stop = comma ? comma : end;
            if ((size_t)(stop - p) == n && !strncmp(p, controller, n)) return cg->dirs[i];
            p = comma ? comma + 1 : NULL;
        }
    }
    return NULL;
}

bool cgroups_join(const struct cgroups *cg, pid_t pid, char *err, size_t err_size) {
    char text[32];
    snprintf(text, sizeof text, "%d", (int)pid);
    for (size_t i = 0; i < cg->count; i++) {
        if (!cgroup_write(cg->dirs[i], "cgroup.procs", text)) {
            snprintf(err, err_size, "cannot move process %d into cgroup %s: %s", (int)pid, cg->dirs[i],
                     strerror(errno));
            return false;
        }
    }
    return true;
}

void cgroups_signal_all(const struct cgroups *cg, int sig) {
    for (size_t i = 0; i < cg->count; i++) {
        char procs[65536];
        if (!cgroup_read(cg->dirs[i], "cgroup.procs", procs, sizeof procs)) continue;
        for (char *line = strtok(procs, "\n"); line; line = strtok(NULL, "\n")) {
            int pid = atoi(line);
            if (pid > 0) kill(pid, sig);
        }
    }
}

static int by_value(const void *a, const void *b) {
    pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
    return (x > y) - (x < y);
}

size_t cgroups_pids(const struct cgroups *cg, pid_t *pids, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < cg->count; i++) {
        char procs[65536];
        if (!cgroup_read(cg->dirs[i], "cgroup.procs", procs, sizeof procs)) continue;
        for (char *line = strtok(procs, "\n"); line && n < max; line = strtok(NULL, "\n")) {
            pid_t pid = (pid_t)atoi(line);
            bool seen = pid <= 0;
            for (size_t j = 0; j < n && !seen; j++) seen = pids[j] == pid;
            if (!seen) pids[n++] = pid;
        }
    }
    qsort(pids, n, sizeof *pids, by_value);
    return n;
}

/* The folder that freezes the container: the v1 freezer's where the host mounts that controller
 * (then the unified hierarchy of hybrid mode is left alone, as runc leaves it), else the one with
 * cgroup v2's cgroup.freeze. NULL: neither. */
static const char *freezer(const struct cgroups *cg, bool *v1) {
    char path[4200];
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < cg->count; i++) {
            snprintf(path, sizeof path, "%s/%s", cg->dirs[i], pass == 0 ? "freezer.state" : "cgroup.freeze");
            if (!exists(path)) continue;
            *v1 = pass == 0;
            return cg->dirs[i];
        }
    }
    return NULL;
}

/* Whether every process of the folder is frozen (or thawed): v1's freezer.state (FREEZING on the
 * way), v2's "frozen 0|1" line of cgroup.events. */
static bool freezer_reached(const char *dir, bool v1, bool frozen) {
    char buf[4096];
    if (!cgroup_read(dir, v1 ? "freezer.state" : "cgroup.events", buf, sizeof buf)) return false;
    if (v1) return !strncmp(buf, frozen ? "FROZEN" : "THAWED", 6);
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "frozen ", 7)) return (line[7] == '1') == frozen;
    }
    return false;
}

bool cgroups_freeze(const struct cgroups *cg, bool frozen, char *err, size_t err_size) {
    bool v1;
    const char *dir = freezer(cg, &v1);
    if (!dir) {
        snprintf(err, err_size,
                 "the container's cgroups have no freezer (neither cgroup v1's freezer controller nor cgroup v2's "
                 "cgroup.freeze)");
        return false;
    }
    const char *file = v1 ? "freezer.state" : "cgroup.freeze";
    const char *value = v1 ? (frozen ? "FROZEN" : "THAWED") : (frozen ? "1" : "0");
    long long deadline = monotonic_ms() + FREEZE_WAIT_MS;
    for (bool first = true;; first = false) {
        /* v1 only: writing FROZEN again retries the tasks that have not stopped yet, as runc does */
        if ((first || v1) && !cgroup_write(dir, file, value)) {
            /* a cgroup removed meanwhile (its processes killed and reaped, the container deleted) holds nothing frozen
             */
            if (!frozen && errno == ENOENT) return true;
            snprintf(err, err_size, "cannot write %s to %s/%s: %s", value, dir, file, strerror(errno));
            return false;
        }
        if (freezer_reached(dir, v1, frozen)) return true;
        if (monotonic_ms() >= deadline) break;
        nanosleep(&(struct timespec){.tv_nsec = 1000 * 1000}, NULL);
    }
    /* a half-done freeze would leave the container stuck: it is undone */
    if (frozen) cgroup_write(dir, file, v1 ? "THAWED" : "0");
    snprintf(err, err_size, "the processes of cgroup %s were not %s within %d s%s", dir, frozen ? "frozen" : "thawed",
             FREEZE_WAIT_MS / 1000, frozen ? " (one may be in an uninterruptible wait); it is thawed again" : "");
    return false;
}

bool cgroups_frozen(const struct cgroups *cg) {
    bool v1;
    const char *dir = freezer(cg, &v1);
    char buf[64];
    /* v1's freezer.state also says FROZEN when an ancestor is: self_freezing is this cgroup's own */
    return dir && cgroup_read(dir, v1 ? "freezer.self_freezing" : "cgroup.freeze", buf, sizeof buf) && buf[0] == '1';
}

bool cgroups_remove(const struct cgroups *cg, char *err, size_t err_size) {
    for (size_t i = 0; i < cg->count; i++) {
        /* a killed process leaves its cgroups a moment after it is gone from /proc: bounded retries */
        for (int attempt = 0;; attempt++) {
            if (rmdir(cg->dirs[i]) == 0 || errno == ENOENT) break;
            if (errno != EBUSY || attempt == 200) {
                snprintf(err, err_size, "cannot remove cgroup %s: %s", cg->dirs[i], strerror(errno));
                return false;
            }
            nanosleep(&(struct timespec){.tv_nsec = 5 * 1000 * 1000}, NULL);
        }
    }
    return true;
}
