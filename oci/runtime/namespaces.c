/*
 * linux.namespaces for uniwasm containers (namespaces.h). The app itself needs none of them: its
 * seccomp filter lets it reach no file, process or new socket but what its boot configuration
 * allows. They are what the container platform expects of any runtime: `ctr run` without
 * --net-host gives a network namespace with only a loopback, where the app's --tcplisten sockets
 * then live; CRI makes a pod's containers join the sandbox's namespaces by path.
 */
#include "namespaces.h"
#include "problem.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <unistd.h>

#include "in_root.h"

#define RESOLV_CONF "/etc/resolv.conf"

static const struct {
    const char *type;
    int flag;
} TYPES[] = {
    {"pid", CLONE_NEWPID}, {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
    {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},     {"cgroup", CLONE_NEWCGROUP},
};

/* Of config.json's mounts only the bind mount onto /etc/resolv.conf is made: the process platform
 * reads that file for its name lookups and no other of the container's files (its seccomp filter
 * allows no open after), so /proc, /dev, /sys, /etc/hosts or a volume would be mounts the app never
 * reaches (docs/oci.md, "config.json"). */
static bool read_mounts(const struct json *config, struct namespaces *ns, char *err, size_t err_size) {
    const struct json *list = json_get(config, "mounts");
    if (list && list->type != JSON_ARRAY) return problem(err, err_size, "config.json: mounts is not an array");
    for (size_t i = 0; list && i < list->count; i++) {
        const struct json *m = list->items[i];
        const char *destination = json_string(json_get(m, "destination"));
        if (!destination) return problem(err, err_size, "config.json: mounts[%zu] has no destination", i);
        if (strcmp(destination, RESOLV_CONF)) continue;
        const char *type = json_string(json_get(m, "type"));
        bool bind = type && !strcmp(type, "bind"), read_only = false;
        const struct json *options = json_get(m, "options");
        for (size_t o = 0; options && options->type == JSON_ARRAY && o < options->count; o++) {
            const char *option = json_string(options->items[o]);
            if (!option) continue;
            if (!strcmp(option, "bind") || !strcmp(option, "rbind")) bind = true;
            else if (!strcmp(option, "ro")) read_only = true;
            else if (!strcmp(option, "rw")) read_only = false;
        }
        const char *source = json_string(json_get(m, "source"));
        if (!bind || !source || source[0] != '/') {
            return problem(err, err_size,
                           "config.json: mounts[%zu]: " RESOLV_CONF
                           " can only be a bind mount of a host file named by its absolute path for uniwasm "
                           "containers",
                           i);
        }
        ns->resolv_conf = source;
        ns->resolv_conf_read_only = read_only;
    }
    return true;
}

bool namespaces_read(const struct json *config, struct namespaces *ns, char *err, size_t err_size) {
    *ns = (struct namespaces){.runtime_pid = -1};
    const struct json *list = json_get(json_get(config, "linux"), "namespaces");
    if (list && list->type != JSON_ARRAY)
        return problem(err, err_size, "config.json: linux.namespaces is not an array");
    bool uts = false;
    for (size_t i = 0; list && i < list->count; i++) {
        const struct json *entry = list->items[i];
        const char *type = json_string(json_get(entry, "type"));
        const struct json *path = json_get(entry, "path");
        if (!type) return problem(err, err_size, "config.json: linux.namespaces[%zu] has no type", i);
        if (path && !json_string(path))
            return problem(err, err_size, "config.json: linux.namespaces[%zu].path is not a string", i);
        if (!strcmp(type, "user")) {
            return problem(
                err, err_size,
                "config.json: linux.namespaces: user namespaces are not supported for uniwasm "
                "containers (the app runs as process.user; its sandbox lets it reach nothing of the host's)");
        }
        int flag = 0;
        for (size_t t = 0; t < sizeof TYPES / sizeof *TYPES; t++) {
            if (!strcmp(type, TYPES[t].type)) flag = TYPES[t].flag;
        }
        if (!flag) {
            return problem(err, err_size,
                           "config.json: linux.namespaces[%zu]: type '%s' is not supported for uniwasm "
                           "containers (pid, network, mount, ipc, uts and cgroup are)",
                           i, type);
        }
        for (size_t j = 0; j < ns->count; j++) {
            if (ns->entries[j].flag == flag)
                return problem(err, err_size, "config.json: linux.namespaces: '%s' is given twice", type);
        }
        const char *where = json_string(path);
        ns->entries[ns->count++] =
            (struct namespace_entry){.flag = flag, .type = type, .path = where && *where ? where : NULL, .fd = -1};
        if (flag == CLONE_NEWUTS) uts = true;
    }
    ns->hostname = json_string(json_get(config, "hostname"));
    ns->domainname = json_string(json_get(config, "domainname"));
    if (ns->hostname && !*ns->hostname) ns->hostname = NULL;
    if (ns->domainname && !*ns->domainname) ns->domainname = NULL;
    /* as runc: the names would otherwise be the host's */
    if ((ns->hostname || ns->domainname) && !uts) {
        return problem(err, err_size, "config.json: %s needs a uts namespace in linux.namespaces",
                       ns->hostname ? "hostname" : "domainname");
    }
    return read_mounts(config, ns, err, err_size);
}

bool namespaces_open(struct namespaces *ns, char *err, size_t err_size) {
    for (size_t i = 0; i < ns->count; i++) {
        struct namespace_entry *e = &ns->entries[i];
        if (!e->path) continue;
        e->fd = open(e->path, O_RDONLY | O_CLOEXEC);
        if (e->fd < 0)
            return problem(err, err_size, "cannot open the %s namespace %s: %s", e->type, e->path, strerror(errno));
    }
    return true;
}

static bool join(const struct namespace_entry *e, char *err, size_t err_size) {
    if (setns(e->fd, e->flag)) {
        return problem(err, err_size, "cannot join the %s namespace %s: %s", e->type, e->path,
                       errno == EINVAL ? "not a namespace of that type" : strerror(errno));
    }
    return true;
}

bool namespaces_enter_pid(struct namespaces *ns, bool keep_runtime_pid, char *err, size_t err_size) {
    for (size_t i = 0; i < ns->count; i++) {
        const struct namespace_entry *e = &ns->entries[i];
        if (e->flag != CLONE_NEWPID) continue;
        if (keep_runtime_pid) {
            ns->runtime_pid = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
            if (ns->runtime_pid < 0)
                return problem(err, err_size, "cannot open the runtime's pid namespace: %s", strerror(errno));
        }
        if (e->path) return join(e, err, err_size);
        if (unshare(CLONE_NEWPID)) return problem(err, err_size, "cannot create a pid namespace: %s", strerror(errno));
    }
    return true;
}

/* A new network namespace's loopback is down; runc brings it up, and servers on 127.0.0.1 need it. */
static bool loopback_up(char *err, size_t err_size) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return problem(err, err_size, "cannot bring the loopback up: socket: %s", strerror(errno));
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    bool ok = ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
    if (ok) {
        ifr.ifr_flags |= IFF_UP;
        ok = ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
    }
    int saved = errno;
    close(s);
    if (!ok) return problem(err, err_size, "cannot bring the loopback up: %s", strerror(saved));
    return true;
}

