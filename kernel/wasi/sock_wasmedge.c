/*
 * WasmEdge's socket API on the kernel's TCP and UDP sockets (net/tcp_socket.c, net/udp_socket.c)
 * and resolver (net/dns.c): sock_open, sock_bind, sock_listen, sock_connect, the 2-argument
 * sock_accept, sock_getlocaladdr, sock_getpeeraddr, sock_getsockopt, sock_setsockopt,
 * sock_recv_from, sock_send_to, sock_getaddrinfo and their "_v2" names, which WasmEdge and Mewz apps
 * import from wasi_snapshot_preview1 (their rows and prototypes: functions.h, wasi.h). IPv4 only:
 * IPv6 addresses are EAFNOSUPPORT. Guest layouts are those of WasmEdge 0.13 (wasmedge_wasi_socket,
 * Go's wasip1 port); docs/ABI.md, "WasmEdge sockets", lists them with the option names and errors.
 *
 * Where WasmEdge has two shapes under one name, the import's signature picks one (as WasmEdge
 * itself does): those variants have symbols of their own (functions.h's WASMEDGE_VARIANT rows),
 * which the image linker binds the import to (dev.uniwasm.image.WasiFunctions); the first shape
 * keeps the name's uw_imp symbol. Because the linker then redirects every reference to that symbol,
 * kernel code never calls a function with two shapes through its uw_imp symbol (sock_accept_with,
 * not wasi_sock_accept).
 */
#include "../net/dns.h"
#include "../net/net.h"
#include "../net/outbound.h"
#include "iovec.h"
#include "kernel/string.h"
#include "sock.h"
#include "wasi.h"

/* address_family (sock_type and the options are in sock.h) */
#define FAMILY_UNSPEC 0
#define FAMILY_INET4 1
#define FAMILY_INET6 2
/* V1 sock_getlocaladdr/getpeeraddr report the address kind as 4 or 6 */
#define ADDRESS_TYPE_V4 4

/* __wasi_address_t: u32 buf, u32 buf_len. buf_len 4 or 16: the raw IPv4/IPv6 address; 128 (the
 * v2 form; any length from 6 up is taken): u16 family, then the address bytes. */
#define ADDRESS_SIZE 8
#define ADDRESS_RAW_V4 4
#define ADDRESS_RAW_V6 16
#define STORAGE_MIN 6

/* WasmEdge's errno extensions for sock_getaddrinfo */
#define EAI_BADFLAG 79
#define EAI_FAIL 80
#define EAI_FAMILY 81
#define EAI_MEMORY 82
#define EAI_NONAME 84
#define EAI_SERVICE 85
#define EAI_SOCKTYPE 86

/* __wasi_addrinfo_t (28 bytes) and __wasi_sockaddr_t (12 bytes) */
#define ADDRINFO_SIZE 28
#define AI_FLAGS 0
#define AI_FAMILY 2
#define AI_SOCKTYPE 3
#define AI_PROTOCOL 4
#define AI_ADDRLEN 8
#define AI_ADDR 12
#define AI_CANONNAME 16
#define AI_CANONNAMELEN 20
#define AI_NEXT 24
#define SOCKADDR_SIZE 12
#define SA_FAMILY 0
#define SA_DATA_LEN 4
#define SA_DATA 8
#define SA_DATA_INET4 6    /* big-endian port, then the 4 address bytes */
#define SOCKADDR_IN_LEN 16 /* what ai_addrlen reports, as WasmEdge copies the host's */
#define AIFLAG_PASSIVE 0x1
#define AIFLAG_CANONNAME 0x2
#define AIFLAG_NUMERICHOST 0x4
#define AIFLAG_NUMERICSERV 0x8
#define AIFLAGS_ALL 0x7f
#define PROTOCOL_IP 0
#define PROTOCOL_TCP 1
#define PROTOCOL_UDP 2
#define NODE_MAX 255
#define SERVICE_MAX 32

