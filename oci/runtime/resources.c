#include "resources.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY "linux.resources."

/* ---- reading LinuxResources ---- */

struct reader {
    const char *source;
    char *err;
    size_t err_size;
};

static bool bad(struct reader *rd, const char *key, const char *what) {
    snprintf(rd->err, rd->err_size, "%s: " KEY "%s %s", rd->source, key, what);
    return false;
}

static bool object_or_absent(struct reader *rd, const struct json *v, const char *key) {
    return !v || v->type == JSON_NULL || v->type == JSON_OBJECT || bad(rd, key, "is not an object");
}

/* An integer member (absent or null: not set); at least min; zero_unset: 0 is "not set", as runc reads it. */
static bool read_int(struct reader *rd, const struct json *object, const char *name, const char *key, long long min,
                     bool zero_unset, struct resource_value *out) {
    const struct json *v = json_get(object, name);
    if (!v || v->type == JSON_NULL) return true;
    long long n;
    if (!json_integer(v, &n) || n < min)
        return bad(rd, key, min < 0 ? "is not an integer of at least -1" : "is not a non-negative integer");
    if (zero_unset && n == 0) return true;
    *out = (struct resource_value){.set = true, .value = n};
    return true;
}

/* A string member written as is into a cgroup file: one line, so that it cannot be read as more. */
static bool read_line(struct reader *rd, const struct json *object, const char *name, const char *key,
                      const char **out) {
    const struct json *v = json_get(object, name);
    if (!v || v->type == JSON_NULL) return true;
    const char *s = json_string(v);
    if (!s || strchr(s, '\n')) return bad(rd, key, "is not a string of one line");
    if (*s) *out = s;
    return true;
}

/* [{"major","minor",field...}]: the throttles' rate, or weightDevice's weight and leafWeight. */
static bool read_devices(struct reader *rd, const struct json *list, const char *key, const char *value_name,
                         const char *leaf_name, struct resource_device *out, size_t *count) {
    if (!list || list->type == JSON_NULL) return true;
    if (list->type != JSON_ARRAY) return bad(rd, key, "is not an array");
    if (list->count > RESOURCES_MAX_ENTRIES) return bad(rd, key, "has more than 64 entries");
    for (size_t i = 0; i < list->count; i++) {
        struct resource_device *d = &out[i];
        *d = (struct resource_device){0};
        struct resource_value major = {0}, minor = {0};
        char entry[128];
        snprintf(entry, sizeof entry, "%s[%zu]", key, i);
        if (!read_int(rd, list->items[i], "major", entry, 0, false, &major) ||
            !read_int(rd, list->items[i], "minor", entry, 0, false, &minor) ||
            !read_int(rd, list->items[i], value_name, entry, 0, false, &d->value) ||
            (leaf_name && !read_int(rd, list->items[i], leaf_name, entry, 0, false, &d->leaf)))
            return false;
        if (!major.set || !minor.set || (!d->value.set && !d->leaf.set))
            return bad(rd, entry,
                       leaf_name ? "needs major, minor and a weight or leafWeight" : "needs major, minor and rate");
        d->major = major.value;
        d->minor = minor.value;
    }
    *count = list->count;
    return true;
}

static bool is_word(const char *s) {
    if (!*s) return false;
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))) return false;
    }
    return true;
}