/* The mount point /etc/resolv.conf: in rootfs (made, empty, where the image has none, as runc makes
 * it; each step resolved inside the root, so that no symlink of the image places it on a host
 * file), or with no rootfs the namespace's own (a VM container's QEMU reads it for its user
 * network's DNS). O_PATH, or -1 with the reason in err. */
static int resolv_conf_target(const char *rootfs, char *err, size_t err_size) {
    if (!rootfs) {
        int fd = open(RESOLV_CONF, O_PATH | O_CLOEXEC);
        if (fd < 0) problem(err, err_size, "cannot mount onto " RESOLV_CONF ": %s", strerror(errno));
        return fd;
    }
    int root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        problem(err, err_size, "cannot open the container's root %s: %s", rootfs, strerror(errno));
        return -1;
    }
    int fd = in_root_open(root, RESOLV_CONF, O_PATH);
    if (fd < 0 && errno == ENOENT) {
        int etc = in_root_open(root, "/etc", O_PATH | O_DIRECTORY);
        if (etc < 0 && errno == ENOENT && mkdirat(root, "etc", 0755) == 0)
            etc = in_root_open(root, "/etc", O_PATH | O_DIRECTORY);
        int made =
            etc < 0 ? -1 : openat(etc, "resolv.conf", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (made >= 0) {
            close(made);
            fd = in_root_open(root, RESOLV_CONF, O_PATH);
        }
        if (etc >= 0) close(etc);
    }
    int saved = errno;
    close(root);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        problem(err, err_size, "cannot make " RESOLV_CONF " in the container's root %s for its mount: %s", rootfs,
                fd < 0 ? strerror(saved) : "not a regular file");
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

/* config.json's bind mount onto /etc/resolv.conf, through the mount point's descriptor (a path would
 * be looked up again), read-only when its options say ro. */
static bool bind_resolv_conf(const char *rootfs, const struct namespaces *ns, char *err, size_t err_size) {
    int target = resolv_conf_target(rootfs, err, err_size);
    if (target < 0) return false;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", target);
    bool ok = mount(ns->resolv_conf, path, NULL, MS_BIND, NULL) == 0;
    int saved = errno;
    close(target);
    if (!ok) return problem(err, err_size, "cannot bind %s onto " RESOLV_CONF ": %s", ns->resolv_conf, strerror(saved));
    if (!ns->resolv_conf_read_only) return true;
    /* opened again: the descriptor now reaches the new mount, which the remount changes */
    target = resolv_conf_target(rootfs, err, err_size);
    if (target < 0) return false;
    snprintf(path, sizeof path, "/proc/self/fd/%d", target);
    ok = mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) == 0;
    saved = errno;
    close(target);
    if (!ok) return problem(err, err_size, "cannot make the mount of " RESOLV_CONF " read-only: %s", strerror(saved));
    return true;
}

