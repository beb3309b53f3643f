/*
 * Reading and running config.json's hooks (hooks.h).
 */
#include "hooks.h"
#include "monotonic.h"
#include "problem.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const KIND_NAMES[HOOK_KINDS] = {
    [HOOK_PRESTART] = "prestart",
    [HOOK_CREATE_RUNTIME] = "createRuntime",
    [HOOK_CREATE_CONTAINER] = "createContainer",
    [HOOK_START_CONTAINER] = "startContainer",
    [HOOK_POSTSTART] = "poststart",
    [HOOK_POSTSTOP] = "poststop",
};

/* The longest timeout taken: seconds that still fit the deadline's milliseconds however long the host is up. */
#define MAX_TIMEOUT INT32_MAX
/* How much of a hook's stderr is kept for its first line. */
#define STDERR_KEPT 1024

const char *hook_kind_name(enum hook_kind kind) { return KIND_NAMES[kind]; }

/* A NULL-terminated copy of an array of strings (absent: empty); false when one is not a string. */
static bool strings(const struct json *v, char ***out, size_t *bad) {
    size_t n = v ? v->count : 0;
    char **list = calloc(n + 1, sizeof *list);
    if (!list) abort();
    for (size_t i = 0; i < n; i++) {
        if (!json_string(v->items[i])) {
            *bad = i;
            return false;
        }
        list[i] = v->items[i]->text;
    }
    *out = list;
    return true;
}

static bool read_hook(const struct json *entry, const char *kind, size_t index, struct hook *hook, char *err,
                      size_t err_size) {
    if (!entry || entry->type != JSON_OBJECT)
        return problem(err, err_size, "config.json: hooks.%s[%zu] is not an object", kind, index);
    hook->path = json_string(json_get(entry, "path"));
    if (!hook->path) return problem(err, err_size, "config.json: hooks.%s[%zu] has no path", kind, index);
    /* as execv's path, not looked up in PATH; relative to what would be unclear across namespaces */
    if (hook->path[0] != '/')
        return problem(err, err_size, "config.json: hooks.%s[%zu].path '%s' is not absolute", kind, index, hook->path);
    const struct json *args = json_get(entry, "args"), *env = json_get(entry, "env");
    size_t bad;
    if (args && args->type == JSON_NULL) args = NULL;
    if (env && env->type == JSON_NULL) env = NULL;
    if (args && args->type != JSON_ARRAY)
        return problem(err, err_size, "config.json: hooks.%s[%zu].args is not an array", kind, index);
    if (env && env->type != JSON_ARRAY)
        return problem(err, err_size, "config.json: hooks.%s[%zu].env is not an array", kind, index);
    if (!strings(args, &hook->argv, &bad))
        return problem(err, err_size, "config.json: hooks.%s[%zu].args[%zu] is not a string", kind, index, bad);
    if (!strings(env, &hook->env, &bad))
        return problem(err, err_size, "config.json: hooks.%s[%zu].env[%zu] is not a string", kind, index, bad);
    /* an argv needs its argv[0]: the path, as runc gives it */
    if (!hook->argv[0]) {
        hook->argv = realloc(hook->argv, 2 * sizeof *hook->argv);
        if (!hook->argv) abort();
        hook->argv[0] = (char *)hook->path;
        hook->argv[1] = NULL;
    }
    const struct json *timeout = json_get(entry, "timeout");
    hook->timeout = 0;
    if (timeout && timeout->type != JSON_NULL &&
        (!json_integer(timeout, &hook->timeout) || hook->timeout < 1 || hook->timeout > MAX_TIMEOUT)) {
        return problem(err, err_size,
                       "config.json: hooks.%s[%zu].timeout must be a whole number of seconds from 1 to %d", kind, index,
                       MAX_TIMEOUT);
    }
    return true;
}

bool hooks_read(const struct json *hooks, struct hooks *out, char *err, size_t err_size) {
    *out = (struct hooks){0};
    if (!hooks || hooks->type == JSON_NULL) return true;
    if (hooks->type != JSON_OBJECT) return problem(err, err_size, "config.json: hooks is not an object");
    out->json = hooks;
    for (size_t i = 0; i < hooks->count; i++) {
        const char *name = hooks->keys[i];
        int kind = -1;
        for (int k = 0; k < HOOK_KINDS; k++) {
            if (!strcmp(name, KIND_NAMES[k])) kind = k;
        }
        /* a kind this runtime does not know would be skipped, leaving undone what it promised */
        if (kind < 0) {
            return problem(err, err_size,
                           "config.json: hooks.%s is not a hook kind (prestart, createRuntime, createContainer, "
                           "startContainer, poststart, poststop are)",
                           name);
        }
        const struct json *list = hooks->items[i];
        if (list->type == JSON_NULL) continue;
        if (list->type != JSON_ARRAY) return problem(err, err_size, "config.json: hooks.%s is not an array", name);
        /* a repeated key: the last one counts, as json_get reads it */
        out->list[kind] = calloc(list->count + 1, sizeof *out->list[kind]);
        if (!out->list[kind]) abort();
        out->count[kind] = list->count;
        for (size_t h = 0; h < list->count; h++) {
            if (!read_hook(list->items[h], name, h, &out->list[kind][h], err, err_size)) return false;
        }
    }
    return true;
}

/* Appends what fits of n bytes of the hook's stderr to the STDERR_KEPT bytes kept. */
static void keep(char *kept, size_t *have, const char *buf, size_t n) {
    size_t take = n < STDERR_KEPT - *have ? n : STDERR_KEPT - *have;
    memcpy(kept + *have, buf, take);
    *have += take;
}

