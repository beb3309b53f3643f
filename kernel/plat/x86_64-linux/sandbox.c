/*
 * The sandbox, installed by plat_confine once the portable kernel has read its boot configuration,
 * mounted its file systems and opened the pre-opened listeners, before the app is instantiated: resource limits,
 * no_new_privs, fresh namespaces where the host lets an unprivileged process make them, and a seccomp filter built from
 * ALLOWLIST below, the one table of every system call the running kernel may make. Any other call, and any call through
 * the x32 ABI or another architecture's numbers, kills the whole process (SECCOMP_RET_KILL_PROCESS: SIGSYS, no
 * handler). Compiled Wasm makes no system calls at all: it reaches the kernel through the WASI functions, and the
 * kernel answers file-system calls from its in-memory VFS, so none of them is on the list.
 */
#include "kernel/format.h"
#include "kernel/platform.h"
#include "process/process.h"
#include "process/sys.h"

enum check { ANY_VALUE, ONE_OF, NO_BITS, ALL_BITS, AT_LEAST };

/* When a line applies: always, when the boot configuration has a network (the sockets the stack
 * has), or when the outbound rules let the app start traffic (sockets of its own). */
enum when { ALWAYS, WITH_NETWORK, WITH_OUTBOUND };

/* An argument's low 32 bits (every argument checked is an int or a flag word) against values. */
struct arg_check {
    uint8_t arg;        /* 1-based index; 0: no check */
    uint8_t kind;       /* enum check */
    uint8_t count;      /* ONE_OF: values used */
    uint32_t values[3]; /* ONE_OF: the allowed values; NO_BITS/ALL_BITS: values[0] is the mask; AT_LEAST: the bound */
};

struct allowed_call {
    uint32_t nr;
    const char *name;
    struct arg_check checks[2]; /* all must hold */
    uint8_t when;               /* enum when */
    const char *reason;
};

/* Stands for the control descriptor in a check: PROCESS_CONTROL_FD when `uniwasm run` passed one,
 * else 2 again, so a standalone executable cannot write to whatever its parent left on fd 3. */
#define CONTROL_FD_OR_STDERR 0xfffffffdu
/* The descriptor mmap is given for an anonymous mapping (-1, as its low 32 bits). */
#define NO_FD 0xffffffffu
/* Stands for the image's descriptor (image.c) in a check, or NO_FD again when there is none. */
#define IMAGE_FD_OR_NONE 0xfffffffcu
/* Stands for process_first_socket_fd(): every descriptor a host socket can have is at least this. */
#define FIRST_SOCKET_FD 0xfffffffeu
#define SOCKET_FD ARG(0, AT_LEAST, FIRST_SOCKET_FD)

/* clang-format off */
#define ARG(i, k, ...) {(i) + 1, (k), sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t), {__VA_ARGS__}}