bool resources_read(const struct json *v, const char *source, struct resources *r, char *err, size_t err_size) {
    *r = (struct resources){0};
    struct reader rd = {source, err, err_size};
    if (!v || v->type == JSON_NULL) return true;
    if (v->type != JSON_OBJECT) {
        snprintf(err, err_size, "%s: linux.resources is not an object", source);
        return false;
    }
    const struct json *cpu = json_get(v, "cpu"), *memory = json_get(v, "memory"), *pids = json_get(v, "pids"),
                      *block = json_get(v, "blockIO"), *network = json_get(v, "network");
    if (!object_or_absent(&rd, cpu, "cpu") || !object_or_absent(&rd, memory, "memory") ||
        !object_or_absent(&rd, pids, "pids") || !object_or_absent(&rd, block, "blockIO") ||
        !object_or_absent(&rd, network, "network"))
        return false;
    if (!read_int(&rd, cpu, "shares", "cpu.shares", 0, true, &r->cpu_shares) ||
        !read_int(&rd, cpu, "quota", "cpu.quota", -1, true, &r->cpu_quota) ||
        !read_int(&rd, cpu, "period", "cpu.period", 0, true, &r->cpu_period) ||
        !read_int(&rd, cpu, "burst", "cpu.burst", 0, false, &r->cpu_burst) ||
        !read_int(&rd, cpu, "realtimeRuntime", "cpu.realtimeRuntime", -1, true, &r->cpu_rt_runtime) ||
        !read_int(&rd, cpu, "realtimePeriod", "cpu.realtimePeriod", 0, true, &r->cpu_rt_period) ||
        !read_int(&rd, cpu, "idle", "cpu.idle", 0, false, &r->cpu_idle) ||
        !read_line(&rd, cpu, "cpus", "cpu.cpus", &r->cpus) || !read_line(&rd, cpu, "mems", "cpu.mems", &r->mems))
        return false;
    if (!read_int(&rd, memory, "limit", "memory.limit", -1, true, &r->memory_limit) ||
        !read_int(&rd, memory, "reservation", "memory.reservation", -1, true, &r->memory_reservation) ||
        !read_int(&rd, memory, "swap", "memory.swap", -1, true, &r->memory_swap) ||
        !read_int(&rd, memory, "kernelTCP", "memory.kernelTCP", -1, true, &r->memory_kernel_tcp) ||
        !read_int(&rd, memory, "swappiness", "memory.swappiness", 0, false, &r->memory_swappiness))
        return false;
    /* memory.kernel: the kernel no longer limits kernel memory on its own (runc ignores it too) */
    if (r->memory_swappiness.set && r->memory_swappiness.value > 100)
        return bad(&rd, "memory.swappiness", "is above 100");
    const struct json *oom = json_get(memory, "disableOOMKiller");
    if (oom && oom->type != JSON_NULL) {
        if (oom->type != JSON_BOOL) return bad(&rd, "memory.disableOOMKiller", "is not true or false");
        if (oom->boolean) r->disable_oom_killer = (struct resource_value){.set = true, .value = 1};
    }
    if (!read_int(&rd, pids, "limit", "pids.limit", -1, true, &r->pids_limit)) return false;
    if (!read_int(&rd, block, "weight", "blockIO.weight", 0, true, &r->blkio_weight) ||
        !read_int(&rd, block, "leafWeight", "blockIO.leafWeight", 0, true, &r->blkio_leaf_weight) ||
        !read_devices(&rd, json_get(block, "weightDevice"), "blockIO.weightDevice", "weight", "leafWeight",
                      r->weight_devices, &r->weight_device_count))
        return false;
    static const char *const throttles[THROTTLE_KINDS] = {"throttleReadBpsDevice", "throttleWriteBpsDevice",
                                                          "throttleReadIOPSDevice", "throttleWriteIOPSDevice"};
    for (int k = 0; k < THROTTLE_KINDS; k++) {
        char key[64];
        snprintf(key, sizeof key, "blockIO.%s", throttles[k]);
        if (!read_devices(&rd, json_get(block, throttles[k]), key, "rate", NULL, r->throttles[k],
                          &r->throttle_count[k]))
            return false;
    }
    const struct json *pages = json_get(v, "hugepageLimits");
    if (pages && pages->type != JSON_NULL) {
        if (pages->type != JSON_ARRAY) return bad(&rd, "hugepageLimits", "is not an array");
        if (pages->count > RESOURCES_MAX_ENTRIES) return bad(&rd, "hugepageLimits", "has more than 64 entries");
        for (size_t i = 0; i < pages->count; i++) {
            char key[64];
            snprintf(key, sizeof key, "hugepageLimits[%zu]", i);
            const char *size = json_string(json_get(pages->items[i], "pageSize"));
            struct resource_value limit = {0};
            if (!read_int(&rd, pages->items[i], "limit", key, 0, false, &limit)) return false;
            /* the size names a file: letters and digits only */
            if (!size || !is_word(size) || !limit.set)
                return bad(&rd, key, "needs a pageSize such as \"2MB\" and a limit");
            r->hugepages[i].page_size = size;
            r->hugepages[i].limit = limit.value;
        }
        r->hugepage_count = pages->count;
    }
    if (!read_int(&rd, network, "classID", "network.classID", 0, false, &r->net_class_id)) return false;
    const struct json *priorities = json_get(network, "priorities");
    if (priorities && priorities->type != JSON_NULL) {
        if (priorities->type != JSON_ARRAY) return bad(&rd, "network.priorities", "is not an array");
        if (priorities->count > RESOURCES_MAX_ENTRIES)
            return bad(&rd, "network.priorities", "has more than 64 entries");
        for (size_t i = 0; i < priorities->count; i++) {
            char key[64];
            snprintf(key, sizeof key, "network.priorities[%zu]", i);
            const char *name = json_string(json_get(priorities->items[i], "name"));
            struct resource_value priority = {0};
            if (!read_int(&rd, priorities->items[i], "priority", key, 0, false, &priority)) return false;
            if (!name || !*name || strpbrk(name, " \t\n/") || !priority.set)
                return bad(&rd, key, "needs an interface name and a priority");
            r->net_priorities[i].name = name;
            r->net_priorities[i].priority = priority.value;
        }
        r->net_priority_count = priorities->count;
    }
    const struct json *unified = json_get(v, "unified");
    if (unified && unified->type != JSON_NULL) {
        if (unified->type != JSON_OBJECT) return bad(&rd, "unified", "is not an object");
        for (size_t i = 0; i < unified->count; i++) {
            const char *file = unified->keys[i];
            char key[256];
            snprintf(key, sizeof key, "unified.%s", file);
            if (!*file || strchr(file, '/') || !strcmp(file, ".") || !strcmp(file, ".."))
                return bad(&rd, key, "is not the name of a file of the container's cgroup");
            if (!json_string(unified->items[i])) return bad(&rd, key, "is not a string");
        }
        if (unified->count) r->unified = unified;
    }
    const struct json *rdma = json_get(v, "rdma");
    if (rdma && rdma->type == JSON_OBJECT && rdma->count) r->refused = "rdma";
    /* devices: the app opens no device (docs/oci.md) */
    return true;
}

