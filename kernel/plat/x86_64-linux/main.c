/*
 * The process platform's start after entry.S: find the run-time channel `uniwasm run` passed (the
 * run file named by UNIWASM_RUN_FILE; kernel/README.md, "The process platform"), tie the process's
 * life to its parent, set up memory and signals, then hand over to the portable kernel, which calls
 * plat_confine (the sandbox) once its configuration is read and its listeners are open.
 * Run by itself (`./app args`), the process takes its arguments and environment from its own argv
 * and envp instead, combined with the baked ones by the portable kernel.
 */
#include "kernel/format.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "process/process.h"
#include "process/sys.h"

#define RUN_FILE_VARIABLE "UNIWASM_RUN_FILE="
#define RUN_MAGIC "UWPR"
#define RUN_VERSION 1
#define RUN_HEADER_SIZE 32
#define RUN_FLAG_TEST_FORBIDDEN_CALL 0x1
#define RUN_FLAG_TEST_SOCKET_CALL 0x2
#define SEEK_END 2
#define SYS_lseek 8

/* The memory limit of a standalone run: `uniwasm build --memory` bakes it as this symbol's value. */
extern char uw_process_memory_mib[];

_Noreturn void process_main(uint64_t *initial_stack);

static size_t text_length(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

_Noreturn void process_fail(const char *message, int64_t error) {
    char line[256];
    size_t n = error ? format(line, sizeof line, "uniwasm: %s (error %lld)\n", message, (long long)-error)
                     : format(line, sizeof line, "uniwasm: %s\n", message);
    sys3(SYS_write, 2, (uint64_t)(uintptr_t)line, n);
    for (;;) sys1(SYS_exit_group, PROCESS_START_FAILURE);
}

static uint32_t read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t read_u64(const uint8_t *p) { return (uint64_t)read_u32(p) | (uint64_t)read_u32(p + 4) << 32; }

struct run_file {
    const uint8_t *config; /* the boot config inside the mapping, or NULL */
    uint64_t config_size;
    uint64_t memory_limit; /* bytes; 0: the baked limit */
    uint64_t mapped;
    uint32_t parent;
    uint32_t test_calls; /* PROCESS_TEST_* */
};

/* Maps the run file, checks it, and unlinks it: once read it is gone, whatever happens next. The
 * descriptor stays open (as PROCESS_CONTROL_FD) for control lines, which `uniwasm run` reads
 * through its own descriptor of the same file. */
static void read_run_file(const char *path, struct run_file *out) {
    int64_t fd = sys4(SYS_openat, (uint64_t)AT_FDCWD, (uint64_t)(uintptr_t)path, O_RDWR | O_APPEND | O_CLOEXEC, 0);
    if (sys_failed(fd)) process_fail("cannot open the run file named by UNIWASM_RUN_FILE", fd);
    sys3(SYS_unlinkat, (uint64_t)AT_FDCWD, (uint64_t)(uintptr_t)path, 0);
    int64_t size = sys3(SYS_lseek, (uint64_t)fd, 0, SEEK_END);
    if (sys_failed(size) || size < RUN_HEADER_SIZE) process_fail("the run file is shorter than its header", 0);
    int64_t addr = sys6(SYS_mmap, 0, (uint64_t)size, PROT_READ, MAP_PRIVATE, (uint64_t)fd, 0);
    if (sys_failed(addr)) process_fail("cannot map the run file", addr);
    const uint8_t *p = (const uint8_t *)(uintptr_t)addr;
    if (memcmp(p, RUN_MAGIC, 4) || (p[4] | p[5] << 8) != RUN_VERSION) {
        process_fail("the run file has no 'UWPR' version 1 header (uniwasm and the executable differ in version?)", 0);
    }
    uint16_t flags = (uint16_t)(p[6] | p[7] << 8);
    if (flags & ~(RUN_FLAG_TEST_FORBIDDEN_CALL | RUN_FLAG_TEST_SOCKET_CALL))
        process_fail("the run file has unknown flags", 0);
    out->test_calls = (flags & RUN_FLAG_TEST_FORBIDDEN_CALL ? PROCESS_TEST_FORBIDDEN_CALL : 0) |
                      (flags & RUN_FLAG_TEST_SOCKET_CALL ? PROCESS_TEST_SOCKET_CALL : 0);
    out->parent = read_u32(p + 8);
    out->memory_limit = read_u64(p + 16);
    uint32_t config_at = read_u32(p + 24), config_size = read_u32(p + 28);
    if (config_at && (config_at < RUN_HEADER_SIZE || config_size > (uint64_t)size - config_at)) {
        process_fail("the run file's boot config lies outside it", 0);
    }
    out->config = config_at ? p + config_at : NULL;
    out->config_size = config_size;
    out->mapped = (uint64_t)size;
    if (fd != PROCESS_CONTROL_FD) {
        int64_t r = sys2(SYS_dup2, (uint64_t)fd, PROCESS_CONTROL_FD);
        if (sys_failed(r)) process_fail("cannot move the run file's descriptor", r);
        sys1(SYS_close, (uint64_t)fd);
    }
}

/* Ends this process with its parent, as a VM ends with the monitor that runs it. The death signal
 * is armed first, then the parent is checked: a parent that died before that would go unnoticed. */
static void follow_parent(uint32_t expected) {
    int64_t r = sys5(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (sys_failed(r)) process_fail("prctl(PR_SET_PDEATHSIG) failed", r);
    if ((uint64_t)sys0(SYS_getppid) != expected) sys1(SYS_exit_group, PROCESS_START_FAILURE); /* nobody to tell */
}

/* What plat_confine needs from the start: the sandbox goes up there, once the portable kernel has
 * read its configuration and made its listeners. */
static int control_fd = -1;
static uint32_t test_calls;

int process_control_fd(void) { return control_fd; }

uint32_t process_test_calls(void) { return test_calls; }

int process_first_socket_fd(void) {
    int last = process_image_fd() >= 0 ? process_image_fd() : control_fd;
    return last >= 0 ? last + 1 : 3;
}

/* The auxiliary vector's AT_EXECFN (the name the program was run by), after envp's NULL. */
static const char *exec_file_name(const char *const *envp) {
    size_t i = 0;
    while (envp[i]) i++;
    for (const uint64_t *aux = (const uint64_t *)(envp + i + 1); aux[0] != AT_NULL; aux += 2) {
        if (aux[0] == AT_EXECFN) return (const char *)(uintptr_t)aux[1];
    }
    return NULL;
}

_Noreturn void process_main(uint64_t *initial_stack) {
    uint64_t argc = initial_stack[0];
    const char *const *argv = (const char *const *)(initial_stack + 1);
    const char *const *envp = argv + argc + 1;

    process_image_find(exec_file_name(envp));
    const char *run_path = NULL;
    size_t prefix = text_length(RUN_FILE_VARIABLE);
    for (size_t i = 0; envp[i]; i++) {
        if (!memcmp(envp[i], RUN_FILE_VARIABLE, prefix)) run_path = envp[i] + prefix;
    }

    struct run_file run = {0};
    if (run_path) {
        read_run_file(run_path, &run);
        follow_parent(run.parent);
    }
    process_console_init(run_path ? PROCESS_CONTROL_FD : -1);
    uint64_t limit = run.memory_limit ? run.memory_limit : MiB((uint64_t)(uintptr_t)uw_process_memory_mib);
    process_memory_init(limit);
    process_memory_account(run.mapped);
    process_clock_init();
    process_signals_init();
    plat_app_stack(); /* fails here, before the sandbox, rather than at the app's start */
    uint64_t pid = (uint64_t)sys0(SYS_getpid);

    control_fd = run_path ? PROCESS_CONTROL_FD : -1;
    process_image_place(control_fd >= 0 ? control_fd + 1 : 3);
    test_calls = run.test_calls;

    char summary[256];
    format(summary, sizeof summary, "x86_64-linux process %llu; memory limit %llu MiB", (unsigned long long)pid,
           (unsigned long long)(limit >> 20));
    struct plat_start start = {
        .runtime_config = run.config,
        .runtime_config_size = run.config_size,
        .summary = summary,
        /* run by uniwasm, the process's own arguments and environment (UNIWASM_RUN_FILE) are not the app's */
        .host_argv = run_path ? NULL : argv,
        .host_envp = run_path ? NULL : envp,
    };
    kernel_main(&start);
}
