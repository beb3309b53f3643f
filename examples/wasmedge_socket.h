/*
 * WasmEdge's socket API as its apps import it (module wasi_snapshot_preview1), declared by hand:
 * wasi-libc knows only preview1's sockets. Layouts: docs/ABI.md, "WasmEdge sockets". Every call
 * returns a WASI errno (0 = success); addresses are IPv4 in wire order.
 */
#ifndef EXAMPLES_WASMEDGE_SOCKET_H
#define EXAMPLES_WASMEDGE_SOCKET_H

#include <stdint.h>

#define WASMEDGE_IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

enum { WE_AF_INET4 = 1, WE_AF_INET6 = 2 };
enum { WE_SOCK_DGRAM = 1, WE_SOCK_STREAM = 2 };
enum { WE_SOL_SOCKET = 0 };
enum {
    WE_SO_REUSEADDR = 0,
    WE_SO_TYPE = 1,
    WE_SO_ERROR = 2,
    WE_SO_BROADCAST = 4,
    WE_SO_SNDBUF = 5,
    WE_SO_RCVBUF = 6,
    WE_SO_KEEPALIVE = 7,
    WE_SO_LINGER = 9,
    WE_SO_RCVTIMEO = 11,
    WE_SO_SNDTIMEO = 12,
    WE_SO_ACCEPTCONN = 13,
    WE_SO_BINDTODEVICE = 14,
};
enum { WE_AI_PASSIVE = 1, WE_AI_CANONNAME = 2, WE_AI_NUMERICHOST = 4, WE_AI_NUMERICSERV = 8 };
enum { WE_EAI_NONAME = 84, WE_EAI_SERVICE = 85 };

/* __wasi_address_t: a buffer holding the address (4 bytes raw, or 128 in the v2 form) */
typedef struct {
    uint8_t *buf;
    uint32_t buf_len;
} we_address;

/* __wasi_sockaddr_t and __wasi_addrinfo_t */
typedef struct {
    uint32_t sa_family;
    uint32_t sa_data_len;
    uint8_t *sa_data; /* big-endian port, then the IPv4 address */
} we_sockaddr;

typedef struct we_addrinfo {
    uint16_t ai_flags;
    uint8_t ai_family;
    uint8_t ai_socktype;
    uint32_t ai_protocol;
    uint32_t ai_addrlen;
    we_sockaddr *ai_addr;
    char *ai_canonname;
    uint32_t ai_canonnamelen;
    struct we_addrinfo *ai_next;
} we_addrinfo;
_Static_assert(sizeof(we_addrinfo) == 28, "__wasi_addrinfo_t is 28 bytes");

typedef struct {
    uint8_t *buf;
    uint32_t len;
} we_iovec;

uint32_t we_sock_open(uint32_t family, uint32_t type, uint32_t *fd) WASMEDGE_IMPORT("sock_open");
uint32_t we_sock_bind(uint32_t fd, we_address *address, uint32_t port) WASMEDGE_IMPORT("sock_bind");
uint32_t we_sock_listen(uint32_t fd, uint32_t backlog) WASMEDGE_IMPORT("sock_listen");
/* the 2-argument accept: WasmEdge's own, told apart from preview1's by its signature */
uint32_t we_sock_accept(uint32_t fd, uint32_t *new_fd) WASMEDGE_IMPORT("sock_accept");
uint32_t we_sock_connect(uint32_t fd, we_address *address, uint32_t port) WASMEDGE_IMPORT("sock_connect");
uint32_t we_sock_getsockopt(uint32_t fd, uint32_t level, uint32_t name, int32_t *value, uint32_t *size)
    WASMEDGE_IMPORT("sock_getsockopt");
uint32_t we_sock_setsockopt(uint32_t fd, uint32_t level, uint32_t name, const int32_t *value, uint32_t size)
    WASMEDGE_IMPORT("sock_setsockopt");
uint32_t we_sock_send_to(uint32_t fd, const we_iovec *data, uint32_t count, we_address *address, uint32_t port,
                         uint32_t flags, uint32_t *sent) WASMEDGE_IMPORT("sock_send_to");
uint32_t we_sock_getaddrinfo(const char *node, uint32_t node_len, const char *service, uint32_t service_len,
                             const we_addrinfo *hints, we_addrinfo **result, uint32_t max, uint32_t *count)
    WASMEDGE_IMPORT("sock_getaddrinfo");

/* WasmEdge's "_v2" names (addresses in the 128-byte form: u16 family, then the address) */
uint32_t we_sock_open_v2(uint32_t family, uint32_t type, uint32_t *fd) WASMEDGE_IMPORT("sock_open_v2");
uint32_t we_sock_connect_v2(uint32_t fd, we_address *address, uint32_t port) WASMEDGE_IMPORT("sock_connect_v2");
uint32_t we_sock_getpeeraddr_v2(uint32_t fd, we_address *address, uint32_t *port)
    WASMEDGE_IMPORT("sock_getpeeraddr_v2");
uint32_t we_sock_send_v2(uint32_t fd, const we_iovec *data, uint32_t count, uint32_t flags, uint32_t *sent)
    WASMEDGE_IMPORT("sock_send_v2");
uint32_t we_sock_recv_v2(uint32_t fd, we_iovec *data, uint32_t count, uint32_t flags, uint32_t *received,
                         uint32_t *oflags) WASMEDGE_IMPORT("sock_recv_v2");

/* Two shapes of the same names; an app imports one of each (the examples pick per program). */
#ifdef WASMEDGE_V2_ADDRESSES
/* v2: address buffer of 128 bytes (u16 family, address), the port separately */
uint32_t we_sock_getlocaladdr(uint32_t fd, we_address *address, uint32_t *port) WASMEDGE_IMPORT("sock_getlocaladdr");
uint32_t we_sock_getpeeraddr(uint32_t fd, we_address *address, uint32_t *port) WASMEDGE_IMPORT("sock_getpeeraddr");
uint32_t we_sock_recv_from(uint32_t fd, we_iovec *data, uint32_t count, we_address *address, uint32_t flags,
                           uint32_t *port, uint32_t *received, uint32_t *oflags) WASMEDGE_IMPORT("sock_recv_from");
#else
/* v1: raw address (16-byte buffer), its kind (4) and port; recv_from reports no port */
uint32_t we_sock_getlocaladdr(uint32_t fd, we_address *address, uint32_t *type, uint32_t *port)
    WASMEDGE_IMPORT("sock_getlocaladdr");
uint32_t we_sock_getpeeraddr(uint32_t fd, we_address *address, uint32_t *type, uint32_t *port)
    WASMEDGE_IMPORT("sock_getpeeraddr");
uint32_t we_sock_recv_from(uint32_t fd, we_iovec *data, uint32_t count, we_address *address, uint32_t flags,
                           uint32_t *received, uint32_t *oflags) WASMEDGE_IMPORT("sock_recv_from");
#endif

#endif
