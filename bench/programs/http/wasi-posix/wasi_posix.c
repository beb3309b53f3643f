/*
 * The WASI preview1 calls examples/http_server.c makes, on Linux system calls, so that the very
 * same server code runs as a native process (on the host and on the Linux guest) for the bench's
 * http suite. WASI descriptors are the process's own descriptors.
 *
 * What uniwasm run gets from flags, this gets from the environment, read before main():
 *   WASI_DIR=HOST::GUEST      pre-open directory HOST under the name GUEST (e.g. /srv/www::/www)
 *   WASI_TCPLISTEN=ADDR:PORT  pre-open a listening TCP socket (IPv4), after the directory
 * as uniwasm does: directories first, then the listener, from descriptor 3 on.
 *
 * Like uniwasm's kernel, accepted connections have Nagle's algorithm off. The listen backlog is
 * 511, nginx's default on Linux, so that both native servers queue alike.
 */
#define _GNU_SOURCE
#include <wasi/api.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define LISTEN_BACKLOG 511
#define IOV_MAX_WASI 64

static int preopen_fd = -1;
static char preopen_name[4096];

static __wasi_errno_t from_errno(int e) {
    switch (e) {
    case 0: return __WASI_ERRNO_SUCCESS;
    case E2BIG: return __WASI_ERRNO_2BIG;
    case EACCES: return __WASI_ERRNO_ACCES;
    case EADDRINUSE: return __WASI_ERRNO_ADDRINUSE;
    case EADDRNOTAVAIL: return __WASI_ERRNO_ADDRNOTAVAIL;
    case EAGAIN: return __WASI_ERRNO_AGAIN;
    case EBADF: return __WASI_ERRNO_BADF;
    case ECONNABORTED: return __WASI_ERRNO_CONNABORTED;
    case ECONNREFUSED: return __WASI_ERRNO_CONNREFUSED;
    case ECONNRESET: return __WASI_ERRNO_CONNRESET;
    case EEXIST: return __WASI_ERRNO_EXIST;
    case EFAULT: return __WASI_ERRNO_FAULT;
    case EINTR: return __WASI_ERRNO_INTR;
    case EINVAL: return __WASI_ERRNO_INVAL;
    case EISDIR: return __WASI_ERRNO_ISDIR;
    case ELOOP: return __WASI_ERRNO_LOOP;
    case EMFILE: return __WASI_ERRNO_MFILE;
    case ENAMETOOLONG: return __WASI_ERRNO_NAMETOOLONG;
    case ENFILE: return __WASI_ERRNO_NFILE;
    case ENOBUFS: return __WASI_ERRNO_NOBUFS;
    case ENOENT: return __WASI_ERRNO_NOENT;
    case ENOMEM: return __WASI_ERRNO_NOMEM;
    case ENOSYS: return __WASI_ERRNO_NOSYS;
    case ENOTCONN: return __WASI_ERRNO_NOTCONN;
    case ENOTDIR: return __WASI_ERRNO_NOTDIR;
    case ENOTSOCK: return __WASI_ERRNO_NOTSOCK;
    case EOPNOTSUPP: return __WASI_ERRNO_NOTSUP;
    case EPERM: return __WASI_ERRNO_PERM;
    case EPIPE: return __WASI_ERRNO_PIPE;
    case ETIMEDOUT: return __WASI_ERRNO_TIMEDOUT;
    case EXDEV: return __WASI_ERRNO_NOTCAPABLE; /* openat2 RESOLVE_BENEATH: escapes the directory */
    default: return __WASI_ERRNO_IO;
    }
}

static __wasi_filetype_t filetype_of(mode_t mode) {
    if (S_ISREG(mode)) return __WASI_FILETYPE_REGULAR_FILE;
    if (S_ISDIR(mode)) return __WASI_FILETYPE_DIRECTORY;
    if (S_ISCHR(mode)) return __WASI_FILETYPE_CHARACTER_DEVICE;
    if (S_ISBLK(mode)) return __WASI_FILETYPE_BLOCK_DEVICE;
    if (S_ISLNK(mode)) return __WASI_FILETYPE_SYMBOLIC_LINK;
    return __WASI_FILETYPE_UNKNOWN; /* sockets are told apart by their type below */
}

static __wasi_timestamp_t ns_of(struct timespec t) {
    return (__wasi_timestamp_t)t.tv_sec * 1000000000ull + (__wasi_timestamp_t)t.tv_nsec;
}

/* ---- set-up from the environment ---- */

static void fail_setup(const char *what, const char *value) {
    fprintf(stderr, "wasi-posix: %s \"%s\": %s\n", what, value, errno ? strerror(errno) : "malformed");
    exit(2);
}