/* A new mount namespace starts as a copy of the host's, every other container's root among its
 * mounts, and with shared propagation each later mount of the host's would be copied into it too:
 * with N containers, N^2 mounts. As runc does, the container's root becomes the namespace's only
 * mount: host mounts stop propagating in (a slave would still receive them), rootfs is bound onto
 * itself (here, with config.json's /etc/resolv.conf mount on the bind), then pivoted into and the
 * old root detached (namespaces_pivot, after the hooks that run before it). With no rootfs (a VM
 * container, whose process is QEMU, a host program) the namespace keeps the host's files, its
 * mounts only made private, and gets the /etc/resolv.conf mount over its own. */
static bool prepare_root(const char *rootfs, const struct namespaces *ns, char *err, size_t err_size) {
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
        return problem(err, err_size, "cannot make the container's mounts private: %s", strerror(errno));
    if (!rootfs) return !ns->resolv_conf || bind_resolv_conf(NULL, ns, err, err_size);
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL))
        return problem(err, err_size, "cannot bind %s: %s", rootfs, strerror(errno));
    /* onto the root's bind, which the pivot keeps */
    return !ns->resolv_conf || bind_resolv_conf(rootfs, ns, err, err_size);
}

static bool creates(const struct namespaces *ns, int flag) {
    for (size_t i = 0; i < ns->count; i++) {
        if (ns->entries[i].flag == flag && !ns->entries[i].path) return true;
    }
    return false;
}

bool namespaces_enter(const struct namespaces *ns, const char *rootfs, char *err, size_t err_size) {
    int create = 0;
    bool ok = true;
    for (size_t i = 0; i < ns->count && ok; i++) {
        const struct namespace_entry *e = &ns->entries[i];
        if (e->flag == CLONE_NEWPID) continue;
        if (e->path) ok = join(e, err, err_size);
        else create |= e->flag;
    }
    for (size_t i = 0; i < ns->count; i++) {
        if (ns->entries[i].fd >= 0) close(ns->entries[i].fd);
    }
    if (!ok) return false;
    if (create && unshare(create))
        return problem(err, err_size, "cannot create the container's namespaces: unshare: %s", strerror(errno));
    if ((create & CLONE_NEWNET) && !loopback_up(err, err_size)) return false;
    if ((create & CLONE_NEWNS) && !prepare_root(rootfs, ns, err, err_size)) return false;
    if (ns->hostname && sethostname(ns->hostname, strlen(ns->hostname))) {
        return problem(err, err_size, "cannot set the hostname '%s': %s", ns->hostname, strerror(errno));
    }
    if (ns->domainname && setdomainname(ns->domainname, strlen(ns->domainname))) {
        return problem(err, err_size, "cannot set the domain name '%s': %s", ns->domainname, strerror(errno));
    }
    return true;
}

bool namespaces_pivot(const struct namespaces *ns, const char *rootfs, bool *new_root, char *err, size_t err_size) {
    *new_root = false;
    if (!rootfs || !creates(ns, CLONE_NEWNS)) return true;
    if (chdir(rootfs) || syscall(SYS_pivot_root, ".", ".") || umount2(".", MNT_DETACH) || chdir("/")) {
        return problem(err, err_size, "cannot make %s the container's root: %s", rootfs, strerror(errno));
    }
    *new_root = true;
    return true;
}

bool namespaces_leave_pid(struct namespaces *ns, char *err, size_t err_size) {
    if (ns->runtime_pid < 0) return true;
    bool ok = setns(ns->runtime_pid, CLONE_NEWPID) == 0;
    int saved = errno;
    close(ns->runtime_pid);
    ns->runtime_pid = -1;
    if (!ok) return problem(err, err_size, "cannot return to the runtime's pid namespace: %s", strerror(saved));
    return true;
}