/* The first line of what the hook wrote on stderr that is not empty, without its end of line. */
static const char *first_line(char *kept) {
    char *line = kept;
    while (*line == '\n' || *line == '\r') line++;
    line[strcspn(line, "\r\n")] = 0;
    return line;
}

bool hook_run(const struct hook *hook, enum hook_kind kind, const char *state, char *err, size_t err_size) {
    const char *name = KIND_NAMES[kind];
    /* the state in a file rather than a pipe: a hook that never reads its stdin cannot block the runtime */
    int in = memfd_create("uniwasm-hook-state", MFD_CLOEXEC);
    size_t length = strlen(state);
    if (in < 0 || write(in, state, length) != (ssize_t)length || lseek(in, 0, SEEK_SET) != 0) {
        int saved = errno;
        if (in >= 0) close(in);
        return problem(err, err_size, "cannot run %s hook %s: cannot pass its state: %s", name, hook->path,
                       strerror(saved));
    }
    int out[2], errors[2];
    if (pipe2(out, O_CLOEXEC)) {
        close(in);
        return problem(err, err_size, "cannot run %s hook %s: pipe: %s", name, hook->path, strerror(errno));
    }
    if (pipe2(errors, O_CLOEXEC)) {
        close(in), close(out[0]), close(out[1]);
        return problem(err, err_size, "cannot run %s hook %s: pipe: %s", name, hook->path, strerror(errno));
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* its own group, so that a timeout ends what it started too */
        setpgid(0, 0);
        /* a clean slate: what the runtime blocks or ignores is not the hook's business */
        for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (dup2(in, 0) < 0 || dup2(out[1], 1) < 0 || dup2(errors[1], 2) < 0) _exit(127);
        syscall(SYS_close_range, 3U, ~0U, 0U);
        execve(hook->path, hook->argv, hook->env);
        dprintf(2, "cannot run %s: %s\n", hook->path, strerror(errno));
        _exit(127);
    }
    int saved = errno;
    close(in), close(out[1]), close(errors[1]);
    if (pid < 0) {
        close(out[0]), close(errors[0]);
        return problem(err, err_size, "cannot run %s hook %s: fork: %s", name, hook->path, strerror(saved));
    }
    /* also here: a timeout may come before the hook's own setpgid */
    setpgid(pid, pid);
    int exited = (int)syscall(SYS_pidfd_open, pid, 0);
    long long deadline = hook->timeout ? monotonic_ms() + hook->timeout * 1000 : -1;
    int fds[2] = {out[0], errors[0]};
    char kept[STDERR_KEPT + 1];
    size_t have = 0;
    int status = 0;
    bool ended = false, timed_out = false;
    int poll_error = 0;
    while (!ended) {
        int wait_ms = -1;
        if (deadline >= 0) {
            long long left = deadline - monotonic_ms();
            if (left <= 0) {
                timed_out = true;
                break;
            }
            wait_ms = left > INT32_MAX ? INT32_MAX : (int)left;
        }
        /* without a pidfd (a kernel before 5.3) the end is polled for */
        if (exited < 0 && (wait_ms < 0 || wait_ms > 10)) wait_ms = 10;
        struct pollfd p[3] = {
            {.fd = fds[0], .events = POLLIN}, {.fd = fds[1], .events = POLLIN}, {.fd = exited, .events = POLLIN}};
        if (poll(p, 3, wait_ms) < 0 && errno != EINTR) {
            poll_error = errno;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i] < 0 || !p[i].revents) continue;
            char buf[4096];
            ssize_t n = read(fds[i], buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                close(fds[i]);
                fds[i] = -1;
            } else if (i == 1) {
                keep(kept, &have, buf, (size_t)n);
            }
        }
        if ((exited < 0 || p[2].revents) && waitpid(pid, &status, WNOHANG) == pid) ended = true;
    }
    if (!ended) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) continue;
    }
    /* what it wrote before it ended; what its leftover children write later is not waited for */
    for (int i = 0; i < 2; i++) {
        if (fds[i] < 0) continue;
        fcntl(fds[i], F_SETFL, O_NONBLOCK);
        char buf[4096];
        ssize_t n;
        while ((n = read(fds[i], buf, sizeof buf)) > 0) {
            if (i == 1) keep(kept, &have, buf, (size_t)n);
        }
        close(fds[i]);
    }
    if (exited >= 0) close(exited);
    kept[have] = 0;
    if (timed_out) {
        return problem(err, err_size, "%s hook %s did not end within its timeout of %lld s and was killed", name,
                       hook->path, hook->timeout);
    }
    if (poll_error)
        return problem(err, err_size, "cannot wait for %s hook %s: %s", name, hook->path, strerror(poll_error));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    const char *line = first_line(kept);
    char how[64];
    if (WIFEXITED(status)) snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
    else snprintf(how, sizeof how, "killed by signal %d", WTERMSIG(status));
    return problem(err, err_size, "%s hook %s failed: %s%s%s", name, hook->path, how, *line ? ": " : "", line);
}

bool hooks_run(const struct hooks *hooks, enum hook_kind kind, const char *state, char *err, size_t err_size) {
    for (size_t i = 0; i < hooks->count[kind]; i++) {
        if (!hook_run(&hooks->list[kind][i], kind, state, err, err_size)) return false;
    }
    return true;
}