/* Moves descriptor `fd` to `want` (the next pre-open number). */
static int place(int fd, int want, const char *what, const char *value) {
    if (fd == want) return fd;
    if (dup3(fd, want, O_CLOEXEC) < 0) fail_setup(what, value);
    close(fd);
    return want;
}

static void open_dir(const char *spec, int want) {
    const char *sep = strstr(spec, "::");
    errno = 0;
    if (!sep || sep == spec || !sep[2]) fail_setup("WASI_DIR (expected HOST::GUEST)", spec);
    char host[4096];
    size_t hlen = (size_t)(sep - spec);
    if (hlen >= sizeof host || strlen(sep + 2) >= sizeof preopen_name) fail_setup("WASI_DIR too long", spec);
    memcpy(host, spec, hlen);
    host[hlen] = 0;
    strcpy(preopen_name, sep + 2);
    int fd = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail_setup("WASI_DIR", host);
    preopen_fd = place(fd, want, "WASI_DIR", host);
}

static void open_listener(const char *spec, int want) {
    const char *colon = strrchr(spec, ':');
    errno = 0;
    if (!colon) fail_setup("WASI_TCPLISTEN (expected ADDR:PORT)", spec);
    char addr[64];
    size_t alen = (size_t)(colon - spec);
    if (alen == 0 || alen >= sizeof addr) fail_setup("WASI_TCPLISTEN (expected ADDR:PORT)", spec);
    memcpy(addr, spec, alen);
    addr[alen] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535) fail_setup("WASI_TCPLISTEN port", spec);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) fail_setup("WASI_TCPLISTEN address (IPv4)", spec);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail_setup("WASI_TCPLISTEN socket", spec);
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) fail_setup("WASI_TCPLISTEN SO_REUSEADDR", spec);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) fail_setup("WASI_TCPLISTEN bind", spec);
    if (listen(fd, LISTEN_BACKLOG) < 0) fail_setup("WASI_TCPLISTEN listen", spec);
    place(fd, want, "WASI_TCPLISTEN", spec);
}

__attribute__((constructor)) static void wasi_posix_setup(void) {
    /* a peer that resets mid-response must be an EPIPE from fd_write, as under WASI, not a signal */
    signal(SIGPIPE, SIG_IGN);
    int next = 3;
    const char *dir = getenv("WASI_DIR");
    const char *listen_on = getenv("WASI_TCPLISTEN");
    /* the pre-open numbers must be free: close whatever the parent left open there */
    for (int fd = 3; fd < 3 + (dir != NULL) + (listen_on != NULL); fd++) close(fd);
    if (dir) open_dir(dir, next++);
    if (listen_on) open_listener(listen_on, next++);
}

/* ---- the calls ---- */

__wasi_errno_t __wasi_clock_time_get(__wasi_clockid_t id, __wasi_timestamp_t precision, __wasi_timestamp_t *out) {
    (void)precision;
    clockid_t c;
    if (id == __WASI_CLOCKID_REALTIME) c = CLOCK_REALTIME;
    else if (id == __WASI_CLOCKID_MONOTONIC) c = CLOCK_MONOTONIC;
    else return __WASI_ERRNO_INVAL;
    struct timespec t;
    if (clock_gettime(c, &t) != 0) return from_errno(errno);
    *out = ns_of(t);
    return 0;
}

__wasi_errno_t __wasi_fd_close(__wasi_fd_t fd) {
    if ((int)fd == preopen_fd) preopen_fd = -1;
    return close((int)fd) == 0 ? 0 : from_errno(errno);
}