/* Reads a guest __wasi_address_t into an IPv4 address. */
static int32_t read_address(uw_vmctx *ctx, int32_t address, uint8_t out[4]) {
    const uint8_t *a = guest_range(ctx, (uint32_t)address, ADDRESS_SIZE);
    if (!a) return WASI_EFAULT;
    uint32_t buf = guest_load_u32(a), len = guest_load_u32(a + 4);
    const uint8_t *bytes = guest_range(ctx, buf, len);
    if (!bytes) return WASI_EFAULT;
    if (len == ADDRESS_RAW_V4) {
        memcpy(out, bytes, 4);
        return WASI_ESUCCESS;
    }
    if (len == ADDRESS_RAW_V6) {
        static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(bytes, v4_mapped, 12) != 0) return WASI_EAFNOSUPPORT;
        memcpy(out, bytes + 12, 4);
        return WASI_ESUCCESS;
    }
    if (len < STORAGE_MIN) return WASI_EINVAL;
    uint16_t family = (uint16_t)(bytes[0] | bytes[1] << 8);
    if (family == FAMILY_INET6) return WASI_EAFNOSUPPORT;
    if (family != FAMILY_INET4) return WASI_EINVAL;
    memcpy(out, bytes + 2, 4);
    return WASI_ESUCCESS;
}

/* The guest buffer a __wasi_address_t points at, at least `min` bytes long. */
static uint8_t *address_buffer(uw_vmctx *ctx, int32_t address, uint32_t min, uint32_t *len) {
    const uint8_t *a = guest_range(ctx, (uint32_t)address, ADDRESS_SIZE);
    if (!a) return NULL;
    *len = guest_load_u32(a + 4);
    if (*len < min) return NULL;
    return guest_range(ctx, guest_load_u32(a), *len);
}

/* Writes an IPv4 address in the v2 form: u16 family, the address, zeros. */
static void store_storage(uint8_t *buf, uint32_t len, const uint8_t address[4]) {
    uint32_t clear = len < 16 ? len : 16;
    memset(buf, 0, clear);
    buf[0] = FAMILY_INET4;
    memcpy(buf + 2, address, 4);
}

static int32_t port_argument(int32_t port, uint16_t *out) {
    if (port < 0 || port > 0xffff) return WASI_EINVAL;
    *out = (uint16_t)port;
    return WASI_ESUCCESS;
}

int32_t wasi_sock_open(uw_vmctx *ctx, int32_t family, int32_t type, int32_t fd_out) {
    uint8_t *out = guest_range(ctx, (uint32_t)fd_out, 4);
    if (!out) return WASI_EFAULT;
    if (family == FAMILY_INET6 || family == FAMILY_UNSPEC) return WASI_EAFNOSUPPORT;
    if (family != FAMILY_INET4 || (type != SOCK_TYPE_STREAM && type != SOCK_TYPE_DGRAM)) return WASI_EINVAL;
    struct tcp_socket *tcp = NULL;
    struct udp_socket *udp = NULL;
    int32_t err = type == SOCK_TYPE_STREAM ? tcp_socket_open(&tcp) : udp_socket_open(&udp);
    if (err) return err;
    int32_t fd;
    err = sock_install(tcp, udp, 0, tcp ? RIGHTS_SOCKET_OPENED : RIGHTS_SOCKET_CONNECTION, &fd);
    if (err) return err;
    guest_store_u32(out, (uint32_t)fd);
    return WASI_ESUCCESS;
}

int32_t wasi_sock_bind(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port) {
    int32_t err;
    struct fd_entry *e = sock_entry(fd, 0, &err);
    if (!e) return err;
    struct net_endpoint local;
    if ((err = read_address(ctx, address, local.address)) || (err = port_argument(port, &local.port))) return err;
    return e->ops->sock->bind(e, &local);
}

int32_t wasi_sock_listen(uw_vmctx *ctx, int32_t fd, int32_t backlog) {
    (void)ctx;
    int32_t err;
    struct fd_entry *e = sock_entry(fd, RIGHT_SOCK_ACCEPT, &err);
    if (!e) return err;
    if (!e->ops->sock->listen) return WASI_ENOTSUP;
    err = e->ops->sock->listen(e, backlog);
    if (err) return err;
    e->rights_base = RIGHTS_SOCKET_LISTENER;
    e->rights_inheriting = RIGHTS_SOCKET_CONNECTION;
    return WASI_ESUCCESS;
}

