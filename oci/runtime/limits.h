/*
 * config.json's process.rlimits and process.oomScoreAdj, applied to the container's process as runc
 * applies them, so that the app (and a VM container's QEMU, which inherits them) runs under them.
 * The process platform's sandbox lowers some further itself (kernel/README.md, "The process
 * platform"), never above the hard limits found here.
 */
#ifndef UNIWASM_RUNTIME_LIMITS_H
#define UNIWASM_RUNTIME_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>

#include "json.h"

#define LIMITS_MAX_RLIMITS 16

struct process_limits {
    size_t count;
    struct {
        int resource;
        const char *name; /* RLIMIT_... */
        struct rlimit limit;
    } rlimits[LIMITS_MAX_RLIMITS];
    bool has_oom_score_adj;
    long long oom_score_adj;
};

/* Reads them from config.json's process object; false with a message in err for an unknown or
 * repeated type, a soft limit above its hard one, or an OOM score outside -1000..1000. */
bool limits_read(const struct json *process, struct process_limits *limits, char *err, size_t err_size);
/* In the container's process while it can still report to create (a refusal, such as an
 * RLIMIT_NOFILE above the host's fs.nr_open, fails create): every limit, RLIMIT_NOFILE's soft one
 * at its hard one for now (the runtime still opens files until the exec), and the OOM score. */
bool limits_apply(const struct process_limits *limits, char *err, size_t err_size);
/* After the last file the runtime opens: RLIMIT_NOFILE's soft limit as given (lowering never fails). */
void limits_finish(const struct process_limits *limits);

#endif
