/*
 * Tries to start traffic to each destination given, through WasmEdge's socket API, and prints what
 * the kernel answered: the outbound rules (--allow-outbound, --inherit-network,
 * --allow-ip-name-lookup) decide. OutboundPolicyTest runs it against servers on the host.
 *
 * Usage: outbound_probe PROBE...
 *   tcp:A.B.C.D:PORT   blocking sock_connect; when it connects, sends "probe\n" and closes
 *   udp:A.B.C.D:PORT   sock_send_to of one datagram "probe"
 *   name:NAME          sock_getaddrinfo of NAME
 * Prints "PROBE: ok" (with ": A.B.C.D" for a name) or "PROBE: errno N" per probe, in order, and
 * exits 0; 2 on bad arguments.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wasmedge_socket.h"

static int parse_endpoint(const char *text, uint8_t address[4], uint32_t *port) {
    unsigned a, b, c, d, p;
    char end;
    if (sscanf(text, "%u.%u.%u.%u:%u%c", &a, &b, &c, &d, &p, &end) != 5 || a > 255 || b > 255 || c > 255 || d > 255 ||
        p > 65535) {
        return 0;
    }
    address[0] = (uint8_t)a, address[1] = (uint8_t)b, address[2] = (uint8_t)c, address[3] = (uint8_t)d;
    *port = p;
    return 1;
}

static uint32_t probe_tcp(uint8_t address[4], uint32_t port) {
    uint32_t fd;
    uint32_t err = we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &fd);
    if (err) return err;
    we_address a = {address, 4};
    err = we_sock_connect(fd, &a, port);
    if (!err && write((int)fd, "probe\n", 6) != 6) err = 29; /* EIO: connected, but the line did not go out */
    close((int)fd);
    return err;
}

static uint32_t probe_udp(uint8_t address[4], uint32_t port) {
    uint32_t fd, sent = 0;
    uint32_t err = we_sock_open(WE_AF_INET4, WE_SOCK_DGRAM, &fd);
    if (err) return err;
    we_address a = {address, 4};
    we_iovec data = {(uint8_t *)"probe", 5};
    err = we_sock_send_to(fd, &data, 1, &a, port, 0, &sent);
    close((int)fd);
    return err;
}

static uint32_t probe_name(const char *name, uint8_t out[4]) {
    we_sockaddr addr = {0};
    uint8_t data[26] = {0};
    addr.sa_data = data;
    addr.sa_data_len = sizeof data;
    we_addrinfo result = {0}, hints = {0};
    result.ai_addr = &addr;
    hints.ai_socktype = WE_SOCK_STREAM;
    we_addrinfo *first = &result;
    uint32_t count = 0;
    uint32_t err = we_sock_getaddrinfo(name, (uint32_t)strlen(name) + 1, "", 1, &hints, &first, 1, &count);
    if (!err) memcpy(out, data + 2, 4);
    return err;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: outbound_probe tcp:A.B.C.D:PORT | udp:A.B.C.D:PORT | name:NAME ...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *probe = argv[i];
        uint8_t address[4];
        uint32_t port, err;
        if (strncmp(probe, "name:", 5) == 0) {
            err = probe_name(probe + 5, address);
            if (!err) {
                printf("%s: ok: %u.%u.%u.%u\n", probe, address[0], address[1], address[2], address[3]);
                continue;
            }
        } else if (strncmp(probe, "tcp:", 4) == 0 && parse_endpoint(probe + 4, address, &port)) {
            err = probe_tcp(address, port);
        } else if (strncmp(probe, "udp:", 4) == 0 && parse_endpoint(probe + 4, address, &port)) {
            err = probe_udp(address, port);
        } else {
            fprintf(stderr, "outbound_probe: bad probe \"%s\"\n", probe);
            return 2;
        }
        if (err) printf("%s: errno %u\n", probe, err);
        else printf("%s: ok\n", probe);
        fflush(stdout);
    }
    return 0;
}
