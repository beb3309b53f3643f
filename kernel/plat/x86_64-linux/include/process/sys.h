/*
 * Linux system calls for the process platform, without a libc: the x86-64 syscall instruction, the
 * call numbers and the few constants and structures of the kernel's ABI it needs. Every call the
 * platform makes once the sandbox is installed must also be a line of sandbox.c's allowlist.
 */
#ifndef PROCESS_SYS_H
#define PROCESS_SYS_H

#include "kernel/types.h"

/* call numbers (arch/x86/entry/syscalls/syscall_64.tbl) */
#define SYS_read 0
#define SYS_write 1
#define SYS_close 3
#define SYS_ioctl 16
#define SYS_pread64 17
#define SYS_mmap 9
#define SYS_mprotect 10
#define SYS_munmap 11
#define SYS_mincore 27
#define SYS_madvise 28
#define SYS_rt_sigaction 13
#define SYS_rt_sigreturn 15
#define SYS_dup2 33
#define SYS_fcntl 72
#define SYS_getpid 39
#define SYS_socket 41
#define SYS_connect 42
#define SYS_sendmsg 46
#define SYS_recvmsg 47
#define SYS_shutdown 48
#define SYS_bind 49
#define SYS_listen 50
#define SYS_getsockname 51
#define SYS_getpeername 52
#define SYS_setsockopt 54
#define SYS_getsockopt 55
#define SYS_sigaltstack 131
#define SYS_prctl 157
#define SYS_getrlimit 97
#define SYS_setrlimit 160
#define SYS_getppid 110
#define SYS_clock_gettime 228
#define SYS_clock_getres 229
#define SYS_exit_group 231
#define SYS_openat 257
#define SYS_unlinkat 263
#define SYS_ppoll 271
#define SYS_unshare 272
#define SYS_seccomp 317
#define SYS_getrandom 318
#define SYS_accept4 288

#define X32_SYSCALL_BIT 0x40000000u

/* errno values the platform tells apart (returned negated) */
#define LINUX_EINTR 4
#define LINUX_EAGAIN 11
#define LINUX_ENOMEM 12

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_RDWR 2
#define O_APPEND 02000
#define O_CLOEXEC 02000000
#define O_ACCMODE 3
#define O_PATH 010000000

#define F_DUPFD_CLOEXEC 1030
#define F_GETFL 3

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000
#define MADV_DONTNEED 4
#define MAP_FAILED_MAX 4095u /* results in [-4095, -1] are errors */

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLRDHUP 0x2000
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13
#define SIGTERM 15
#define SIGSYS 31
#define SA_SIGINFO 0x00000004
#define SA_ONSTACK 0x08000000
#define SA_RESTORER 0x04000000
#define SA_NODEFER 0x40000000
#define SIG_IGN ((void *)1)

#define PR_SET_PDEATHSIG 1
#define PR_SET_DUMPABLE 4
#define PR_SET_NO_NEW_PRIVS 38

#define RLIMIT_FSIZE 1
#define RLIMIT_CORE 4
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8

#define CLONE_NEWNS 0x00020000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000

#define AT_NULL 0
#define AT_PAGESZ 6
#define AT_EXECFN 31

/* sockets (the host sockets of net/host) */
#define AF_INET 2
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC 02000000
#define SOL_SOCKET 1
#define SO_REUSEADDR 2
#define SO_ERROR 4
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define IPPROTO_TCP 6
#define TCP_NODELAY 1
#define MSG_PEEK 0x2
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_NOSIGNAL 0x4000
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
#define FIONREAD 0x541b
#define SIOCOUTQ 0x5411

struct linux_sockaddr_in {
    uint16_t family;
    uint16_t port;      /* network order */
    uint8_t address[4]; /* network order */
    uint8_t zero[8];
};

struct linux_iovec {
    void *base;
    uint64_t len;
};

struct linux_msghdr {
    void *name;
    uint32_t namelen;
    struct linux_iovec *iov;
    uint64_t iovlen;
    void *control;
    uint64_t controllen;
    int32_t flags;
};

struct linux_timespec {
    int64_t tv_sec, tv_nsec;
};

struct linux_pollfd {
    int32_t fd;
    int16_t events, revents;
};

struct linux_rlimit {
    uint64_t cur, max;
};

struct linux_stack {
    void *sp;
    int32_t flags;
    uint64_t size;
};

/* the kernel's struct sigaction for rt_sigaction (not glibc's): handler, flags, restorer, mask */
struct linux_sigaction {
    void *handler;
    uint64_t flags;
    void (*restorer)(void);
    uint64_t mask;
};

/* the start of siginfo_t: enough for the faulting address of SIGSEGV/SIGBUS/SIGFPE/SIGILL */
struct linux_siginfo {
    int32_t signo, errno_, code, pad;
    uint64_t addr;
};

/* ucontext_t up to the general registers of its mcontext */
enum linux_greg {
    GREG_R8,
    GREG_R9,
    GREG_R10,
    GREG_R11,
    GREG_R12,
    GREG_R13,
    GREG_R14,
    GREG_R15,
    GREG_RDI,
    GREG_RSI,
    GREG_RBP,
    GREG_RBX,
    GREG_RDX,
    GREG_RAX,
    GREG_RCX,
    GREG_RSP,
    GREG_RIP,
    GREG_EFL,
    GREG_CSGSFS,
    GREG_ERR,
    GREG_TRAPNO,
    GREG_OLDMASK,
    GREG_CR2,
    GREG_COUNT
};
struct linux_ucontext {
    uint64_t flags;
    struct linux_ucontext *link;
    struct linux_stack stack;
    uint64_t gregs[GREG_COUNT];
};

static inline int64_t sys0(long n) {
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sys1(long n, uint64_t a) {
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sys2(long n, uint64_t a, uint64_t b) {
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sys3(long n, uint64_t a, uint64_t b, uint64_t c) {
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sys4(long n, uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
    int64_t r;
    register uint64_t r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sys5(long n, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e) {
    int64_t r;
    register uint64_t r10 __asm__("r10") = d;
    register uint64_t r8 __asm__("r8") = e;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
    return r;
}
static inline int64_t sys6(long n, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f) {
    int64_t r;
    register uint64_t r10 __asm__("r10") = d;
    register uint64_t r8 __asm__("r8") = e;
    register uint64_t r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

static inline bool sys_failed(int64_t r) { return r < 0 && r >= -(int64_t)MAP_FAILED_MAX; }

static inline void *sys_mmap(void *addr, uint64_t len, int prot, int flags) {
    int64_t r = sys6(SYS_mmap, (uint64_t)(uintptr_t)addr, len, (uint64_t)prot, (uint64_t)flags, (uint64_t)-1, 0);
    return sys_failed(r) ? NULL : (void *)(uintptr_t)r;
}

#endif