/* ---- writing them into the cgroups ---- */

struct writer {
    const struct cgroups *cg;
    bool v2;
    char *err;
    size_t err_size;
};

static bool refuse(struct writer *w, const char *key, const char *why) {
    snprintf(w->err, w->err_size, KEY "%s: %s", key, why);
    return false;
}

/* value into file of the container's folder of controller; key and shown (the value as asked) for
 * the one line when the host has no such controller or file, or the kernel refuses the value. */
static bool put(struct writer *w, const char *controller, const char *file, const char *value, const char *key,
                const char *shown) {
    const char *dir = cgroups_dir_of(w->cg, controller);
    if (!dir) {
        snprintf(w->err, w->err_size, KEY "%s: %s is asked, but the host mounts no cgroup v1 %s controller", key, shown,
                 controller);
        return false;
    }
    if (cgroup_write(dir, file, value)) return true;
    if (errno == ENOENT) {
        snprintf(w->err, w->err_size, KEY "%s: %s is asked, but the container's cgroup %s has no %s (%s)", key, shown,
                 dir, file,
                 w->v2 ? "cgroup v2's controller for it is not available there: see cgroup.controllers"
                       : "the kernel does not offer it");
        return false;
    }
    snprintf(w->err, w->err_size, KEY "%s: the kernel refused %s (%s/%s: %s)", key, shown, dir, file, strerror(errno));
    return false;
}

