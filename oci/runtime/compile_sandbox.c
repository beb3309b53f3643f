/*
 * The compiler's sandbox (compile_sandbox.h). The module is untrusted and the compiler (a JVM, LLVM)
 * is large: a compiler bug that a crafted module exploits must get a user that owns nothing but its
 * work folder, rather than the runtime's root.
 */
#include "compile_sandbox.h"
#include "monotonic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Where a folder could be nested deeper, the compile user made it to waste the runtime's time. */
#define MAX_REMOVE_DEPTH 64
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static bool all_digits(const char *s) { return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 10; }

/* The static executable has no NSS: users are looked up in /etc/passwd itself. */
static bool passwd_entry(const char *name, uid_t *uid, gid_t *gid) {
    FILE *f = fopen("/etc/passwd", "re");
    if (!f) return false;
    char *line = NULL;
    size_t cap = 0;
    bool found = false;
    while (!found && getline(&line, &cap, f) > 0) {
        /* NAME:PASSWORD:UID:GID:... */
        char *save = NULL, *user = strtok_r(line, ":", &save), *pw = strtok_r(NULL, ":", &save),
             *u = strtok_r(NULL, ":", &save), *g = strtok_r(NULL, ":", &save);
        if (user && pw && u && g && !strcmp(user, name) && all_digits(u) && all_digits(g)) {
            *uid = (uid_t)strtoul(u, NULL, 10);
            *gid = (gid_t)strtoul(g, NULL, 10);
            found = true;
        }
    }
    free(line);
    fclose(f);
    return found;
}

bool compile_sandbox_user(struct compile_user *user, char *err, size_t err_size) {
    memset(user, 0, sizeof *user);
    if (geteuid() != 0) {
        user->as_self = true;
        user->uid = geteuid();
        user->gid = getegid();
        snprintf(user->shown, sizeof user->shown, "%u:%u", (unsigned)user->uid, (unsigned)user->gid);
        return true;
    }
    const char *value = getenv("UNIWASM_COMPILE_USER");
    if (!value || !*value) value = COMPILE_USER_DEFAULT;
    const char *colon = strchr(value, ':');
    if (colon) {
        char *u = strndup(value, (size_t)(colon - value));
        bool ok = all_digits(u) && all_digits(colon + 1) && strtoul(u, NULL, 10) < UINT32_MAX &&
                  strtoul(colon + 1, NULL, 10) < UINT32_MAX;
        if (ok) {
            user->uid = (uid_t)strtoul(u, NULL, 10);
            user->gid = (gid_t)strtoul(colon + 1, NULL, 10);
        }
        free(u);
        if (!ok) {
            snprintf(err, err_size, "UNIWASM_COMPILE_USER=%s: not a user name or UID:GID", value);
            return false;
        }
    } else if (!passwd_entry(value, &user->uid, &user->gid)) {
        snprintf(err, err_size, "UNIWASM_COMPILE_USER=%s: no such user in /etc/passwd (give a user name or UID:GID)",
                 value);
        return false;
    }
    if (user->uid == 0 || user->gid == 0) {
        snprintf(err, err_size,
                 "UNIWASM_COMPILE_USER=%s: the compiler reads untrusted modules and must not run as root (uid or "
                 "gid 0)",
                 value);
        return false;
    }
    snprintf(user->shown, sizeof user->shown, "%s", value);
    return true;
}

bool compile_sandbox_timeout(long *seconds, char *err, size_t err_size) {
    const char *value = getenv("UNIWASM_COMPILE_TIMEOUT");
    *seconds = COMPILE_TIMEOUT_DEFAULT;
    if (!value || !*value) return true;
    long n = all_digits(value) ? strtol(value, NULL, 10) : 0;
    if (n < 1 || n > 86400) {
        snprintf(err, err_size, "UNIWASM_COMPILE_TIMEOUT=%s: not a whole number of seconds from 1 to 86400", value);
        return false;
    }
    *seconds = n;
    return true;
}

/* ---- the OOM killer ---- */

