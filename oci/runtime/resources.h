/*
 * linux.resources (the OCI runtime spec's LinuxResources) applied to the container's cgroups as
 * runc applies them: at create from config.json, and by `update` from its JSON (--resources FILE|-)
 * or runc's update flags. cgroup v1 files in each controller's hierarchy, or cgroup v2's with
 * runc's conversions (shares to cpu.weight, quota and period to cpu.max, memory.swap, the total of
 * memory and swap, to memory.swap.max, the block I/O weight to io.weight). A value of 0 where runc
 * reads 0 as "not set" (shares, quota, period, memory limits, pids, block I/O weight) is not set.
 */
#ifndef UNIWASM_RUNTIME_RESOURCES_H
#define UNIWASM_RUNTIME_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"
#include "json.h"

#define RESOURCES_MAX_ENTRIES 64

struct resource_value {
    bool set;
    long long value;
};

struct resource_device {
    long long major, minor;
    struct resource_value value, leaf; /* a throttle's rate or a weight (and its leaf weight) */
};

/* The throttles of blockIO, in this order (throttleReadBpsDevice, ...). */
enum { THROTTLE_READ_BPS, THROTTLE_WRITE_BPS, THROTTLE_READ_IOPS, THROTTLE_WRITE_IOPS, THROTTLE_KINDS };

struct resources {
    struct resource_value cpu_shares, cpu_quota, cpu_period, cpu_burst, cpu_rt_runtime, cpu_rt_period, cpu_idle;
    const char *cpus, *mems;
    struct resource_value memory_limit, memory_reservation, memory_swap, memory_swappiness, memory_kernel_tcp;
    struct resource_value disable_oom_killer; /* 1: true */
    struct resource_value pids_limit;
    struct resource_value blkio_weight, blkio_leaf_weight;
    struct resource_device weight_devices[RESOURCES_MAX_ENTRIES];
    size_t weight_device_count;
    struct resource_device throttles[THROTTLE_KINDS][RESOURCES_MAX_ENTRIES];
    size_t throttle_count[THROTTLE_KINDS];
    struct {
        const char *page_size; /* "2MB", as the kernel names hugetlb's files */
        long long limit;
    } hugepages[RESOURCES_MAX_ENTRIES];
    size_t hugepage_count;
    struct resource_value net_class_id;
    struct {
        const char *name;
        long long priority;
    } net_priorities[RESOURCES_MAX_ENTRIES];
    size_t net_priority_count;
    const struct json *unified; /* cgroup v2 files and their values, written as given */
    const char *refused;        /* a key asked for that is never applied (rdma), for the error */
};

/* Reads a LinuxResources object (NULL: nothing asked). source names where it came from in errors
 * ("config.json", "update --resources FILE"). Returns false with one line in err. */
bool resources_read(const struct json *v, const char *source, struct resources *r, char *err, size_t err_size);

/* Writes what r asks into the container's cgroups. A value the kernel refuses, a controller the
 * host lacks for a key that is asked (one that is not asked is left alone), or a key cgroup v2 (or
 * v1) has no file for: false with one line naming the key and value in err. */
bool resources_apply(const struct cgroups *cg, const struct resources *r, char *err, size_t err_size);

#endif
