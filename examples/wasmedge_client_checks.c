/*
 * The client side of WasmEdge's socket API against servers on the host (WasmEdgeSocketTest starts
 * them; QEMU's user-mode network shows the host's loopback as 10.0.2.2): sock_getaddrinfo
 * (localhost, numeric hosts, services, errors), sock_open errors, blocking and non-blocking
 * sock_connect (EINPROGRESS, EALREADY, SO_ERROR, EISCONN), ECONNREFUSED, v1 sock_getlocaladdr /
 * sock_getpeeraddr, socket options (SO_RCVTIMEO too), and a UDP socket (sock_send_to, v1 sock_recv_from, connect,
 * fd_read / fd_write, EDESTADDRREQ, EMSGSIZE), and a connection through the "_v2" names. Prints "ok ..."/"FAIL ..." per
 * check, then PASSED (exit 0) or FAILED n (exit 1).
 *
 * Usage: wasmedge_client_checks HOST TCP_ECHO_PORT CLOSED_PORT UDP_ECHO_PORT
 *    or: wasmedge_client_checks resolve NAME...  (prints "resolve NAME: A.B.C.D" or "... errno N")
 * The TCP server echoes until the client ends its stream, then closes; the UDP server echoes
 * every datagram.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include "wasi/check.h"
#include "wasmedge_socket.h"

#define GUEST_ADDRESS "10.0.2.15"
#define BURST 80                      /* more than the kernel's UDP queue (64) */
#define BURST_SETTLE_NS 2000000000ull /* time for the host to echo the burst */

static uint8_t host[4];

static int parse_ipv4(const char *text, uint8_t out[4]) {
    unsigned a, b, c, d;
    char end;
    if (sscanf(text, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) != 4 || a > 255 || b > 255 || c > 255 || d > 255) return 0;
    out[0] = (uint8_t)a, out[1] = (uint8_t)b, out[2] = (uint8_t)c, out[3] = (uint8_t)d;
    return 1;
}

/* A result list of n entries for sock_getaddrinfo, chained through ai_next. */
struct results {
    we_addrinfo info[4];
    we_sockaddr addr[4];
    uint8_t data[4][26];
    char canon[4][64];
};

static void chain(struct results *r, uint32_t n) {
    memset(r, 0, sizeof *r);
    for (uint32_t i = 0; i < n; i++) {
        r->addr[i].sa_data = r->data[i];
        r->addr[i].sa_data_len = sizeof r->data[i];
        r->info[i].ai_addr = &r->addr[i];
        r->info[i].ai_canonname = r->canon[i];
        r->info[i].ai_canonnamelen = sizeof r->canon[i];
        r->info[i].ai_next = i + 1 < n ? &r->info[i + 1] : NULL;
    }
}

static uint32_t lookup(const char *node, const char *service, uint16_t flags, uint8_t type, struct results *r,
                       uint32_t max, uint32_t *count) {
    chain(r, max);
    we_addrinfo hints = {0};
    hints.ai_flags = flags;
    hints.ai_socktype = type;
    we_addrinfo *first = &r->info[0];
    *count = 0;
    return we_sock_getaddrinfo(node, (uint32_t)strlen(node) + 1, service, (uint32_t)strlen(service) + 1, &hints, &first,
                               max, count);
}

static int result_is(const struct results *r, uint32_t i, const uint8_t address[4], uint16_t port, uint8_t type) {
    const uint8_t *d = r->data[i];
    return r->info[i].ai_family == WE_AF_INET4 && r->info[i].ai_socktype == type &&
           r->addr[i].sa_family == WE_AF_INET4 && d[0] == port >> 8 && d[1] == (port & 0xff) &&
           memcmp(d + 2, address, 4) == 0 && r->info[i].ai_protocol == (type == WE_SOCK_STREAM ? 1u : 2u);
}