int32_t wasmedge_sock_accept_v1(uw_vmctx *ctx, int32_t fd, int32_t fd_out) {
    /* the new descriptor blocks, as WasmEdge's (its Rust SDK sets non-blocking afterwards) */
    return sock_accept_with(ctx, fd, 0, fd_out);
}

int32_t wasi_sock_connect(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port) {
    int32_t err;
    struct fd_entry *e = sock_entry(fd, 0, &err);
    if (!e) return err;
    struct net_endpoint remote;
    if ((err = read_address(ctx, address, remote.address)) || (err = port_argument(port, &remote.port))) return err;
    if ((err = outbound_check(remote.address, remote.port))) return err;
    return e->ops->sock->connect(e, &remote);
}

/* V1: the raw address into a buffer of at least 4 bytes (WasmEdge passes 16), its kind (4) and the port. */
static int32_t address_v1(uw_vmctx *ctx, int32_t fd, bool peer, int32_t address, int32_t type_out, int32_t port_out) {
    int32_t err;
    struct fd_entry *e = sock_entry(fd, 0, &err);
    if (!e) return err;
    uint32_t len;
    uint8_t *buf = address_buffer(ctx, address, ADDRESS_RAW_V4, &len);
    uint8_t *type = guest_range(ctx, (uint32_t)type_out, 4);
    uint8_t *port = guest_range(ctx, (uint32_t)port_out, 4);
    if (!buf || !type || !port) return WASI_EFAULT;
    struct net_endpoint ep;
    if ((err = e->ops->sock->endpoint(e, peer, &ep))) return err;
    memset(buf, 0, len < ADDRESS_RAW_V6 ? len : ADDRESS_RAW_V6);
    memcpy(buf, ep.address, 4);
    guest_store_u32(type, ADDRESS_TYPE_V4);
    guest_store_u32(port, ep.port);
    return WASI_ESUCCESS;
}

/* V2: family + address into a buffer of at least 6 bytes (WasmEdge passes 128), and the port. */
static int32_t address_v2(uw_vmctx *ctx, int32_t fd, bool peer, int32_t address, int32_t port_out) {
    int32_t err;
    struct fd_entry *e = sock_entry(fd, 0, &err);
    if (!e) return err;
    uint32_t len;
    uint8_t *buf = address_buffer(ctx, address, STORAGE_MIN, &len);
    uint8_t *port = guest_range(ctx, (uint32_t)port_out, 4);
    if (!buf || !port) return WASI_EFAULT;
    struct net_endpoint ep;
    if ((err = e->ops->sock->endpoint(e, peer, &ep))) return err;
    store_storage(buf, len, ep.address);
    guest_store_u32(port, ep.port);
    return WASI_ESUCCESS;
}

int32_t wasi_sock_getlocaladdr(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t type_out, int32_t port_out) {
    return address_v1(ctx, fd, false, address, type_out, port_out);
}

int32_t wasi_sock_getpeeraddr(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t type_out, int32_t port_out) {
    return address_v1(ctx, fd, true, address, type_out, port_out);
}

int32_t wasmedge_sock_getlocaladdr_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port_out) {
    return address_v2(ctx, fd, false, address, port_out);
}

int32_t wasmedge_sock_getpeeraddr_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port_out) {
    return address_v2(ctx, fd, true, address, port_out);
}

/* ---- options ---- */

/* SO_RCVTIMEO / SO_SNDTIMEO values: wasi-libc's struct timeval, i64 seconds and i64 microseconds */
#define TIMEVAL_SIZE 16
#define NS_PER_SECOND 1000000000ull
#define MAX_TIMEOUT_SECONDS (100ull * 365 * 24 * 3600)

static int32_t get_timeout(const struct fd_entry *e, bool send, uint8_t *out, uint8_t *size) {
    if (guest_load_u32(size) < TIMEVAL_SIZE) return WASI_EINVAL;
    uint64_t ns = e->ops->sock->timeout(e, send);
    guest_store_u64(out, ns / NS_PER_SECOND);
    guest_store_u64(out + 8, ns % NS_PER_SECOND / 1000);
    guest_store_u32(size, TIMEVAL_SIZE);
    return WASI_ESUCCESS;
}