__wasi_errno_t __wasi_fd_fdstat_get(__wasi_fd_t fd, __wasi_fdstat_t *out) {
    struct stat st;
    if (fstat((int)fd, &st) != 0) return from_errno(errno);
    int flags = fcntl((int)fd, F_GETFL);
    if (flags < 0) return from_errno(errno);
    memset(out, 0, sizeof *out);
    out->fs_filetype = filetype_of(st.st_mode);
    out->fs_rights_base = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_GET;
    if (S_ISSOCK(st.st_mode)) {
        int type = 0, listening = 0;
        socklen_t len = sizeof type;
        if (getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0) return from_errno(errno);
        out->fs_filetype = type == SOCK_STREAM  ? __WASI_FILETYPE_SOCKET_STREAM
                           : type == SOCK_DGRAM ? __WASI_FILETYPE_SOCKET_DGRAM
                                                : __WASI_FILETYPE_UNKNOWN;
        len = sizeof listening;
        if (getsockopt((int)fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0) return from_errno(errno);
        if (listening) out->fs_rights_base |= __WASI_RIGHTS_SOCK_ACCEPT;
    }
    if (flags & O_NONBLOCK) out->fs_flags |= __WASI_FDFLAGS_NONBLOCK;
    if (flags & O_APPEND) out->fs_flags |= __WASI_FDFLAGS_APPEND;
    out->fs_rights_inheriting = out->fs_rights_base;
    return 0;
}

__wasi_errno_t __wasi_fd_fdstat_set_flags(__wasi_fd_t fd, __wasi_fdflags_t flags) {
    if (flags & ~(__WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_APPEND)) return __WASI_ERRNO_NOTSUP;
    int now = fcntl((int)fd, F_GETFL);
    if (now < 0) return from_errno(errno);
    now &= ~(O_NONBLOCK | O_APPEND);
    if (flags & __WASI_FDFLAGS_NONBLOCK) now |= O_NONBLOCK;
    if (flags & __WASI_FDFLAGS_APPEND) now |= O_APPEND;
    return fcntl((int)fd, F_SETFL, now) == 0 ? 0 : from_errno(errno);
}

__wasi_errno_t __wasi_fd_filestat_get(__wasi_fd_t fd, __wasi_filestat_t *out) {
    struct stat st;
    if (fstat((int)fd, &st) != 0) return from_errno(errno);
    out->dev = st.st_dev;
    out->ino = st.st_ino;
    out->filetype = S_ISSOCK(st.st_mode) ? __WASI_FILETYPE_SOCKET_STREAM : filetype_of(st.st_mode);
    out->nlink = st.st_nlink;
    out->size = (__wasi_filesize_t)st.st_size;
    out->atim = ns_of(st.st_atim);
    out->mtim = ns_of(st.st_mtim);
    out->ctim = ns_of(st.st_ctim);
    return 0;
}

__wasi_errno_t __wasi_fd_prestat_get(__wasi_fd_t fd, __wasi_prestat_t *out) {
    if (preopen_fd < 0 || (int)fd != preopen_fd) return __WASI_ERRNO_BADF;
    out->tag = __WASI_PREOPENTYPE_DIR;
    out->u.dir.pr_name_len = (__wasi_size_t)strlen(preopen_name);
    return 0;
}

__wasi_errno_t __wasi_fd_prestat_dir_name(__wasi_fd_t fd, uint8_t *path, __wasi_size_t path_len) {
    if (preopen_fd < 0 || (int)fd != preopen_fd) return __WASI_ERRNO_BADF;
    size_t n = strlen(preopen_name);
    if (path_len < n) return __WASI_ERRNO_NAMETOOLONG;
    memcpy(path, preopen_name, n);
    return 0;
}

__wasi_errno_t __wasi_fd_read(__wasi_fd_t fd, const __wasi_iovec_t *iovs, size_t iovs_len, __wasi_size_t *out) {
    struct iovec v[IOV_MAX_WASI];
    if (iovs_len > IOV_MAX_WASI) iovs_len = IOV_MAX_WASI; /* a short read, as WASI allows */
    for (size_t i = 0; i < iovs_len; i++) v[i] = (struct iovec){iovs[i].buf, iovs[i].buf_len};
    ssize_t n = readv((int)fd, v, (int)iovs_len);
    if (n < 0) return from_errno(errno);
    *out = (__wasi_size_t)n;
    return 0;
}

__wasi_errno_t __wasi_fd_write(__wasi_fd_t fd, const __wasi_ciovec_t *iovs, size_t iovs_len, __wasi_size_t *out) {
    struct iovec v[IOV_MAX_WASI];
    if (iovs_len > IOV_MAX_WASI) iovs_len = IOV_MAX_WASI;
    for (size_t i = 0; i < iovs_len; i++) v[i] = (struct iovec){(void *)iovs[i].buf, iovs[i].buf_len};
    ssize_t n = writev((int)fd, v, (int)iovs_len);
    if (n < 0) return from_errno(errno);
    *out = (__wasi_size_t)n;
    return 0;
}

__wasi_errno_t __wasi_path_open(__wasi_fd_t dirfd, __wasi_lookupflags_t dirflags, const char *path,
                                __wasi_oflags_t oflags, __wasi_rights_t rights, __wasi_rights_t rights_inheriting,
                                __wasi_fdflags_t fdflags, __wasi_fd_t *out) {
    (void)rights_inheriting;
    bool write = rights & __WASI_RIGHTS_FD_WRITE;
    uint64_t flags = O_CLOEXEC | (write ? O_RDWR : O_RDONLY);
    if (!(dirflags & __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW)) flags |= O_NOFOLLOW;
    if (oflags & __WASI_OFLAGS_CREAT) flags |= O_CREAT;
    if (oflags & __WASI_OFLAGS_DIRECTORY) flags |= O_DIRECTORY;
    if (oflags & __WASI_OFLAGS_EXCL) flags |= O_EXCL;
    if (oflags & __WASI_OFLAGS_TRUNC) flags |= O_TRUNC;
    if (fdflags & __WASI_FDFLAGS_NONBLOCK) flags |= O_NONBLOCK;
    if (fdflags & __WASI_FDFLAGS_APPEND) flags |= O_APPEND;
    /* WASI's capability rule: nothing outside the directory, neither by ".." nor by a symbolic link */
    struct open_how how = {.flags = flags, .mode = (flags & O_CREAT) ? 0644 : 0, .resolve = RESOLVE_BENEATH};
    long fd = syscall(SYS_openat2, (int)dirfd, path, &how, sizeof how);
    if (fd < 0) return from_errno(errno);
    *out = (__wasi_fd_t)fd;
    return 0;
}

__wasi_errno_t __wasi_poll_oneoff(const __wasi_subscription_t *in, __wasi_event_t *out, __wasi_size_t n,
                                  __wasi_size_t *ready) {
    static struct pollfd *fds;    /* grows to the largest poll seen: the server polls every round */
    static __wasi_size_t *fd_sub; /* subscription index of each pollfd */
    static __wasi_size_t capacity;
    if (n == 0) return __WASI_ERRNO_INVAL;
    if (n > capacity) {
        struct pollfd *f = realloc(fds, n * sizeof *f);
        if (!f) return __WASI_ERRNO_NOMEM;
        fds = f;
        __wasi_size_t *s = realloc(fd_sub, n * sizeof *s);
        if (!s) return __WASI_ERRNO_NOMEM;
        fd_sub = s;
        capacity = n;
    }
    nfds_t nfds = 0;
    int64_t timeout_ns = -1; /* the earliest clock subscription, relative; -1: none */
    __wasi_size_t clock_sub = 0;
    for (__wasi_size_t i = 0; i < n; i++) {
        const __wasi_subscription_t *s = &in[i];
        switch (s->u.tag) {
        case __WASI_EVENTTYPE_CLOCK: {
            __wasi_timestamp_t now;
            __wasi_errno_t err = __wasi_clock_time_get(s->u.u.clock.id, 1, &now);
            if (err) return err;
            int64_t rel;
            if (s->u.u.clock.flags & __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) {
                rel = s->u.u.clock.timeout > now ? (int64_t)(s->u.u.clock.timeout - now) : 0;
            } else {
                rel = s->u.u.clock.timeout > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)s->u.u.clock.timeout;
            }
            if (timeout_ns < 0 || rel < timeout_ns) {
                timeout_ns = rel;
                clock_sub = i;
            }
            break;
        }
        case __WASI_EVENTTYPE_FD_READ:
        case __WASI_EVENTTYPE_FD_WRITE:
            fds[nfds] = (struct pollfd){.fd = (int)s->u.u.fd_read.file_descriptor,
                                        .events = s->u.tag == __WASI_EVENTTYPE_FD_READ ? POLLIN : POLLOUT};
            fd_sub[nfds++] = i;
            break;
        default: return __WASI_ERRNO_INVAL;
        }
    }
    struct timespec ts, *tsp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000;
        ts.tv_nsec = timeout_ns % 1000000000;
        tsp = &ts;
    }
    int got;
    do {
        got = ppoll(fds, nfds, tsp, NULL);
    } while (got < 0 && errno == EINTR);
    if (got < 0) return from_errno(errno);
    __wasi_size_t k = 0;
    for (nfds_t j = 0; j < nfds && got > 0; j++) {
        if (!fds[j].revents) continue;
        const __wasi_subscription_t *s = &in[fd_sub[j]];
        __wasi_event_t *e = &out[k++];
        memset(e, 0, sizeof *e);
        e->userdata = s->userdata;
        e->type = s->u.tag;
        if (fds[j].revents & POLLNVAL) e->error = __WASI_ERRNO_BADF;
        if (fds[j].revents & POLLHUP) e->fd_readwrite.flags = __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP;
    }
    if (k == 0 && timeout_ns >= 0) {
        __wasi_event_t *e = &out[k++];
        memset(e, 0, sizeof *e);
        e->userdata = in[clock_sub].userdata;
        e->type = __WASI_EVENTTYPE_CLOCK;
    }
    *ready = k;
    return 0;
}

__wasi_errno_t __wasi_sock_accept(__wasi_fd_t fd, __wasi_fdflags_t flags, __wasi_fd_t *out) {
    if (flags & ~__WASI_FDFLAGS_NONBLOCK) return __WASI_ERRNO_NOTSUP;
    int c = accept4((int)fd, NULL, NULL, SOCK_CLOEXEC | ((flags & __WASI_FDFLAGS_NONBLOCK) ? SOCK_NONBLOCK : 0));
    if (c < 0) return from_errno(errno);
    int one = 1;
    (void)setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    *out = (__wasi_fd_t)c;
    return 0;
}
