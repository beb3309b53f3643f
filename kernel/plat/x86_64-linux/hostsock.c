/*
 * Host sockets (platform.h, "host sockets") for net/host: the host's own IPv4 sockets through raw
 * system calls, every one non-blocking. Readiness is read for all sockets at once (one ppoll
 * without a timeout per plat_sock_refresh) and kept per descriptor, so that poll_oneoff over many
 * connections costs one system call, not one per socket; plat_wait then sleeps on the sockets a
 * waiter asked about (plat_sock_watch) besides stdin. Each call here must be allowed by sandbox.c.
 */
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "process/process.h"
#include "process/sys.h"

/* Linux's errno (negated system call result) as WASI's. */
static int wasi_errno(int64_t r) {
    switch (-r) {
    case 1: return WASI_EPERM;
    case 4: return WASI_EINTR;
    case 9: return WASI_EBADF;
    case 11: return WASI_EAGAIN;
    case 12: return WASI_ENOMEM;
    case 13: return WASI_EACCES;
    case 22: return WASI_EINVAL;
    case 23: return WASI_ENFILE;
    case 24: return WASI_EMFILE;
    case 32: return WASI_EPIPE;
    case 88: return WASI_ENOTSOCK;
    case 89: return WASI_EDESTADDRREQ;
    case 90: return WASI_EMSGSIZE;
    case 92: return WASI_ENOPROTOOPT;
    case 97: return WASI_EAFNOSUPPORT;
    case 98: return WASI_EADDRINUSE;
    case 99: return WASI_EADDRNOTAVAIL;
    case 100: return WASI_ENETDOWN;
    case 101: return WASI_ENETUNREACH;
    case 103: return WASI_ECONNABORTED;
    case 104: return WASI_ECONNRESET;
    case 105: return WASI_ENOBUFS;
    case 106: return WASI_EISCONN;
    case 107: return WASI_ENOTCONN;
    case 110: return WASI_ETIMEDOUT;
    case 111: return WASI_ECONNREFUSED;
    case 113: return WASI_EHOSTUNREACH;
    case 114: return WASI_EALREADY;
    case 115: return WASI_EINPROGRESS;
    default: return WASI_EIO;
    }
}

/* Descriptors run from process_first_socket_fd() up to it + PROCESS_SOCKET_LIMIT (RLIMIT_NOFILE). */
#define FD_SLOTS (4 + PROCESS_SOCKET_LIMIT)

struct socket_slot {
    bool open;
    uint8_t ready;  /* PLAT_SOCK_* */
    uint8_t watch;  /* PLAT_SOCK_READ/WRITE a waiter wants */
    uint16_t index; /* in open_fds */
};
static struct socket_slot slot[FD_SLOTS] LARGE_STATIC;
static int32_t open_fds[PROCESS_SOCKET_LIMIT] LARGE_STATIC;
static uint32_t open_count;
static int32_t watched[PROCESS_SOCKET_LIMIT] LARGE_STATIC;
static uint32_t watched_count;
static struct linux_pollfd poll_buffer[PROCESS_SOCKET_LIMIT] LARGE_STATIC;

static bool valid(int32_t h) { return h >= 0 && h < (int32_t)FD_SLOTS && slot[h].open; }

uint32_t plat_sock_limit(void) { return PROCESS_SOCKET_LIMIT; }

/* Records a descriptor the host just gave out. */
static int adopt(int64_t fd, int32_t *handle) {
    if (fd >= (int64_t)FD_SLOTS || open_count == PROCESS_SOCKET_LIMIT) {
        sys1(SYS_close, (uint64_t)fd); /* RLIMIT_NOFILE should have said EMFILE first */
        return WASI_EMFILE;
    }
    slot[fd] = (struct socket_slot){.open = true, .ready = 0, .watch = 0, .index = (uint16_t)open_count};
    open_fds[open_count++] = (int32_t)fd;
    *handle = (int32_t)fd;
    return 0;
}