static int32_t set_timeout(struct fd_entry *e, bool send, const uint8_t *in, uint32_t size) {
    if (size < TIMEVAL_SIZE) return WASI_EINVAL;
    int64_t seconds, micros;
    memcpy(&seconds, in, 8);
    memcpy(&micros, in + 8, 8);
    if (seconds < 0 || micros < 0 || micros >= 1000000) return WASI_EINVAL;
    /* beyond a century is as good as forever (0), and keeps the nanoseconds from overflowing */
    uint64_t ns =
        (uint64_t)seconds > MAX_TIMEOUT_SECONDS ? 0 : (uint64_t)seconds * NS_PER_SECOND + (uint64_t)micros * 1000;
    e->ops->sock->set_timeout(e, send, ns);
    return WASI_ESUCCESS;
}

int32_t wasi_sock_getsockopt(uw_vmctx *ctx, int32_t fd, int32_t level, int32_t name, int32_t value,
                             int32_t size_inout) {
    int32_t err;
    struct fd_entry *e = sock_entry(fd, 0, &err);
    if (!e) return err;
    uint8_t *size = guest_range(ctx, (uint32_t)size_inout, 4);
    if (!size) return WASI_EFAULT;
    uint8_t *out = guest_range(ctx, (uint32_t)value, guest_load_u32(size));
    if (!out) return WASI_EFAULT;
    if (level != SOL_SOCKET) return WASI_EINVAL;
    if (name == SO_RCVTIMEO || name == SO_SNDTIMEO) return get_timeout(e, name == SO_SNDTIMEO, out, size);
    if (guest_load_u32(size) < 4) return WASI_EINVAL;
    if (name < 0 || name > SO_LAST) return WASI_EINVAL;
    int32_t v;
    if ((err = e->ops->sock->option(e, name, &v))) return err;
    guest_store_u32(out, (uint32_t)v);
    guest_store_u32(size, 4);
    return WASI_ESUCCESS;
}

int32_t wasi_sock_setsockopt(uw_vmctx *ctx, int32_t fd, int32_t level, int32_t name, int32_t value, int32_t size) {
    int32_t err;
    struct fd_entry *e = sock_entry(fd, 0, &err);
    if (!e) return err;
    const uint8_t *in = guest_range(ctx, (uint32_t)value, (uint32_t)size);
    if (!in) return WASI_EFAULT;
    if (level != SOL_SOCKET) return WASI_EINVAL;
    if (name < 0 || name > SO_LAST) return WASI_EINVAL;
    if (name == SO_RCVTIMEO || name == SO_SNDTIMEO) return set_timeout(e, name == SO_SNDTIMEO, in, (uint32_t)size);
    if ((uint32_t)size < 4) return WASI_EINVAL;
    return e->ops->sock->set_option(e, name, guest_load_u32(in) != 0);
}

/* ---- datagrams ---- */

static int32_t recv_from(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t address,
                         int32_t ri_flags, int32_t port_out, int32_t datalen_out, int32_t flags_out, bool v2) {
    int32_t err;
    struct fd_entry *e = sock_entry(fd, RIGHT_FD_READ, &err);
    if (!e) return err;
    if ((uint32_t)ri_flags & ~(uint32_t)(RIFLAGS_RECV_PEEK | RIFLAGS_RECV_WAITALL)) return WASI_EINVAL;
    uint32_t len;
    uint8_t *buf = address_buffer(ctx, address, v2 ? STORAGE_MIN : ADDRESS_RAW_V4, &len);
    uint8_t *port = v2 ? guest_range(ctx, (uint32_t)port_out, 4) : NULL;
    uint8_t *datalen = guest_range(ctx, (uint32_t)datalen_out, 4);
    uint8_t *roflags = guest_range(ctx, (uint32_t)flags_out, 2);
    if (!buf || (v2 && !port) || !datalen || !roflags) return WASI_EFAULT;
    if (iovecs_check(ctx, (uint32_t)ri_data, (uint32_t)ri_data_len) < 0) return WASI_EFAULT;
    struct net_endpoint from;
    uint32_t done = 0;
    bool truncated = false;
    err = e->ops->sock->recv(e, ctx, (uint32_t)ri_data, (uint32_t)ri_data_len, (uint32_t)ri_flags, &done, &truncated,
                             &from);
    if (err) return err;
    if (v2) {
        store_storage(buf, len, from.address);
        guest_store_u32(port, from.port);
    } else {
        memset(buf, 0, len);
        memcpy(buf, from.address, 4);
    }
    guest_store_u32(datalen, done);
    roflags[0] = truncated ? ROFLAGS_RECV_DATA_TRUNCATED : 0;
    roflags[1] = 0;
    return WASI_ESUCCESS;
}