static bool read_line_value(const char *path, const char *key, char *out, size_t out_size) {
    FILE *f = fopen(path, "re");
    if (!f) return false;
    char line[256];
    bool found = false;
    size_t n = strlen(key);
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        const char *value = !key[0] ? line : !strncmp(line, key, n) && line[n] == ' ' ? line + n + 1 : NULL;
        /* the values are numbers: one longer than out is not one of them */
        if (value) found = (size_t)snprintf(out, out_size, "%s", value) < out_size;
    }
    fclose(f);
    return found;
}

/* The OOM kills counted in the memory cgroup of this process (which the compiler inherits): cgroup
 * v1's memory.oom_control or v2's memory.events, whose oom_kill counts the cgroup's processes the
 * kernel killed, whichever limit ran out. -1 when there is no such count. */
static long long oom_kills(char *folder, size_t folder_size, char *limit, size_t limit_size) {
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (!f) return -1;
    char line[PATH_MAX + 64], v1[PATH_MAX] = "", v2[PATH_MAX] = "";
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        /* ID:CONTROLLERS:PATH */
        char *first = strchr(line, ':'), *second = first ? strchr(first + 1, ':') : NULL;
        if (!second) continue;
        *second = 0;
        const char *controllers = first + 1, *path = second + 1;
        if (!strcmp(line, "0") && !*controllers) snprintf(v2, sizeof v2, "%s", path);
        char *copy = strdup(controllers), *save = NULL;
        for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save))
            if (!strcmp(c, "memory")) snprintf(v1, sizeof v1, "%s", path);
        free(copy);
    }
    fclose(f);
    char count[64], file[PATH_MAX + 64];
    if (v1[0]) {
        snprintf(folder, folder_size, "/sys/fs/cgroup/memory%s", strcmp(v1, "/") ? v1 : "");
        snprintf(file, sizeof file, "%s/memory.oom_control", folder);
        if (!read_line_value(file, "oom_kill", count, sizeof count)) return -1;
        snprintf(file, sizeof file, "%s/memory.limit_in_bytes", folder);
    } else if (v2[0]) {
        snprintf(folder, folder_size, "/sys/fs/cgroup%s", strcmp(v2, "/") ? v2 : "");
        snprintf(file, sizeof file, "%s/memory.events", folder);
        if (!read_line_value(file, "oom_kill", count, sizeof count)) return -1;
        snprintf(file, sizeof file, "%s/memory.max", folder);
    } else {
        return -1;
    }
    if (!read_line_value(file, "", limit, limit_size)) snprintf(limit, limit_size, "unknown");
    return strtoll(count, NULL, 10);
}

/* ---- the compiler's process ---- */

/* In the child: a message for the compiler's messages (stderr by now), then the end. */
static void child_failed(const char *what) {
    dprintf(2, "uniwasm-runtime: cannot start the compiler: %s: %s\n", what, strerror(errno));
    _exit(125);
}

