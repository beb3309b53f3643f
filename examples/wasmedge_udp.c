/*
 * UDP echo server written against WasmEdge's socket API: sock_open (datagram), sock_bind to
 * 0.0.0.0:PORT, then sock_recv_from (v2: with the sender's port) and sock_send_to back to the
 * sender, for DATAGRAMS datagrams. Usage: wasmedge_udp PORT [DATAGRAMS] (default 1). Prints
 * "ready", then per datagram its size and sender. A datagram "quit" ends the loop early. Exit 0
 * after the last datagram, 1 on a socket error, 2 on bad arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WASMEDGE_V2_ADDRESSES
#include "wasmedge_socket.h"

#define ROFLAGS_TRUNCATED 1

static int fail(const char *what, uint32_t err) {
    fprintf(stderr, "wasmedge_udp: %s: %s (WASI errno %u)\n", what, strerror((int)err), err);
    return 1;
}

int main(int argc, char **argv) {
    long port = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
    long datagrams = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
    if (port < 1 || port > 65535 || datagrams < 1 || datagrams > 1000000) {
        fprintf(stderr, "usage: wasmedge_udp PORT [DATAGRAMS]\n");
        return 2;
    }
    uint32_t fd, err;
    if ((err = we_sock_open(WE_AF_INET4, WE_SOCK_DGRAM, &fd))) return fail("sock_open", err);
    uint8_t any[4] = {0, 0, 0, 0};
    we_address bind_to = {any, sizeof any};
    if ((err = we_sock_bind(fd, &bind_to, (uint32_t)port))) return fail("sock_bind", err);
    int32_t type = 0;
    uint32_t size = sizeof type;
    if ((err = we_sock_getsockopt(fd, WE_SOL_SOCKET, WE_SO_TYPE, &type, &size))) return fail("SO_TYPE", err);
    if (type != WE_SOCK_DGRAM) {
        fprintf(stderr, "wasmedge_udp: SO_TYPE is %d, expected %d\n", type, WE_SOCK_DGRAM);
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    static uint8_t buf[2048];
    for (long i = 0; i < datagrams; i++) {
        uint8_t storage[128];
        we_address from = {storage, sizeof storage};
        we_iovec iov = {buf, sizeof buf};
        uint32_t from_port, received, oflags;
        if ((err = we_sock_recv_from(fd, &iov, 1, &from, 0, &from_port, &received, &oflags)))
            return fail("sock_recv_from", err);
        if (storage[0] != WE_AF_INET4) {
            fprintf(stderr, "wasmedge_udp: sender of family %u\n", storage[0]);
            return 1;
        }
        printf("datagram %ld: %u bytes from %u.%u.%u.%u:%u%s\n", i + 1, received, storage[2], storage[3], storage[4],
               storage[5], from_port, oflags & ROFLAGS_TRUNCATED ? " (truncated)" : "");
        fflush(stdout);
        if (received == 4 && memcmp(buf, "quit", 4) == 0) break;
        uint8_t raw[4];
        memcpy(raw, storage + 2, 4);
        we_address to = {raw, sizeof raw}; /* v1 form: the raw 4-byte address */
        we_iovec out = {buf, received};
        uint32_t sent;
        if ((err = we_sock_send_to(fd, &out, 1, &to, from_port, 0, &sent))) return fail("sock_send_to", err);
        if (sent != received) {
            fprintf(stderr, "wasmedge_udp: sent %u of %u bytes\n", sent, received);
            return 1;
        }
    }
    close((int)fd);
    return 0;
}