int32_t wasi_sock_recv_from(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t address,
                            int32_t ri_flags, int32_t datalen_out, int32_t flags_out) {
    return recv_from(ctx, fd, ri_data, ri_data_len, address, ri_flags, 0, datalen_out, flags_out, false);
}

int32_t wasmedge_sock_recv_from_v2(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t address,
                                   int32_t ri_flags, int32_t port_out, int32_t datalen_out, int32_t flags_out) {
    return recv_from(ctx, fd, ri_data, ri_data_len, address, ri_flags, port_out, datalen_out, flags_out, true);
}

int32_t wasi_sock_send_to(uw_vmctx *ctx, int32_t fd, int32_t si_data, int32_t si_data_len, int32_t address,
                          int32_t port, int32_t si_flags, int32_t datalen_out) {
    int32_t err;
    struct fd_entry *e = sock_entry(fd, RIGHT_FD_WRITE, &err);
    if (!e) return err;
    if (si_flags) return WASI_EINVAL;
    uint8_t *datalen = guest_range(ctx, (uint32_t)datalen_out, 4);
    if (!datalen || iovecs_check(ctx, (uint32_t)si_data, (uint32_t)si_data_len) < 0) return WASI_EFAULT;
    if (!e->ops->sock->send_to) return wasi_sock_send(ctx, fd, si_data, si_data_len, 0, datalen_out);
    struct net_endpoint to;
    if ((err = read_address(ctx, address, to.address)) || (err = port_argument(port, &to.port))) return err;
    if ((err = outbound_check(to.address, to.port))) return err;
    uint32_t done;
    err = e->ops->sock->send_to(e, ctx, (uint32_t)si_data, (uint32_t)si_data_len, &to, &done);
    if (err) return err;
    guest_store_u32(datalen, done);
    return WASI_ESUCCESS;
}

/* ---- the "_v2" names: the same calls under WasmEdge's newer names ---- */

int32_t wasi_sock_open_v2(uw_vmctx *ctx, int32_t family, int32_t type, int32_t fd_out) {
    return wasi_sock_open(ctx, family, type, fd_out);
}

int32_t wasi_sock_bind_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port) {
    return wasi_sock_bind(ctx, fd, address, port);
}

int32_t wasi_sock_listen_v2(uw_vmctx *ctx, int32_t fd, int32_t backlog) { return wasi_sock_listen(ctx, fd, backlog); }

int32_t wasi_sock_accept_v2(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t fd_out) {
    return sock_accept_with(ctx, fd, flags, fd_out);
}

int32_t wasi_sock_connect_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port) {
    return wasi_sock_connect(ctx, fd, address, port);
}

int32_t wasi_sock_recv_v2(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t ri_flags,
                          int32_t datalen_out, int32_t flags_out) {
    return wasi_sock_recv(ctx, fd, ri_data, ri_data_len, ri_flags, datalen_out, flags_out);
}

int32_t wasi_sock_recv_from_v2(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t address,
                               int32_t ri_flags, int32_t port_out, int32_t datalen_out, int32_t flags_out) {
    return recv_from(ctx, fd, ri_data, ri_data_len, address, ri_flags, port_out, datalen_out, flags_out, true);
}

int32_t wasi_sock_send_v2(uw_vmctx *ctx, int32_t fd, int32_t si_data, int32_t si_data_len, int32_t si_flags,
                          int32_t datalen_out) {
    return wasi_sock_send(ctx, fd, si_data, si_data_len, si_flags, datalen_out);
}

int32_t wasi_sock_send_to_v2(uw_vmctx *ctx, int32_t fd, int32_t si_data, int32_t si_data_len, int32_t address,
                             int32_t port, int32_t si_flags, int32_t datalen_out) {
    return wasi_sock_send_to(ctx, fd, si_data, si_data_len, address, port, si_flags, datalen_out);
}

