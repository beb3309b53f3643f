/*
 * config.json's hooks (the OCI runtime spec's "POSIX-platform Hooks"): programs the runtime runs at
 * points of the container's life, each with the container's state (as `state` prints it) on its
 * stdin, exactly its own args (args[0] is its argv[0]) and env, and at most its timeout. Which
 * process runs which kind, and in which namespaces, is runtime.c's (docs/oci.md, "Hooks"); this
 * file reads them and runs one list.
 */
#ifndef UNIWASM_RUNTIME_HOOKS_H
#define UNIWASM_RUNTIME_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "json.h"

/* In the order the spec's lifecycle runs them. */
enum hook_kind {
    HOOK_PRESTART,
    HOOK_CREATE_RUNTIME,
    HOOK_CREATE_CONTAINER,
    HOOK_START_CONTAINER,
    HOOK_POSTSTART,
    HOOK_POSTSTOP,
    HOOK_KINDS
};

struct hook {
    const char *path;  /* absolute */
    char **argv;       /* NULL-terminated: args, or {path} when args is absent or empty */
    char **env;        /* NULL-terminated: env, empty when absent */
    long long timeout; /* seconds; 0: none */
};

struct hooks {
    const struct json *json; /* the hooks object as given (NULL: none), kept in the state for start and delete */
    size_t count[HOOK_KINDS];
    struct hook *list[HOOK_KINDS];
};

/* config.json's name of the kind (createRuntime...). */
const char *hook_kind_name(enum hook_kind kind);

/* Reads the hooks object (NULL or JSON null: none); false with one line in err for what is not a
 * hook (an unknown kind, a relative path, a timeout that is not a positive whole number...). */
bool hooks_read(const struct json *hooks, struct hooks *out, char *err, size_t err_size);

/*
 * Runs the hook with state on its stdin, its stdout discarded, its stderr read for the first line,
 * in its own process group (killed whole at its timeout), and waits for it. False with one line in
 * err: `KIND hook PATH failed: exit status N: FIRST STDERR LINE`, `... failed: killed by signal N`
 * or `KIND hook PATH did not end within its timeout of N s and was killed`.
 */
bool hook_run(const struct hook *hook, enum hook_kind kind, const char *state, char *err, size_t err_size);

/* Runs every hook of kind in order, stopping at the first that fails (its line in err). */
bool hooks_run(const struct hooks *hooks, enum hook_kind kind, const char *state, char *err, size_t err_size);

#endif