/* The allowlist: one line per system call, with its reason (a table: scripts/format leaves it as written). */
static const struct allowed_call ALLOWLIST[] = {
    {SYS_read, "read", {ARG(0, ONE_OF, 0)}, ALWAYS, "fd 0 only: the app's stdin (fd_read, poll_oneoff)"},
    {SYS_write, "write", {ARG(0, ONE_OF, 1, 2, CONTROL_FD_OR_STDERR)}, ALWAYS,
     "fds 1 and 2: the app's stdout and stderr; the control descriptor: exit and log lines for uniwasm run"},
    {SYS_ppoll, "ppoll", {{0}}, ALWAYS, "waiting for stdin, the sockets or a deadline (poll_oneoff, fd_read, socket calls)"},
    {SYS_clock_gettime, "clock_gettime", {{0}}, ALWAYS, "clock_time_get, poll_oneoff's deadlines"},
    {SYS_getrandom, "getrandom", {{0}}, ALWAYS, "random_get"},
    {SYS_mmap, "mmap", {ARG(2, NO_BITS, PROT_EXEC), ARG(4, ONE_OF, NO_FD, IMAGE_FD_OR_NONE)}, ALWAYS,
     "kernel pages (heap, file contents) and linear-memory reservations, anonymous; data segments' pages "
     "from the executable's own file, copy-on-write (image.c); never executable"},
    {SYS_munmap, "munmap", {{0}}, ALWAYS, "kernel pages given back"},
    {SYS_mprotect, "mprotect", {ARG(2, NO_BITS, PROT_EXEC)}, ALWAYS,
     "memory.grow commits a linear memory's pages: never executable"},
    {SYS_mincore, "mincore", {{0}}, ALWAYS,
     "which newly committed linear-memory pages are resident, for idle reclaim (memory.c); of files it reports only "
     "those the process maps (its executable, the run file)"},
    {SYS_madvise, "madvise", {ARG(2, ONE_OF, MADV_DONTNEED)}, ALWAYS,
     "idle reclaim gives back linear-memory pages that hold only zeros; no other advice"},
    {SYS_exit_group, "exit_group", {{0}}, ALWAYS, "the end: proc_exit, a return from _start, a trap, a panic"},
    /* the sockets the stack has: descriptors from the first socket one up, never stdio or control */
    {SYS_accept4, "accept4", {SOCKET_FD}, WITH_NETWORK, "sock_accept on a listener"},
    {SYS_recvmsg, "recvmsg", {SOCKET_FD}, WITH_NETWORK, "sock_recv, fd_read and sock_recv_from on a socket"},
    {SYS_sendmsg, "sendmsg", {SOCKET_FD}, WITH_NETWORK, "sock_send, fd_write and sock_send_to on a socket"},
    {SYS_shutdown, "shutdown", {SOCKET_FD}, WITH_NETWORK, "sock_shutdown"},
    {SYS_close, "close", {SOCKET_FD}, WITH_NETWORK, "fd_close of a socket"},
    {SYS_getsockname, "getsockname", {SOCKET_FD}, WITH_NETWORK, "sock_getlocaladdr"},
    {SYS_getpeername, "getpeername", {SOCKET_FD}, WITH_NETWORK, "sock_getpeeraddr"},
    {SYS_getsockopt, "getsockopt", {SOCKET_FD}, WITH_NETWORK, "sock_getsockopt; SO_ERROR after a connect"},
    {SYS_setsockopt, "setsockopt", {SOCKET_FD}, WITH_NETWORK, "sock_setsockopt (SO_REUSEADDR, SO_KEEPALIVE), TCP_NODELAY"},
    {SYS_ioctl, "ioctl", {SOCKET_FD, ARG(1, ONE_OF, FIONREAD, SIOCOUTQ)}, WITH_NETWORK,
     "bytes queued to read (poll_oneoff's nbytes) and not yet acknowledged (delivering at exit)"},
    /* sockets of the app's own: the addresses are pointers, which seccomp cannot read, so the
     * outbound rules are checked by the kernel (net/outbound.c) before each of these */
    {SYS_socket, "socket", {ARG(0, ONE_OF, AF_INET), ARG(1, ONE_OF, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                                      SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC)},
     WITH_OUTBOUND, "sock_open: IPv4 TCP or UDP, non-blocking"},
    {SYS_connect, "connect", {SOCKET_FD}, WITH_OUTBOUND, "sock_connect, after the outbound rules allowed the destination"},
    {SYS_bind, "bind", {SOCKET_FD}, WITH_OUTBOUND, "sock_bind of a client socket (the kernel refuses fixed ports)"},
};
/* clang-format on */