int plat_sock_open(enum plat_sock_type type, int32_t *handle) {
    uint64_t t = (type == PLAT_SOCK_STREAM ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC;
    int64_t fd = sys3(SYS_socket, AF_INET, t, 0);
    if (sys_failed(fd)) return wasi_errno(fd);
    return adopt(fd, handle);
}

static struct linux_sockaddr_in to_linux(const struct plat_sockaddr *a) {
    struct linux_sockaddr_in s;
    memset(&s, 0, sizeof s);
    s.family = AF_INET;
    s.port = (uint16_t)(a->port >> 8 | a->port << 8);
    memcpy(s.address, a->address, 4);
    return s;
}

static void from_linux(const struct linux_sockaddr_in *s, struct plat_sockaddr *a) {
    memcpy(a->address, s->address, 4);
    a->port = (uint16_t)(s->port >> 8 | s->port << 8);
}

int plat_sock_bind(int32_t h, const struct plat_sockaddr *local) {
    if (!valid(h)) return WASI_EBADF;
    struct linux_sockaddr_in s = to_linux(local);
    int64_t r = sys3(SYS_bind, (uint64_t)h, (uint64_t)(uintptr_t)&s, sizeof s);
    return sys_failed(r) ? wasi_errno(r) : 0;
}

int plat_sock_listen(int32_t h, int32_t backlog) {
    if (!valid(h)) return WASI_EBADF;
    int64_t r = sys2(SYS_listen, (uint64_t)h, (uint64_t)backlog);
    return sys_failed(r) ? wasi_errno(r) : 0;
}

int plat_sock_accept(int32_t h, int32_t *out) {
    if (!valid(h)) return WASI_EBADF;
    int64_t fd = sys4(SYS_accept4, (uint64_t)h, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (sys_failed(fd)) {
        if (fd == -LINUX_EAGAIN) slot[h].ready &= (uint8_t)~PLAT_SOCK_READ;
        return wasi_errno(fd);
    }
    return adopt(fd, out);
}

int plat_sock_connect(int32_t h, const struct plat_sockaddr *remote) {
    if (!valid(h)) return WASI_EBADF;
    struct linux_sockaddr_in s = to_linux(remote);
    int64_t r = sys3(SYS_connect, (uint64_t)h, (uint64_t)(uintptr_t)&s, sizeof s);
    slot[h].ready = 0; /* a new state: nothing known until the next refresh */
    return sys_failed(r) ? wasi_errno(r) : 0;
}

/* Up to this many parts go into one sendmsg/recvmsg (Linux's UIO_MAXIOV is 1024). */
#define MAX_IOV 64

int plat_sock_send(int32_t h, const struct plat_sock_part *parts, uint32_t count, const struct plat_sockaddr *to,
                   size_t *sent) {
    *sent = 0;
    if (!valid(h)) return WASI_EBADF;
    if (count > MAX_IOV) return WASI_EMSGSIZE;
    struct linux_iovec iov[MAX_IOV];
    for (uint32_t i = 0; i < count; i++) iov[i] = (struct linux_iovec){parts[i].data, parts[i].len};
    struct linux_sockaddr_in dest;
    struct linux_msghdr msg = {0};
    if (to) {
        dest = to_linux(to);
        msg.name = &dest;
        msg.namelen = sizeof dest;
    }
    msg.iov = iov;
    msg.iovlen = count;
    int64_t r;
    do r = sys3(SYS_sendmsg, (uint64_t)h, (uint64_t)(uintptr_t)&msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (r == -LINUX_EINTR);
    if (sys_failed(r)) {
        if (r == -LINUX_EAGAIN) slot[h].ready &= (uint8_t)~PLAT_SOCK_WRITE;
        return wasi_errno(r);
    }
    *sent = (size_t)r;
    return 0;
}

int plat_sock_recv(int32_t h, const struct plat_sock_part *parts, uint32_t count, bool peek, size_t *received,
                   bool *truncated, struct plat_sockaddr *from) {
    *received = 0;
    if (truncated) *truncated = false;
    if (!valid(h)) return WASI_EBADF;
    if (count > MAX_IOV) count = MAX_IOV; /* fewer buffers filled, as a short read */
    struct linux_iovec iov[MAX_IOV];
    uint64_t room = 0;
    for (uint32_t i = 0; i < count; i++) {
        iov[i] = (struct linux_iovec){parts[i].data, parts[i].len};
        room += parts[i].len;
    }
    struct linux_sockaddr_in source;
    memset(&source, 0, sizeof source);
    struct linux_msghdr msg = {0};
    msg.name = &source;
    msg.namelen = sizeof source;
    msg.iov = iov;
    msg.iovlen = count;
    int64_t r;
    do r = sys3(SYS_recvmsg, (uint64_t)h, (uint64_t)(uintptr_t)&msg, MSG_DONTWAIT | (peek ? MSG_PEEK : 0));
    while (r == -LINUX_EINTR);
    if (sys_failed(r)) {
        if (r == -LINUX_EAGAIN) slot[h].ready &= (uint8_t)~PLAT_SOCK_READ;
        return wasi_errno(r);
    }
    *received = (size_t)r;
    /* a stream read that did not fill the buffers has most likely emptied the queue: ask again */
    if (!peek && (uint64_t)r < room) slot[h].ready &= (uint8_t)~PLAT_SOCK_READ;
    if (truncated) *truncated = (msg.flags & MSG_TRUNC) != 0;
    if (from) from_linux(&source, from);
    return 0;
}

int plat_sock_shutdown(int32_t h, bool read, bool write) {
    if (!valid(h)) return WASI_EBADF;
    uint64_t how = read && write ? SHUT_RDWR : read ? SHUT_RD : SHUT_WR;
    int64_t r = sys2(SYS_shutdown, (uint64_t)h, how);
    return sys_failed(r) ? wasi_errno(r) : 0;
}

void plat_sock_close(int32_t h) {
    if (!valid(h)) return;
    /* swap the last open descriptor into this one's place */
    uint16_t i = slot[h].index;
    int32_t last = open_fds[--open_count];
    open_fds[i] = last;
    slot[last].index = i;
    slot[h].open = false;
    for (uint32_t w = 0; w < watched_count; w++) {
        if (watched[w] == h) watched[w] = watched[--watched_count];
    }
    sys1(SYS_close, (uint64_t)h);
}

int plat_sock_name(int32_t h, bool peer, struct plat_sockaddr *out) {
    memset(out, 0, sizeof *out);
    if (!valid(h)) return WASI_EBADF;
    struct linux_sockaddr_in s;
    memset(&s, 0, sizeof s);
    uint32_t len = sizeof s;
    int64_t r =
        sys3(peer ? SYS_getpeername : SYS_getsockname, (uint64_t)h, (uint64_t)(uintptr_t)&s, (uint64_t)(uintptr_t)&len);
    if (sys_failed(r)) return wasi_errno(r);
    from_linux(&s, out);
    return 0;
}

static bool option_name(enum plat_sock_option option, uint64_t *level, uint64_t *name) {
    *level = SOL_SOCKET;
    switch (option) {
    case PLAT_SOCK_OPT_REUSEADDR: *name = SO_REUSEADDR; return true;
    case PLAT_SOCK_OPT_KEEPALIVE: *name = SO_KEEPALIVE; return true;
    case PLAT_SOCK_OPT_ERROR: *name = SO_ERROR; return true;
    case PLAT_SOCK_OPT_SNDBUF: *name = SO_SNDBUF; return true;
    case PLAT_SOCK_OPT_RCVBUF: *name = SO_RCVBUF; return true;
    case PLAT_SOCK_OPT_NODELAY:
        *level = IPPROTO_TCP;
        *name = TCP_NODELAY;
        return true;
    }
    return false;
}

int plat_sock_set_option(int32_t h, enum plat_sock_option option, int32_t value) {
    if (!valid(h)) return WASI_EBADF;
    uint64_t level, name;
    if (!option_name(option, &level, &name)) return WASI_ENOPROTOOPT;
    int64_t r = sys5(SYS_setsockopt, (uint64_t)h, level, name, (uint64_t)(uintptr_t)&value, sizeof value);
    return sys_failed(r) ? wasi_errno(r) : 0;
}

int plat_sock_option(int32_t h, enum plat_sock_option option, int32_t *value) {
    *value = 0;
    if (!valid(h)) return WASI_EBADF;
    uint64_t level, name;
    if (!option_name(option, &level, &name)) return WASI_ENOPROTOOPT;
    uint32_t len = sizeof *value;
    int64_t r = sys5(SYS_getsockopt, (uint64_t)h, level, name, (uint64_t)(uintptr_t)value, (uint64_t)(uintptr_t)&len);
    if (sys_failed(r)) return wasi_errno(r);
    /* Linux's SO_ERROR is its errno: the caller wants WASI's */
    if (option == PLAT_SOCK_OPT_ERROR && *value) *value = wasi_errno(-(int64_t)*value);
    return 0;
}

int plat_sock_queued(int32_t h, bool output, uint32_t *bytes) {
    *bytes = 0;
    if (!valid(h)) return WASI_EBADF;
    int32_t n = 0;
    int64_t r = sys3(SYS_ioctl, (uint64_t)h, output ? SIOCOUTQ : FIONREAD, (uint64_t)(uintptr_t)&n);
    if (sys_failed(r)) return wasi_errno(r);
    *bytes = n > 0 ? (uint32_t)n : 0;
    return 0;
}

static uint8_t bits_of(int16_t revents) {
    uint8_t bits = 0;
    if (revents & (POLLIN | POLLPRI)) bits |= PLAT_SOCK_READ;
    if (revents & POLLOUT) bits |= PLAT_SOCK_WRITE;
    if (revents & (POLLHUP | POLLRDHUP)) bits |= PLAT_SOCK_HANGUP | PLAT_SOCK_READ;
    if (revents & POLLERR) bits |= PLAT_SOCK_ERROR | PLAT_SOCK_READ | PLAT_SOCK_WRITE;
    return bits;
}

void plat_sock_refresh(void) {
    for (uint32_t w = 0; w < watched_count; w++) slot[watched[w]].watch = 0;
    watched_count = 0;
    if (!open_count) return;
    for (uint32_t i = 0; i < open_count; i++) {
        poll_buffer[i] = (struct linux_pollfd){.fd = open_fds[i], .events = POLLIN | POLLOUT | POLLRDHUP};
    }
    struct linux_timespec zero = {0, 0};
    int64_t r = sys4(SYS_ppoll, (uint64_t)(uintptr_t)poll_buffer, open_count, (uint64_t)(uintptr_t)&zero, 0);
    if (sys_failed(r)) panic("ppoll over %u host sockets failed (error %lld)", open_count, (long long)-r);
    for (uint32_t i = 0; i < open_count; i++) slot[poll_buffer[i].fd].ready = bits_of(poll_buffer[i].revents);
}

uint32_t plat_sock_ready(int32_t h) {
    return valid(h) ? slot[h].ready : PLAT_SOCK_ERROR | PLAT_SOCK_READ | PLAT_SOCK_WRITE;
}

void plat_sock_watch(int32_t h, uint32_t events) {
    if (!valid(h) || !events) return;
    if (!slot[h].watch) watched[watched_count++] = h;
    slot[h].watch |= (uint8_t)events;
}

uint32_t process_sock_wait_set(struct linux_pollfd *fds, uint32_t room) {
    uint32_t n = 0;
    for (uint32_t w = 0; w < watched_count && n < room; w++) {
        int32_t h = watched[w];
        int16_t events = (int16_t)((slot[h].watch & PLAT_SOCK_READ ? POLLIN | POLLRDHUP : 0) |
                                   (slot[h].watch & PLAT_SOCK_WRITE ? POLLOUT : 0));
        fds[n++] = (struct linux_pollfd){.fd = h, .events = events};
    }
    return n;
}

void process_sock_woken(const struct linux_pollfd *fds, uint32_t count) {
    for (uint32_t i = 0; i < count; i++) {
        if (fds[i].revents && valid(fds[i].fd)) slot[fds[i].fd].ready |= bits_of(fds[i].revents);
    }
}