static void check_names(void) {
    struct results r;
    uint32_t n;
    static const uint8_t loopback[4] = {127, 0, 0, 1}, any[4] = {0, 0, 0, 0};
    CHECK_ERRNO(lookup("localhost", "8080", 0, WE_SOCK_STREAM, &r, 4, &n), 0, "getaddrinfo localhost");
    CHECK(n == 1 && result_is(&r, 0, loopback, 8080, WE_SOCK_STREAM), "localhost is 127.0.0.1:8080, one stream result");
    CHECK(r.info[0].ai_next == NULL, "the result list ends after the last result");
    char numeric[16];
    snprintf(numeric, sizeof numeric, "%u.%u.%u.%u", host[0], host[1], host[2], host[3]);
    CHECK_ERRNO(lookup(numeric, "http", 0, 0, &r, 4, &n), 0, "getaddrinfo of a numeric host, service http");
    CHECK(n == 2 && result_is(&r, 0, host, 80, WE_SOCK_STREAM) && result_is(&r, 1, host, 80, WE_SOCK_DGRAM),
          "a numeric host gives a stream and a datagram result on port 80");
    CHECK_ERRNO(lookup(numeric, "http", 0, 0, &r, 1, &n), 0, "getaddrinfo with room for one result");
    CHECK(n == 1, "only as many results as there is room for");
    CHECK_ERRNO(lookup("", "53", WE_AI_PASSIVE, WE_SOCK_DGRAM, &r, 4, &n), 0, "getaddrinfo passive without a host");
    CHECK(n == 1 && result_is(&r, 0, any, 53, WE_SOCK_DGRAM), "passive without a host is 0.0.0.0");
    CHECK_ERRNO(lookup("localhost", "80", WE_AI_CANONNAME, WE_SOCK_STREAM, &r, 4, &n), 0, "getaddrinfo canonical name");
    CHECK(strcmp(r.canon[0], "localhost") == 0, "the canonical name is the name asked for");
    CHECK_ERRNO(lookup("", "", 0, 0, &r, 4, &n), WE_EAI_NONAME, "getaddrinfo without host and service");
    CHECK_ERRNO(lookup("some.host.invalid", "80", WE_AI_NUMERICHOST, 0, &r, 4, &n), WE_EAI_NONAME,
                "a name with AI_NUMERICHOST (no lookup)");
    CHECK_ERRNO(lookup("localhost", "no-such-service", 0, 0, &r, 4, &n), WE_EAI_SERVICE, "an unknown service");
    CHECK_ERRNO(lookup("localhost", "http", WE_AI_NUMERICSERV, 0, &r, 4, &n), WE_EAI_NONAME,
                "a service name with AI_NUMERICSERV");
    CHECK_ERRNO(lookup("localhost", "80", 0, 0, &r, 0, &n), 82, "no room for results (EAI_MEMORY)");
}

static uint32_t connect_to(uint32_t fd, const uint8_t address[4], uint32_t port) {
    we_address a = {(uint8_t *)address, 4};
    return we_sock_connect(fd, &a, port);
}

static int32_t get_option(uint32_t fd, uint32_t name, uint32_t *err) {
    int32_t value = -1;
    uint32_t size = sizeof value;
    *err = we_sock_getsockopt(fd, WE_SOL_SOCKET, name, &value, &size);
    return value;
}

static uint64_t now_ns(void) {
    __wasi_timestamp_t t = 0;
    if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) != 0) return 0;
    return t;
}