int32_t wasi_sock_getlocaladdr_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port_out) {
    return address_v2(ctx, fd, false, address, port_out);
}

int32_t wasi_sock_getpeeraddr_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port_out) {
    return address_v2(ctx, fd, true, address, port_out);
}

/* ---- names ---- */

/* A guest string of `len` bytes (trailing NULs dropped, none inside) into `out` (max bytes + NUL). */
static int32_t guest_string(uw_vmctx *ctx, int32_t ptr, int32_t len, char *out, uint32_t max) {
    const uint8_t *s = guest_range(ctx, (uint32_t)ptr, (uint32_t)len);
    if (!s) return WASI_EFAULT;
    uint32_t n = (uint32_t)len;
    while (n && s[n - 1] == 0) n--;
    if (n > max) return EAI_NONAME;
    for (uint32_t i = 0; i < n; i++) {
        if (!s[i]) return EAI_NONAME;
    }
    memcpy(out, s, n);
    out[n] = 0;
    return WASI_ESUCCESS;
}

static int32_t parse_service(const char *service, bool numeric_only, uint16_t *port) {
    *port = 0;
    if (!*service) return WASI_ESUCCESS;
    if (service[0] >= '0' && service[0] <= '9') {
        uint32_t value = 0;
        for (const char *c = service; *c; c++) {
            if (*c < '0' || *c > '9') return EAI_SERVICE;
            value = value * 10 + (uint32_t)(*c - '0');
            if (value > 0xffff) return EAI_SERVICE;
        }
        *port = (uint16_t)value;
        return WASI_ESUCCESS;
    }
    if (numeric_only) return EAI_NONAME;
    /* the two services web clients name; there is no services database in the guest */
    if (strcmp(service, "http") == 0) *port = 80;
    else if (strcmp(service, "https") == 0) *port = 443;
    else return EAI_SERVICE;
    return WASI_ESUCCESS;
}

/* Fills one __wasi_addrinfo_t the app provided (and the sockaddr it points at). */
static int32_t store_result(uw_vmctx *ctx, uint8_t *ai, uint8_t type, const uint8_t address[4], uint16_t port,
                            const char *canonical) {
    uint8_t *sa = guest_range(ctx, guest_load_u32(ai + AI_ADDR), SOCKADDR_SIZE);
    if (!sa) return WASI_EFAULT;
    uint32_t data_len = guest_load_u32(sa + SA_DATA_LEN);
    uint8_t *data = guest_range(ctx, guest_load_u32(sa + SA_DATA), data_len);
    if (!data) return WASI_EFAULT;
    if (data_len < SA_DATA_INET4) return WASI_EINVAL; /* no room for the port and the address */
    ai[AI_FLAGS] = 0;
    ai[AI_FLAGS + 1] = 0;
    ai[AI_FAMILY] = FAMILY_INET4;
    ai[AI_SOCKTYPE] = type;
    guest_store_u32(ai + AI_PROTOCOL, type == SOCK_TYPE_STREAM ? PROTOCOL_TCP : PROTOCOL_UDP);
    guest_store_u32(ai + AI_ADDRLEN, SOCKADDR_IN_LEN);
    guest_store_u32(sa + SA_FAMILY, FAMILY_INET4);
    memset(data, 0, data_len < 14 ? data_len : 14);
    data[0] = (uint8_t)(port >> 8);
    data[1] = (uint8_t)port;
    memcpy(data + 2, address, 4);
    if (canonical) {
        uint32_t room = guest_load_u32(ai + AI_CANONNAMELEN);
        uint8_t *name = guest_range(ctx, guest_load_u32(ai + AI_CANONNAME), room);
        if (!name) return WASI_EFAULT;
        if (room) {
            uint32_t n = (uint32_t)strlen(canonical);
            if (n > room - 1) n = room - 1;
            memcpy(name, canonical, n);
            name[n] = 0;
            guest_store_u32(ai + AI_CANONNAMELEN, n);
        }
    }
    return WASI_ESUCCESS;
}