/* classic BPF, as seccomp runs it (linux/filter.h, linux/seccomp.h) */
struct sock_filter {
    uint16_t code;
    uint8_t jt, jf;
    uint32_t k;
};
struct sock_fprog {
    uint16_t len;
    const struct sock_filter *filter;
};
#define BPF_LD_W_ABS 0x20
#define BPF_JEQ_K 0x15
#define BPF_JGE_K 0x35
#define BPF_JSET_K 0x45
#define BPF_AND_K 0x54
#define BPF_RET_K 0x06
#define SECCOMP_RET_KILL_PROCESS 0x80000000u
#define SECCOMP_RET_ALLOW 0x7fff0000u
#define SECCOMP_SET_MODE_FILTER 1
#define AUDIT_ARCH_X86_64 0xc000003eu
/* struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] */
#define DATA_NR 0
#define DATA_ARCH 4
#define DATA_ARG_LOW(i) (16 + 8 * (i))

#define MAX_FILTER 256

static struct sock_filter program[MAX_FILTER] LARGE_STATIC;
static uint16_t length;

static void emit(uint16_t code, uint8_t jt, uint8_t jf, uint32_t k) {
    if (length == MAX_FILTER) process_fail("the seccomp filter outgrew its buffer", 0);
    program[length++] = (struct sock_filter){code, jt, jf, k};
}

static uint32_t check_length(const struct arg_check *c) {
    switch (c->kind) {
    case ONE_OF: return 1 + c->count + 1;
    case NO_BITS: return 3;
    case ALL_BITS: return 4;
    case AT_LEAST: return 3;
    default: return 0;
    }
}