/* SO_RCVTIMEO: a blocking receive with nothing coming fails with EAGAIN after the timeout. */
static void check_receive_timeout(uint32_t fd, const char *kind) {
    char what[96];
    struct timeval tv = {0, 300000}, back = {0, 0};
    snprintf(what, sizeof what, "%s: set SO_RCVTIMEO to 300 ms", kind);
    CHECK_ERRNO(we_sock_setsockopt(fd, WE_SOL_SOCKET, WE_SO_RCVTIMEO, (const int32_t *)&tv, sizeof tv), 0, what);
    uint32_t size = sizeof back;
    snprintf(what, sizeof what, "%s: SO_RCVTIMEO reads back", kind);
    CHECK(we_sock_getsockopt(fd, WE_SOL_SOCKET, WE_SO_RCVTIMEO, (int32_t *)&back, &size) == 0 && size == sizeof back &&
              back.tv_sec == 0 && back.tv_usec == 300000,
          what);
    char buf[8];
    __wasi_iovec_t in = {(uint8_t *)buf, sizeof buf};
    __wasi_size_t got = 0;
    __wasi_roflags_t ro;
    uint64_t start = now_ns();
    snprintf(what, sizeof what, "%s: a receive with nothing coming times out", kind);
    CHECK_ERRNO(__wasi_sock_recv(fd, &in, 1, 0, &got, &ro), __WASI_ERRNO_AGAIN, what);
    snprintf(what, sizeof what, "%s: after the timeout, not before", kind);
    CHECK(now_ns() - start >= 300000000ull, what);
    struct timeval off = {0, 0};
    snprintf(what, sizeof what, "%s: clear SO_RCVTIMEO", kind);
    CHECK_ERRNO(we_sock_setsockopt(fd, WE_SOL_SOCKET, WE_SO_RCVTIMEO, (const int32_t *)&off, sizeof off), 0, what);
}