static void child(const struct compile_user *user, const char *work, int messages_fd, const char *cli,
                  char *const argv[], long timeout, pid_t parent) {
    /* its own process group, so that a timeout ends the compiler's tools too */
    setsid();
    int null = open("/dev/null", O_RDWR);
    if (null < 0 || dup2(null, 0) < 0 || dup2(messages_fd, 1) < 0 || dup2(messages_fd, 2) < 0) _exit(125);
    if (chdir(work)) child_failed("chdir");
    /* nothing of the runtime's (the container's root, its state, the lock) reaches the compiler */
    syscall(SYS_close_range, 3U, ~0U, 0U);
    if (!user->as_self) {
        /* the bounding set too: with it gone, no exec can give a capability back */
        for (unsigned long cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)) child_failed("PR_CAPBSET_DROP");
        }
        if (setgroups(0, NULL)) child_failed("setgroups");
        if (setresgid(user->gid, user->gid, user->gid)) child_failed("setresgid");
        if (setresuid(user->uid, user->uid, user->uid)) child_failed("setresuid");
    }
    /* a runtime that is not root may still hold capabilities (file capabilities, ambient ones) */
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3};
    struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {0};
    if (syscall(SYS_capset, &header, none)) child_failed("capset");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) child_failed("PR_SET_NO_NEW_PRIVS");
    /* set after the user change, which clears it: a compile nobody waits for any more stops too */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != parent) _exit(125);
    /* the wall-clock limit is the runtime's; this one holds for a process that outlives its group */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    rlim_t cpu = (rlim_t)timeout * (rlim_t)(cpus > 0 ? cpus : 1);
    setrlimit(RLIMIT_CPU, &(struct rlimit){cpu, cpu + 5});
    setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});

    char *env[8];
    int n = 0;
    const char *path = getenv("PATH"), *java_home = getenv("JAVA_HOME");
    if (asprintf(&env[n++], "PATH=%s", path && *path ? path : DEFAULT_PATH) < 0) _exit(125);
    if (java_home && *java_home && asprintf(&env[n++], "JAVA_HOME=%s", java_home) < 0) _exit(125);
    /* the JVM's and LLVM's caches and temporary files go into the work folder, removed after */
    if (asprintf(&env[n++], "HOME=%s", work) < 0 || asprintf(&env[n++], "XDG_CACHE_HOME=%s/.cache", work) < 0 ||
        asprintf(&env[n++], "TMPDIR=%s", work) < 0) {
        _exit(125);
    }
    env[n] = NULL;
    execve(cli, argv, env);
    dprintf(2,
            "cannot run %s as %s: %s (the compile user must be able to read and run the uniwasm CLI and its "
            "build; see UNIWASM_COMPILE_USER)\n",
            cli, user->shown, strerror(errno));
    _exit(126);
}

bool compile_sandbox_run(const struct compile_user *user, const char *work, int messages_fd, const char *cli,
                         char *const argv[], long timeout, struct compile_run *run, char *err, size_t err_size) {
    memset(run, 0, sizeof *run);
    long long kills_before =
        oom_kills(run->memory_cgroup, sizeof run->memory_cgroup, run->memory_limit, sizeof run->memory_limit);
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_size, "cannot fork the compiler: %s", strerror(errno));
        return false;
    }
    if (pid == 0) child(user, work, messages_fd, cli, argv, timeout, parent);

    long long deadline = monotonic_ms() + timeout * 1000LL;
    for (;;) {
        pid_t done = waitpid(pid, &run->wait_status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) {
            snprintf(err, err_size, "cannot wait for the compiler: %s", strerror(errno));
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            return false;
        }
        if (monotonic_ms() >= deadline) {
            run->timed_out = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &run->wait_status, 0) < 0 && errno == EINTR) {
            }
            break;
        }
        /* a compile takes seconds: 20 ms of lag is nothing, and this needs no signal handler */
        nanosleep(&(struct timespec){.tv_nsec = 20 * 1000 * 1000}, NULL);
    }
    /* what the compiler started and left behind ends with it */
    kill(-pid, SIGKILL);
    char folder[PATH_MAX], limit[32];
    long long kills_after = oom_kills(folder, sizeof folder, limit, sizeof limit);
    run->out_of_memory = kills_before >= 0 && kills_after > kills_before;
    return true;
}

/* ---- removing the work folder ---- */

static void remove_at(int dir_fd, const char *name, int depth) {
    if (!unlinkat(dir_fd, name, 0) || errno != EISDIR || depth >= MAX_REMOVE_DEPTH) return;
    int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    /* entries removed while reading can make readdir skip others: a few passes */
    for (int pass = 0; pass < 3; pass++) {
        bool any = false;
        rewinddir(d);
        for (struct dirent *e; (e = readdir(d));) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            remove_at(fd, e->d_name, depth + 1);
            any = true;
        }
        if (!any) break;
    }
    closedir(d);
    unlinkat(dir_fd, name, AT_REMOVEDIR);
}

void compile_sandbox_remove(int dir_fd, const char *name) { remove_at(dir_fd, name, 0); }