/* Falls through to the next instruction when the check holds, returns KILL otherwise. */
static void emit_check(const struct arg_check *c, uint32_t control_fd, uint32_t image_fd, uint32_t first_socket) {
    emit(BPF_LD_W_ABS, 0, 0, DATA_ARG_LOW(c->arg - 1));
    switch (c->kind) {
    case AT_LEAST: emit(BPF_JGE_K, 1, 0, c->values[0] == FIRST_SOCKET_FD ? first_socket : c->values[0]); break;
    case ONE_OF:
        for (uint8_t i = 0; i < c->count; i++) {
            uint32_t v = c->values[i] == CONTROL_FD_OR_STDERR ? control_fd
                         : c->values[i] == IMAGE_FD_OR_NONE   ? image_fd
                                                              : c->values[i];
            emit(BPF_JEQ_K, (uint8_t)(c->count - i), 0, v); /* over the rest and the kill */
        }
        break;
    case NO_BITS: emit(BPF_JSET_K, 0, 1, c->values[0]); break;
    case ALL_BITS:
        emit(BPF_AND_K, 0, 0, c->values[0]);
        emit(BPF_JEQ_K, 1, 0, c->values[0]);
        break;
    }
    emit(BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
}

static bool applies(const struct allowed_call *a, bool network, bool outbound) {
    return a->when == ALWAYS || (a->when == WITH_NETWORK && network) || (a->when == WITH_OUTBOUND && outbound);
}

static void build_filter(uint32_t control_fd, uint32_t image_fd, uint32_t first_socket, bool network, bool outbound) {
    length = 0;
    emit(BPF_LD_W_ABS, 0, 0, DATA_ARCH);
    emit(BPF_JEQ_K, 1, 0, AUDIT_ARCH_X86_64);
    emit(BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
    emit(BPF_LD_W_ABS, 0, 0, DATA_NR);
    emit(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT);
    emit(BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
    for (size_t i = 0; i < ARRAY_LEN(ALLOWLIST); i++) {
        const struct allowed_call *a = &ALLOWLIST[i];
        if (!applies(a, network, outbound)) continue;
        uint32_t body = 1; /* the final ALLOW */
        for (size_t c = 0; c < ARRAY_LEN(a->checks); c++) body += check_length(&a->checks[c]);
        /* the number is in A here: every block that does not match leaves it untouched */
        emit(BPF_JEQ_K, 0, (uint8_t)body, a->nr);
        for (size_t c = 0; c < ARRAY_LEN(a->checks); c++) {
            if (a->checks[c].kind != ANY_VALUE) emit_check(&a->checks[c], control_fd, image_fd, first_socket);
        }
        emit(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW);
    }
    emit(BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
}

/* value as both limits, or the hard limit already set where that is lower: raising a hard limit
 * needs CAP_SYS_RESOURCE (a container's user lacks it), and a container's RLIMIT_NOFILE, 1024 both
 * ways under containerd, is below a network's first socket + 1024. The host then says EMFILE sooner. */
static void set_limit(int resource, uint64_t value) {
    struct linux_rlimit now;
    if (!sys_failed(sys2(SYS_getrlimit, (uint64_t)resource, (uint64_t)(uintptr_t)&now)) && now.max < value)
        value = now.max;
    struct linux_rlimit lim = {value, value};
    int64_t r = sys2(SYS_setrlimit, (uint64_t)resource, (uint64_t)(uintptr_t)&lim);
    if (sys_failed(r)) process_fail("setrlimit failed", r);
}

void process_sandbox_install(int control_fd, uint32_t test_calls, bool network, bool outbound, char *summary,
                             size_t size) {
    /* No descriptor beyond stdio, the control one and PROCESS_SOCKET_LIMIT sockets (the host then
     * says EMFILE), no child processes, no core dumps (they would hold the app's memory), nothing
     * locked in RAM. Not RLIMIT_FSIZE: stdout may be a regular file, and the limit applies to
     * every write. */
    uint32_t first_socket = (uint32_t)process_first_socket_fd();
    set_limit(RLIMIT_NOFILE, network ? first_socket + PROCESS_SOCKET_LIMIT : first_socket);
    set_limit(RLIMIT_NPROC, 0);
    set_limit(RLIMIT_CORE, 0);
    set_limit(RLIMIT_MEMLOCK, 0);
    /* not dumpable: other processes of the same user cannot ptrace it or read its memory */
    sys5(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
    /* Fresh user, IPC and UTS namespaces where unprivileged user namespaces are allowed: nothing
     * of the host's System V IPC or host name is shared. Not a network namespace: the process's
     * network is the host's (net/host). Best effort: the filter is the barrier. */
    bool namespaces = !sys_failed(sys1(SYS_unshare, CLONE_NEWUSER | CLONE_NEWIPC | CLONE_NEWUTS));

    int64_t r = sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (sys_failed(r)) process_fail("prctl(PR_SET_NO_NEW_PRIVS) failed", r);
    build_filter(control_fd >= 0 ? (uint32_t)control_fd : 2,
                 process_image_fd() >= 0 ? (uint32_t)process_image_fd() : NO_FD, first_socket, network, outbound);
    struct sock_fprog prog = {length, program};
    r = sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (uint64_t)(uintptr_t)&prog);
    if (sys_failed(r)) process_fail("cannot install the seccomp filter (seccomp(2) failed)", r);
    unsigned calls = 0;
    for (size_t i = 0; i < ARRAY_LEN(ALLOWLIST); i++) calls += applies(&ALLOWLIST[i], network, outbound);
    format(summary, size, "seccomp allowlist of %u system calls (%u BPF instructions; %s)%s", calls, (unsigned)length,
           outbound  ? "sockets of its own"
           : network ? "its listeners' sockets only"
                     : "no sockets",
           namespaces ? ", new user/IPC/UTS namespaces" : "");

    if (test_calls & PROCESS_TEST_FORBIDDEN_CALL) {
        /* the test hook: opening a file is exactly what the sandbox exists to stop */
        sys4(SYS_openat, (uint64_t)AT_FDCWD, (uint64_t)(uintptr_t) "/etc/passwd", O_RDONLY, 0);
        process_fail("the sandbox let a forbidden system call (openat) through", 0);
    }
    if (test_calls & PROCESS_TEST_SOCKET_CALL) {
        /* the test hook: a socket of the app's own, which only outbound permission lets through
         * (without it the process dies of SIGSYS here) */
        int64_t fd = sys3(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (sys_failed(fd)) process_fail("the test socket could not be opened", fd);
        sys1(SYS_close, (uint64_t)fd);
    }
}