static void check_tcp(uint32_t echo_port, uint32_t closed_port) {
    uint32_t fd, err;
    CHECK_ERRNO(we_sock_open(WE_AF_INET6, WE_SOCK_STREAM, &fd), __WASI_ERRNO_AFNOSUPPORT, "sock_open IPv6");
    CHECK_ERRNO(we_sock_open(WE_AF_INET4, 9, &fd), __WASI_ERRNO_INVAL, "sock_open of an unknown type");

    CHECK_ERRNO(we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &fd), 0, "sock_open stream");
    CHECK_ERRNO(connect_to(fd, host, closed_port), __WASI_ERRNO_CONNREFUSED, "connect to a closed port");
    close((int)fd);

    /* non-blocking connect, as WasmEdge apps do it */
    CHECK_ERRNO(we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &fd), 0, "sock_open stream");
    uint8_t addr[16];
    we_address a = {addr, sizeof addr};
    uint32_t type, port;
    CHECK_ERRNO(we_sock_getpeeraddr(fd, &a, &type, &port), __WASI_ERRNO_NOTCONN, "peer of an unconnected socket");
    static const uint8_t foreign[4] = {10, 0, 2, 99};
    we_address f = {(uint8_t *)foreign, 4};
    CHECK_ERRNO(we_sock_bind(fd, &f, 0), __WASI_ERRNO_ADDRNOTAVAIL, "bind to an address the guest does not have");
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK), 0, "make the socket non-blocking");
    CHECK_ERRNO(connect_to(fd, host, echo_port), __WASI_ERRNO_INPROGRESS, "non-blocking connect");
    CHECK_ERRNO(connect_to(fd, host, echo_port), __WASI_ERRNO_ALREADY, "connect again while the handshake runs");
    __wasi_subscription_t sub = {0};
    sub.u.tag = __WASI_EVENTTYPE_FD_WRITE;
    sub.u.u.fd_write.file_descriptor = fd;
    __wasi_event_t ev;
    __wasi_size_t events = 0;
    CHECK_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &events), 0, "poll for the end of the handshake");
    CHECK(events == 1 && ev.type == __WASI_EVENTTYPE_FD_WRITE && ev.error == 0, "the socket becomes writable");
    CHECK(get_option(fd, WE_SO_ERROR, &err) == 0 && err == 0, "SO_ERROR says the connect succeeded");
    CHECK_ERRNO(connect_to(fd, host, echo_port), __WASI_ERRNO_ISCONN, "connect when connected");
    CHECK_ERRNO(we_sock_getpeeraddr(fd, &a, &type, &port), 0, "v1 sock_getpeeraddr");
    CHECK(type == 4 && memcmp(addr, host, 4) == 0 && port == echo_port, "the peer is the host's server");
    uint8_t guest[4];
    parse_ipv4(GUEST_ADDRESS, guest);
    CHECK_ERRNO(we_sock_getlocaladdr(fd, &a, &type, &port), 0, "v1 sock_getlocaladdr");
    CHECK(type == 4 && memcmp(addr, guest, 4) == 0 && port >= 1024,
          "the local end is the guest's address, an ephemeral port");
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, 0), 0, "make the socket blocking");
    __wasi_ciovec_t out = {(const uint8_t *)"hello\n", 6};
    __wasi_size_t written = 0;
    CHECK_ERRNO(__wasi_fd_write(fd, &out, 1, &written), 0, "fd_write on the connected socket");
    char buf[16] = {0};
    __wasi_iovec_t in = {(uint8_t *)buf, 6};
    __wasi_size_t got = 0;
    __wasi_roflags_t ro;
    CHECK_ERRNO(__wasi_sock_recv(fd, &in, 1, __WASI_RIFLAGS_RECV_WAITALL, &got, &ro), 0, "sock_recv the echo");
    CHECK(got == 6 && memcmp(buf, "hello\n", 6) == 0, "the server echoed hello");
    CHECK_ERRNO(__wasi_sock_shutdown(fd, __WASI_SDFLAGS_WR), 0, "shutdown the sending side");
    CHECK_ERRNO(__wasi_sock_recv(fd, &in, 1, 0, &got, &ro), 0, "sock_recv after the server closed");
    CHECK(got == 0, "end of stream");
    CHECK_ERRNO(__wasi_fd_close(fd), 0, "close");

    /* blocking connect and options */
    CHECK_ERRNO(we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &fd), 0, "sock_open stream");
    int32_t on = 1;
    CHECK_ERRNO(we_sock_setsockopt(fd, WE_SOL_SOCKET, WE_SO_KEEPALIVE, &on, sizeof on), 0, "set SO_KEEPALIVE");
    CHECK_ERRNO(connect_to(fd, host, echo_port), 0, "blocking connect");
    CHECK(get_option(fd, WE_SO_KEEPALIVE, &err) == 1 && err == 0, "SO_KEEPALIVE reads back");
    CHECK(get_option(fd, WE_SO_TYPE, &err) == WE_SOCK_STREAM && err == 0, "SO_TYPE is stream");
    CHECK(get_option(fd, WE_SO_RCVBUF, &err) > 0 && err == 0, "SO_RCVBUF is the receive window");
    CHECK(get_option(fd, WE_SO_SNDBUF, &err) > 0 && err == 0, "SO_SNDBUF is the send buffer");
    CHECK(get_option(fd, WE_SO_ACCEPTCONN, &err) == 0 && err == 0, "SO_ACCEPTCONN is 0 on a connection");
    get_option(fd, WE_SO_LINGER, &err);
    CHECK(err == __WASI_ERRNO_NOPROTOOPT, "SO_LINGER is not supported (ENOPROTOOPT)");
    int32_t value = 0;
    uint32_t size = sizeof value;
    CHECK_ERRNO(we_sock_getsockopt(fd, 1, WE_SO_TYPE, &value, &size), __WASI_ERRNO_INVAL, "an unknown option level");
    CHECK_ERRNO(we_sock_getsockopt(fd, WE_SOL_SOCKET, 99, &value, &size), __WASI_ERRNO_INVAL, "an unknown option");
    CHECK_ERRNO(we_sock_setsockopt(fd, WE_SOL_SOCKET, WE_SO_TYPE, &on, sizeof on), __WASI_ERRNO_NOPROTOOPT,
                "SO_TYPE is read-only");
    check_receive_timeout(fd, "TCP");
    CHECK(write((int)fd, "x", 1) == 1, "write through wasi-libc");
    CHECK(read((int)fd, buf, 1) == 1 && buf[0] == 'x', "read the echo through wasi-libc");
    CHECK_ERRNO(__wasi_fd_close(fd), 0, "close");
}