static bool put_number(struct writer *w, const char *controller, const char *file, long long n, const char *key) {
    char value[32];
    snprintf(value, sizeof value, "%lld", n);
    return put(w, controller, file, value, key, value);
}

/* cgroup v2's "max" for runc's -1 (no limit). */
static bool put_limit(struct writer *w, const char *controller, const char *file, long long n, const char *key) {
    char shown[32];
    snprintf(shown, sizeof shown, "%lld", n);
    return put(w, controller, file, n < 0 ? "max" : shown, key, shown);
}

static bool has_file(struct writer *w, const char *controller, const char *file) {
    const char *dir = cgroups_dir_of(w->cg, controller);
    char buf[64];
    return dir && (cgroup_read(dir, file, buf, sizeof buf) || errno != ENOENT);
}

static bool apply_cpu_v1(struct writer *w, const struct resources *r) {
    if (r->cpu_shares.set) {
        if (!put_number(w, "cpu", "cpu.shares", r->cpu_shares.value, "cpu.shares")) return false;
        /* the kernel clamps shares silently (2 to 262144): a value it changed is refused, as runc refuses it */
        char now[32];
        if (cgroup_read(cgroups_dir_of(w->cg, "cpu"), "cpu.shares", now, sizeof now) &&
            strtoll(now, NULL, 10) != r->cpu_shares.value) {
            snprintf(w->err, w->err_size, KEY "cpu.shares: the kernel took %lld as %lld (it allows 2 to 262144)",
                     r->cpu_shares.value, strtoll(now, NULL, 10));
            return false;
        }
    }
    return (!r->cpu_period.set || put_number(w, "cpu", "cpu.cfs_period_us", r->cpu_period.value, "cpu.period")) &&
           (!r->cpu_quota.set || put_number(w, "cpu", "cpu.cfs_quota_us", r->cpu_quota.value, "cpu.quota")) &&
           (!r->cpu_burst.set || put_number(w, "cpu", "cpu.cfs_burst_us", r->cpu_burst.value, "cpu.burst")) &&
           (!r->cpu_rt_period.set ||
            put_number(w, "cpu", "cpu.rt_period_us", r->cpu_rt_period.value, "cpu.realtimePeriod")) &&
           (!r->cpu_rt_runtime.set ||
            put_number(w, "cpu", "cpu.rt_runtime_us", r->cpu_rt_runtime.value, "cpu.realtimeRuntime")) &&
           (!r->cpu_idle.set || put_number(w, "cpu", "cpu.idle", r->cpu_idle.value, "cpu.idle"));
}

static bool apply_cpu_v2(struct writer *w, const struct resources *r) {
    if (r->cpu_rt_runtime.set || r->cpu_rt_period.set)
        return refuse(w, r->cpu_rt_runtime.set ? "cpu.realtimeRuntime" : "cpu.realtimePeriod",
                      "cgroup v2 has no realtime CPU limits (the kernel gives them to cgroup v1 only)");
    if (r->cpu_shares.set) {
        /* runc's mapping of v1's shares (2 to 262144) onto cpu.weight (1 to 10000) */
        long long shares = r->cpu_shares.value < 2 ? 2 : r->cpu_shares.value > 262144 ? 262144 : r->cpu_shares.value;
        char weight[32], shown[32];
        snprintf(weight, sizeof weight, "%lld", 1 + ((shares - 2) * 9999) / 262142);
        snprintf(shown, sizeof shown, "%lld", r->cpu_shares.value);
        if (!put(w, "cpu", "cpu.weight", weight, "cpu.shares", shown)) return false;
    }
    if (r->cpu_quota.set || r->cpu_period.set) {
        /* cpu.max holds both: the one not asked keeps its value */
        char now[64] = "max", quota[32], period[32] = "";
        const char *dir = cgroups_dir_of(w->cg, "cpu");
        if (!r->cpu_quota.set && dir && cgroup_read(dir, "cpu.max", now, sizeof now)) now[strcspn(now, " \n")] = 0;
        if (r->cpu_quota.set && r->cpu_quota.value > 0) snprintf(quota, sizeof quota, "%lld", r->cpu_quota.value);
        else snprintf(quota, sizeof quota, "%s", r->cpu_quota.set ? "max" : now);
        if (r->cpu_period.set) snprintf(period, sizeof period, " %lld", r->cpu_period.value);
        char value[80];
        snprintf(value, sizeof value, "%s%s", quota, period);
        if (!put(w, "cpu", "cpu.max", value, r->cpu_quota.set ? "cpu.quota" : "cpu.period", value)) return false;
    }
    return (!r->cpu_burst.set || put_number(w, "cpu", "cpu.max.burst", r->cpu_burst.value, "cpu.burst")) &&
           (!r->cpu_idle.set || put_number(w, "cpu", "cpu.idle", r->cpu_idle.value, "cpu.idle"));
}

