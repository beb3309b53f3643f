/*
 * How the compile cache runs the uniwasm CLI on a module it did not make: as an unprivileged user,
 * without capabilities or inherited descriptors, with a small environment, a time limit, and an
 * eye on the OOM killer (docs/oci.md, "Compiling on first use").
 */
#ifndef UNIWASM_RUNTIME_COMPILE_SANDBOX_H
#define UNIWASM_RUNTIME_COMPILE_SANDBOX_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define COMPILE_USER_DEFAULT "nobody"
#define COMPILE_TIMEOUT_DEFAULT 600

struct compile_user {
    uid_t uid;
    gid_t gid;
    bool as_self; /* not root: the compiler runs as this process's own user */
    char shown[64];
};

/* UNIWASM_COMPILE_USER: a user name of /etc/passwd or UID:GID, default nobody; never root. When this
 * process is not root it cannot switch users, and the compiler runs as its own. */
bool compile_sandbox_user(struct compile_user *user, char *err, size_t err_size);

/* UNIWASM_COMPILE_TIMEOUT: whole seconds, 1 to 86400, default COMPILE_TIMEOUT_DEFAULT. */
bool compile_sandbox_timeout(long *seconds, char *err, size_t err_size);

struct compile_run {
    int wait_status;
    bool timed_out;
    bool out_of_memory;           /* the OOM killer struck the cgroup this process is in meanwhile */
    char memory_cgroup[PATH_MAX]; /* that cgroup's folder */
    char memory_limit[32];        /* its limit as the kernel shows it, "max" say */
};

/* Runs cli with argv in the folder work (owned by user already), stdout and stderr to messages_fd,
 * stdin /dev/null, and waits for it at most timeout seconds, then kills its process group. Returns
 * false with a message in err when it could not be run or waited for. */
bool compile_sandbox_run(const struct compile_user *user, const char *work, int messages_fd, const char *cli,
                         char *const argv[], long timeout, struct compile_run *run, char *err, size_t err_size);

/* Removes name in the folder dir_fd, and everything under it, without following a symlink: the
 * compile user made what is in its work folder, and could swap a folder for a link meanwhile. */
void compile_sandbox_remove(int dir_fd, const char *name);

#endif