int32_t wasi_sock_getaddrinfo(uw_vmctx *ctx, int32_t node_ptr, int32_t node_len, int32_t service_ptr,
                              int32_t service_len, int32_t hints_ptr, int32_t result_ptr, int32_t max_results,
                              int32_t count_out) {
    char node[NODE_MAX + 1], service[SERVICE_MAX + 1];
    int32_t err;
    const uint8_t *hints = guest_range(ctx, (uint32_t)hints_ptr, ADDRINFO_SIZE);
    uint8_t *first = guest_range(ctx, (uint32_t)result_ptr, 4);
    uint8_t *count = guest_range(ctx, (uint32_t)count_out, 4);
    if (!hints || !first || !count) return WASI_EFAULT;
    if ((err = guest_string(ctx, node_ptr, node_len, node, NODE_MAX))) return err;
    if ((err = guest_string(ctx, service_ptr, service_len, service, SERVICE_MAX)))
        return err == EAI_NONAME ? EAI_SERVICE : err;
    if (!node[0] && !service[0]) return EAI_NONAME;
    if (max_results < 1) return EAI_MEMORY;
    uint16_t flags = (uint16_t)(hints[AI_FLAGS] | hints[AI_FLAGS + 1] << 8);
    uint8_t family = hints[AI_FAMILY], type = hints[AI_SOCKTYPE], protocol = hints[AI_PROTOCOL];
    if (flags & ~AIFLAGS_ALL) return EAI_BADFLAG;
    if ((flags & AIFLAG_CANONNAME) && !node[0]) return EAI_BADFLAG;
    if (family == FAMILY_INET6) return EAI_FAMILY; /* the guest has no IPv6 */
    if (family != FAMILY_UNSPEC && family != FAMILY_INET4) return EAI_FAMILY;
    if (type > SOCK_TYPE_STREAM) return EAI_SOCKTYPE;
    if (protocol > PROTOCOL_UDP) return WASI_ENOSYS;
    uint16_t port;
    if ((err = parse_service(service, (flags & AIFLAG_NUMERICSERV) != 0, &port))) return err;

    uint8_t address[4];
    if (!node[0]) {
        bool passive = (flags & AIFLAG_PASSIVE) != 0; /* bind to any, else the loopback address */
        address[0] = passive ? 0 : 127, address[1] = 0, address[2] = 0, address[3] = passive ? 0 : 1;
    } else if (flags & AIFLAG_NUMERICHOST) {
        if (!dns_parse_ipv4(node, address)) return EAI_NONAME;
    } else if (!dns_answer_locally(node, address)) {
        /* only a question to the DNS server leaves the VM, so only that needs the permission */
        if (net_available() && !outbound_name_lookup_allowed()) return WASI_EACCES;
        switch (dns_lookup(node, address)) {
        case DNS_FOUND: break;
        case DNS_NOT_FOUND: return EAI_NONAME;
        case DNS_NO_NETWORK: return EAI_FAIL;
        case DNS_NO_MEMORY: return EAI_MEMORY;
        }
    }

    /* one result per socket type asked for: both when the hints leave it open */
    uint8_t types[2];
    uint32_t wanted = 0;
    if (type == SOCK_TYPE_ANY && protocol == PROTOCOL_IP) {
        types[wanted++] = SOCK_TYPE_STREAM;
        types[wanted++] = SOCK_TYPE_DGRAM;
    } else {
        types[wanted++] = type != SOCK_TYPE_ANY ? type : protocol == PROTOCOL_UDP ? SOCK_TYPE_DGRAM : SOCK_TYPE_STREAM;
    }
    uint32_t written = 0;
    uint32_t at = guest_load_u32(first);
    uint8_t *previous = NULL;
    while (written < wanted && written < (uint32_t)max_results) {
        uint8_t *ai = guest_range(ctx, at, ADDRINFO_SIZE);
        if (!ai) return WASI_EFAULT;
        err =
            store_result(ctx, ai, types[written], address, port, (flags & AIFLAG_CANONNAME) && !written ? node : NULL);
        if (err) return err;
        written++;
        previous = ai;
        at = guest_load_u32(ai + AI_NEXT);
        if (!at) break;
    }
    if (previous) guest_store_u32(previous + AI_NEXT, 0); /* the list ends with the last result */
    guest_store_u32(count, written);
    return WASI_ESUCCESS;
}