static bool apply_memory_v1(struct writer *w, const struct resources *r) {
    struct resource_value limit = r->memory_limit, swap = r->memory_swap;
    /* no memory limit means no swap limit either (runc's reading), where the kernel counts swap */
    if (limit.set && limit.value < 0 && !swap.set && has_file(w, "memory", "memory.memsw.limit_in_bytes"))
        swap = (struct resource_value){.set = true, .value = -1};
    /* memory.memsw.limit_in_bytes may never be below memory.limit_in_bytes: the order that keeps it so */
    bool swap_first = false;
    if (limit.set && swap.set) {
        char now[32];
        const char *dir = cgroups_dir_of(w->cg, "memory");
        swap_first = swap.value < 0 || (dir && cgroup_read(dir, "memory.limit_in_bytes", now, sizeof now) &&
                                        strtoull(now, NULL, 10) < (unsigned long long)swap.value);
    }
    if (swap_first && !put_number(w, "memory", "memory.memsw.limit_in_bytes", swap.value, "memory.swap")) return false;
    if (limit.set && !put_number(w, "memory", "memory.limit_in_bytes", limit.value, "memory.limit")) return false;
    if (!swap_first && swap.set && !put_number(w, "memory", "memory.memsw.limit_in_bytes", swap.value, "memory.swap"))
        return false;
    return (!r->memory_reservation.set ||
            put_number(w, "memory", "memory.soft_limit_in_bytes", r->memory_reservation.value, "memory.reservation")) &&
           (!r->memory_kernel_tcp.set || put_number(w, "memory", "memory.kmem.tcp.limit_in_bytes",
                                                    r->memory_kernel_tcp.value, "memory.kernelTCP")) &&
           (!r->memory_swappiness.set ||
            put_number(w, "memory", "memory.swappiness", r->memory_swappiness.value, "memory.swappiness")) &&
           (!r->disable_oom_killer.set ||
            put(w, "memory", "memory.oom_control", "1", "memory.disableOOMKiller", "true"));
}

static bool apply_memory_v2(struct writer *w, const struct resources *r) {
    if (r->memory_swap.set) {
        /* the spec's swap is memory and swap together (v1's memsw); v2's memory.swap.max is the swap alone */
        char shown[32], value[32] = "max";
        snprintf(shown, sizeof shown, "%lld", r->memory_swap.value);
        if (r->memory_swap.value >= 0) {
            long long limit = r->memory_limit.set ? r->memory_limit.value : -1;
            char now[32];
            const char *dir = cgroups_dir_of(w->cg, "memory");
            if (!r->memory_limit.set && dir && cgroup_read(dir, "memory.max", now, sizeof now) && now[0] != 'm')
                limit = strtoll(now, NULL, 10);
            if (limit < 0)
                return refuse(w, "memory.swap",
                              "a swap limit needs a memory limit on cgroup v2 (memory.swap.max is the swap beyond it)");
            if (r->memory_swap.value < limit) {
                snprintf(w->err, w->err_size, KEY "memory.swap: %lld is below the memory limit %lld (it counts both)",
                         r->memory_swap.value, limit);
                return false;
            }
            snprintf(value, sizeof value, "%lld", r->memory_swap.value - limit);
        }
        if (!put(w, "memory", "memory.swap.max", value, "memory.swap", shown)) return false;
    } else if (r->memory_limit.set && r->memory_limit.value < 0 && has_file(w, "memory", "memory.swap.max")) {
        if (!put(w, "memory", "memory.swap.max", "max", "memory.swap", "-1")) return false;
    }
    /* swappiness, disableOOMKiller and kernelTCP have no cgroup v2 file: left, as runc leaves them */
    return (!r->memory_limit.set || put_limit(w, "memory", "memory.max", r->memory_limit.value, "memory.limit")) &&
           (!r->memory_reservation.set ||
            put_limit(w, "memory", "memory.low", r->memory_reservation.value, "memory.reservation"));
}