/* The "_v2" names with the 128-byte address form. */
static void check_v2_names(uint32_t echo_port) {
    uint32_t fd;
    CHECK_ERRNO(we_sock_open_v2(WE_AF_INET4, WE_SOCK_STREAM, &fd), 0, "sock_open_v2");
    uint8_t storage[128] = {WE_AF_INET4, 0};
    memcpy(storage + 2, host, 4);
    we_address a = {storage, sizeof storage};
    CHECK_ERRNO(we_sock_connect_v2(fd, &a, echo_port), 0, "sock_connect_v2 with a v2 address");
    uint8_t peer[128];
    memset(peer, 0xee, sizeof peer);
    we_address p = {peer, sizeof peer};
    uint32_t port = 0;
    CHECK_ERRNO(we_sock_getpeeraddr_v2(fd, &p, &port), 0, "sock_getpeeraddr_v2");
    CHECK(peer[0] == WE_AF_INET4 && peer[1] == 0 && memcmp(peer + 2, host, 4) == 0 && port == echo_port,
          "the v2 peer address is family inet4, the host, the server's port");
    we_iovec out = {(uint8_t *)"v2!", 3};
    uint32_t sent = 0;
    CHECK_ERRNO(we_sock_send_v2(fd, &out, 1, 0, &sent), 0, "sock_send_v2");
    uint8_t buf[8] = {0};
    we_iovec in = {buf, 3};
    uint32_t got = 0, oflags = 0;
    CHECK_ERRNO(we_sock_recv_v2(fd, &in, 1, __WASI_RIFLAGS_RECV_WAITALL, &got, &oflags), 0, "sock_recv_v2");
    CHECK(sent == 3 && got == 3 && memcmp(buf, "v2!", 3) == 0, "the echo through the v2 names");
    CHECK_ERRNO(__wasi_fd_close(fd), 0, "close");
}

