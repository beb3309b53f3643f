#include "limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    int resource;
} RESOURCES[] = {
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},       {"RLIMIT_FSIZE", RLIMIT_FSIZE},       {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},   {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},     {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

bool limits_read(const struct json *process, struct process_limits *limits, char *err, size_t err_size) {
    *limits = (struct process_limits){0};
    const struct json *list = json_get(process, "rlimits");
    if (list && list->type != JSON_ARRAY) {
        snprintf(err, err_size, "config.json: process.rlimits is not an array");
        return false;
    }
    for (size_t i = 0; list && i < list->count; i++) {
        const struct json *entry = list->items[i];
        const char *type = json_string(json_get(entry, "type"));
        unsigned long long hard, soft;
        if (!type || !json_unsigned(json_get(entry, "hard"), &hard) || !json_unsigned(json_get(entry, "soft"), &soft)) {
            snprintf(err, err_size,
                     "config.json: process.rlimits[%zu] needs a type and unsigned integers hard and soft", i);
            return false;
        }
        int resource = -1;
        const char *name = NULL;
        for (size_t r = 0; r < sizeof RESOURCES / sizeof *RESOURCES; r++) {
            if (!strcmp(type, RESOURCES[r].name)) resource = RESOURCES[r].resource, name = RESOURCES[r].name;
        }
        if (resource < 0) {
            snprintf(err, err_size,
                     "config.json: process.rlimits[%zu]: '%s' is not a resource limit (RLIMIT_NOFILE, ...)", i, type);
            return false;
        }
        for (size_t j = 0; j < limits->count; j++) {
            if (limits->rlimits[j].resource == resource) {
                snprintf(err, err_size, "config.json: process.rlimits: %s is given twice", name);
                return false;
            }
        }
        if (soft > hard) {
            snprintf(err, err_size, "config.json: process.rlimits: %s's soft limit %llu is above its hard limit %llu",
                     name, soft, hard);
            return false;
        }
        /* each type once: the table's size bounds the count */
        limits->rlimits[limits->count].resource = resource;
        limits->rlimits[limits->count].name = name;
        limits->rlimits[limits->count].limit = (struct rlimit){.rlim_cur = soft, .rlim_max = hard};
        limits->count++;
    }
    const struct json *score = json_get(process, "oomScoreAdj");
    if (score) {
        if (!json_integer(score, &limits->oom_score_adj) || limits->oom_score_adj < -1000 ||
            limits->oom_score_adj > 1000) {
            snprintf(err, err_size, "config.json: process.oomScoreAdj is not an integer from -1000 to 1000");
            return false;
        }
        limits->has_oom_score_adj = true;
    }
    return true;
}

bool limits_apply(const struct process_limits *limits, char *err, size_t err_size) {
    for (size_t i = 0; i < limits->count; i++) {
        struct rlimit limit = limits->rlimits[i].limit;
        if (limits->rlimits[i].resource == RLIMIT_NOFILE) limit.rlim_cur = limit.rlim_max;
        if (setrlimit(limits->rlimits[i].resource, &limit)) {
            snprintf(err, err_size, "cannot set process.rlimits %s to soft %llu, hard %llu: %s%s",
                     limits->rlimits[i].name, (unsigned long long)limits->rlimits[i].limit.rlim_cur,
                     (unsigned long long)limits->rlimits[i].limit.rlim_max, strerror(errno),
                     limits->rlimits[i].resource == RLIMIT_NOFILE && errno == EPERM
                         ? " (it may not exceed /proc/sys/fs/nr_open)"
                         : "");
            return false;
        }
    }
    if (limits->has_oom_score_adj) {
        char text[32];
        int length = snprintf(text, sizeof text, "%lld", limits->oom_score_adj);
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        bool ok = fd >= 0 && write(fd, text, (size_t)length) == length;
        int saved = errno;
        if (fd >= 0) close(fd);
        if (!ok) {
            snprintf(err, err_size, "cannot set process.oomScoreAdj %lld: %s", limits->oom_score_adj, strerror(saved));
            return false;
        }
    }
    return true;
}

void limits_finish(const struct process_limits *limits) {
    for (size_t i = 0; i < limits->count; i++) {
        if (limits->rlimits[i].resource == RLIMIT_NOFILE) setrlimit(RLIMIT_NOFILE, &limits->rlimits[i].limit);
    }
}