/* The first of files that the folder has (for the error, the first), as runc picks BFQ's. */
static const char *file_of(struct writer *w, const char *controller, const char *first, const char *second) {
    return has_file(w, controller, first) || !has_file(w, controller, second) ? first : second;
}

static bool apply_block_io(struct writer *w, const struct resources *r) {
    const char *c = w->v2 ? "io" : "blkio";
    if (r->blkio_weight.set) {
        if (w->v2) {
            bool bfq = has_file(w, c, "io.bfq.weight");
            /* runc's mapping of blkio's 10 to 1000 onto io.weight's 1 to 10000 */
            long long weight = bfq ? r->blkio_weight.value : 1 + (r->blkio_weight.value - 10) * 9999 / 990;
            char value[32], shown[32];
            snprintf(value, sizeof value, "%lld", weight < 1 ? 1 : weight);
            snprintf(shown, sizeof shown, "%lld", r->blkio_weight.value);
            if (!put(w, c, bfq ? "io.bfq.weight" : "io.weight", value, "blockIO.weight", shown)) return false;
        } else if (!put_number(w, c, file_of(w, c, "blkio.weight", "blkio.bfq.weight"), r->blkio_weight.value,
                               "blockIO.weight")) {
            return false;
        }
    }
    if (r->blkio_leaf_weight.set) {
        if (w->v2) return refuse(w, "blockIO.leafWeight", "cgroup v2 has no leaf weight");
        if (!put_number(w, c, "blkio.leaf_weight", r->blkio_leaf_weight.value, "blockIO.leafWeight")) return false;
    }
    for (size_t i = 0; i < r->weight_device_count; i++) {
        const struct resource_device *d = &r->weight_devices[i];
        char value[96];
        if (d->value.set) {
            snprintf(value, sizeof value, "%lld:%lld %lld", d->major, d->minor, d->value.value);
            const char *file =
                w->v2 ? "io.bfq.weight" : file_of(w, c, "blkio.weight_device", "blkio.bfq.weight_device");
            if (!put(w, c, file, value, "blockIO.weightDevice", value)) return false;
        }
        if (d->leaf.set) {
            if (w->v2) return refuse(w, "blockIO.weightDevice", "cgroup v2 has no leaf weight");
            snprintf(value, sizeof value, "%lld:%lld %lld", d->major, d->minor, d->leaf.value);
            if (!put(w, c, "blkio.leaf_weight_device", value, "blockIO.weightDevice", value)) return false;
        }
    }
    static const char *const keys[THROTTLE_KINDS] = {"blockIO.throttleReadBpsDevice", "blockIO.throttleWriteBpsDevice",
                                                     "blockIO.throttleReadIOPSDevice",
                                                     "blockIO.throttleWriteIOPSDevice"};
    static const char *const v1_files[THROTTLE_KINDS] = {
        "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device", "blkio.throttle.read_iops_device",
        "blkio.throttle.write_iops_device"};
    static const char *const v2_names[THROTTLE_KINDS] = {"rbps", "wbps", "riops", "wiops"};
    for (int k = 0; k < THROTTLE_KINDS; k++) {
        for (size_t i = 0; i < r->throttle_count[k]; i++) {
            const struct resource_device *d = &r->throttles[k][i];
            char value[96];
            if (w->v2)
                snprintf(value, sizeof value, "%lld:%lld %s=%lld", d->major, d->minor, v2_names[k], d->value.value);
            else snprintf(value, sizeof value, "%lld:%lld %lld", d->major, d->minor, d->value.value);
            if (!put(w, c, w->v2 ? "io.max" : v1_files[k], value, keys[k], value)) return false;
        }
    }
    return true;
}