static void check_udp(uint32_t echo_port) {
    uint32_t fd, err;
    CHECK_ERRNO(we_sock_open(WE_AF_INET4, WE_SOCK_DGRAM, &fd), 0, "sock_open datagram");
    CHECK(get_option(fd, WE_SO_TYPE, &err) == WE_SOCK_DGRAM && err == 0, "SO_TYPE is datagram");
    __wasi_fdstat_t st;
    CHECK(__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_SOCKET_DGRAM,
          "fdstat says datagram socket");
    __wasi_ciovec_t out = {(const uint8_t *)"ping", 4};
    __wasi_size_t written = 0;
    CHECK_ERRNO(__wasi_fd_write(fd, &out, 1, &written), __WASI_ERRNO_DESTADDRREQ, "fd_write without a peer");
    we_address to = {host, 4};
    we_iovec ping = {(uint8_t *)"ping", 4};
    uint32_t sent = 0;
    CHECK_ERRNO(we_sock_send_to(fd, &ping, 1, &to, echo_port, 0, &sent), 0, "sock_send_to the host");
    CHECK(sent == 4, "the whole datagram was sent");
    uint8_t buf[64] = {0}, from[16] = {0};
    we_address source = {from, sizeof from};
    we_iovec in = {buf, sizeof buf};
    uint32_t received = 0, oflags = 0;
    CHECK_ERRNO(we_sock_recv_from(fd, &in, 1, &source, 0, &received, &oflags), 0, "v1 sock_recv_from");
    CHECK(received == 4 && memcmp(buf, "ping", 4) == 0 && memcmp(from, host, 4) == 0, "the echo came from the host");
    static uint8_t big[2000];
    we_iovec large = {big, sizeof big};
    CHECK_ERRNO(we_sock_send_to(fd, &large, 1, &to, echo_port, 0, &sent), __WASI_ERRNO_MSGSIZE,
                "a datagram larger than one frame");
    CHECK_ERRNO(connect_to(fd, host, echo_port), 0, "connect the datagram socket");
    out.buf = (const uint8_t *)"pong";
    CHECK_ERRNO(__wasi_fd_write(fd, &out, 1, &written), 0, "fd_write to the connected peer");
    __wasi_subscription_t sub = {0};
    sub.u.tag = __WASI_EVENTTYPE_FD_READ;
    sub.u.u.fd_read.file_descriptor = fd;
    __wasi_event_t ev;
    __wasi_size_t events = 0;
    CHECK_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &events), 0, "poll for the echo");
    CHECK(events == 1 && ev.type == __WASI_EVENTTYPE_FD_READ && ev.fd_readwrite.nbytes == 4, "4 bytes are ready");
    __wasi_iovec_t into = {buf, 2};
    __wasi_size_t got = 0;
    __wasi_roflags_t ro = 0;
    CHECK_ERRNO(__wasi_sock_recv(fd, &into, 1, 0, &got, &ro), 0, "sock_recv into a short buffer");
    CHECK(got == 2 && memcmp(buf, "po", 2) == 0 && ro == __WASI_ROFLAGS_RECV_DATA_TRUNCATED,
          "the datagram is cut to the buffer and reported truncated");
    uint32_t type, port;
    uint8_t addr[16];
    we_address a = {addr, sizeof addr};
    CHECK_ERRNO(we_sock_getpeeraddr(fd, &a, &type, &port), 0, "peer of the connected datagram socket");
    CHECK(memcmp(addr, host, 4) == 0 && port == echo_port, "the peer is the host's server");
    CHECK_ERRNO(__wasi_sock_shutdown(fd, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSUP, "shutdown of a datagram socket");

    check_receive_timeout(fd, "UDP");

    /* a burst of echoes larger than the socket's queue (64 datagrams) while the app does not read:
     * the kernel keeps 64 and drops the rest */
    int sent_burst = 0;
    for (int i = 0; i < BURST; i++) sent_burst += __wasi_fd_write(fd, &out, 1, &written) == 0;
    CHECK(sent_burst == BURST, "a burst of datagrams sent");
    __wasi_subscription_t nap = {0};
    nap.u.tag = __WASI_EVENTTYPE_CLOCK;
    nap.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    nap.u.u.clock.timeout = BURST_SETTLE_NS;
    CHECK_ERRNO(__wasi_poll_oneoff(&nap, &ev, 1, &events), 0, "wait while the echoes arrive");
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK), 0, "make the datagram socket non-blocking");
    int queued = 0;
    __wasi_errno_t last;
    while ((last = __wasi_sock_recv(fd, &into, 1, 0, &got, &ro)) == 0) queued++;
    CHECK(last == __WASI_ERRNO_AGAIN, "reading stops with EAGAIN when the queue is empty");
    printf("%s 64 of %d echoes queued, the rest dropped (%d queued)\n", queued == 64 ? "ok" : "FAIL", BURST, queued);
    if (queued != 64) check_failed_at(__LINE__);
    CHECK_ERRNO(__wasi_fd_close(fd), 0, "close");
}

static void resolve(const char *name) {
    struct results r;
    uint32_t n;
    uint32_t err = lookup(name, "", 0, WE_SOCK_STREAM, &r, 1, &n);
    if (err) printf("resolve %s: errno %u\n", name, err);
    else printf("resolve %s: %u.%u.%u.%u\n", name, r.data[0][2], r.data[0][3], r.data[0][4], r.data[0][5]);
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "resolve") == 0) {
        for (int i = 2; i < argc; i++) resolve(argv[i]);
        return 0;
    }
    if (argc != 5 || !parse_ipv4(argv[1], host)) {
        fprintf(stderr, "usage: wasmedge_client_checks HOST TCP_ECHO_PORT CLOSED_PORT UDP_ECHO_PORT | resolve NAME\n");
        return 2;
    }
    check_names();
    check_tcp((uint32_t)atoi(argv[2]), (uint32_t)atoi(argv[3]));
    check_v2_names((uint32_t)atoi(argv[2]));
    check_udp((uint32_t)atoi(argv[4]));
    return check_done();
}