static bool apply_hugepages(struct writer *w, const struct resources *r) {
    for (size_t i = 0; i < r->hugepage_count; i++) {
        char file[96], value[32], key[64], shown[96];
        snprintf(file, sizeof file, "hugetlb.%s.%s", r->hugepages[i].page_size, w->v2 ? "max" : "limit_in_bytes");
        snprintf(value, sizeof value, "%lld", r->hugepages[i].limit);
        snprintf(key, sizeof key, "hugepageLimits[%zu]", i);
        snprintf(shown, sizeof shown, "%s %s", r->hugepages[i].page_size, value);
        if (!put(w, "hugetlb", file, value, key, shown)) return false;
    }
    return true;
}

static bool apply_network(struct writer *w, const struct resources *r) {
    if (!r->net_class_id.set && !r->net_priority_count) return true;
    if (w->v2)
        return refuse(w, r->net_class_id.set ? "network.classID" : "network.priorities",
                      "cgroup v2 has no net_cls or net_prio controller");
    if (r->net_class_id.set && !put_number(w, "net_cls", "net_cls.classid", r->net_class_id.value, "network.classID"))
        return false;
    for (size_t i = 0; i < r->net_priority_count; i++) {
        char value[128];
        snprintf(value, sizeof value, "%s %lld", r->net_priorities[i].name, r->net_priorities[i].priority);
        if (!put(w, "net_prio", "net_prio.ifpriomap", value, "network.priorities", value)) return false;
    }
    return true;
}

/* cgroup v2 files by name: the one folder, or in hybrid mode the unified hierarchy's (runc's way). */
static bool apply_unified(struct writer *w, const struct resources *r) {
    for (size_t i = 0; r->unified && i < r->unified->count; i++) {
        char key[256];
        snprintf(key, sizeof key, "unified.%s", r->unified->keys[i]);
        const char *value = json_string(r->unified->items[i]);
        /* a v1 host's unified hierarchy is the folder named so, as cgroups_dir_of finds a controller's */
        if (!w->v2 && !cgroups_dir_of(w->cg, "unified"))
            return refuse(w, key, "cgroup v2 files, but the host's cgroups are v1 without a unified hierarchy");
        if (!put(w, "unified", r->unified->keys[i], value, key, value)) return false;
    }
    return true;
}

bool resources_apply(const struct cgroups *cg, const struct resources *r, char *err, size_t err_size) {
    struct writer w = {cg, cgroups_v2(), err, err_size};
    if (r->refused) return refuse(&w, r->refused, "RDMA limits are not applied by uniwasm-runtime");
    return (!r->cpus || put(&w, "cpuset", "cpuset.cpus", r->cpus, "cpu.cpus", r->cpus)) &&
           (!r->mems || put(&w, "cpuset", "cpuset.mems", r->mems, "cpu.mems", r->mems)) &&
           (w.v2 ? apply_memory_v2(&w, r) : apply_memory_v1(&w, r)) &&
           (w.v2 ? apply_cpu_v2(&w, r) : apply_cpu_v1(&w, r)) &&
           (!r->pids_limit.set || put_limit(&w, "pids", "pids.max", r->pids_limit.value, "pids.limit")) &&
           apply_block_io(&w, r) && apply_hugepages(&w, r) && apply_network(&w, r) && apply_unified(&w, r);
}
