/*
 * WasmEdge's socket API (module wasi_snapshot_preview1), which WasmEdge and Mewz apps import:
 * sock_open, sock_bind, sock_listen, sock_connect, the 2-argument sock_accept, sock_getlocaladdr,
 * sock_getpeeraddr, sock_getsockopt, sock_setsockopt, sock_recv_from, sock_send_to and
 * sock_getaddrinfo. Layouts and signatures: docs/ABI.md, "WasmEdge sockets".
 *
 * Where WasmEdge has two shapes under one name, the import's signature picks one (as WasmEdge
 * itself does): those variants have symbols of their own, which the image linker binds the import
 * to (dev.uniwasm.image.WasiFunctions); the first shape keeps the name's uw_imp symbol. Because
 * the linker then redirects every reference to that symbol, kernel code never calls a function with
 * two shapes through its uw_imp symbol (sock_accept_with, not wasi_sock_accept).
 */
#ifndef KERNEL_WASI_SOCK_WASMEDGE_H
#define KERNEL_WASI_SOCK_WASMEDGE_H

#include "wasi.h"

int32_t wasi_sock_open(uw_vmctx *ctx, int32_t family, int32_t type, int32_t fd_out) WASI_IMPORT(sock_open);
int32_t wasi_sock_bind(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port) WASI_IMPORT(sock_bind);
int32_t wasi_sock_listen(uw_vmctx *ctx, int32_t fd, int32_t backlog) WASI_IMPORT(sock_listen);
int32_t wasi_sock_connect(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port) WASI_IMPORT(sock_connect);
int32_t wasi_sock_getlocaladdr(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t type_out, int32_t port_out)
    WASI_IMPORT(sock_getlocaladdr);
int32_t wasi_sock_getpeeraddr(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t type_out, int32_t port_out)
    WASI_IMPORT(sock_getpeeraddr);
int32_t wasi_sock_getsockopt(uw_vmctx *ctx, int32_t fd, int32_t level, int32_t name, int32_t value, int32_t size_inout)
    WASI_IMPORT(sock_getsockopt);
int32_t wasi_sock_setsockopt(uw_vmctx *ctx, int32_t fd, int32_t level, int32_t name, int32_t value, int32_t size)
    WASI_IMPORT(sock_setsockopt);
int32_t wasi_sock_recv_from(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t address,
                            int32_t ri_flags, int32_t datalen_out, int32_t flags_out) WASI_IMPORT(sock_recv_from);
int32_t wasi_sock_send_to(uw_vmctx *ctx, int32_t fd, int32_t si_data, int32_t si_data_len, int32_t address,
                          int32_t port, int32_t si_flags, int32_t datalen_out) WASI_IMPORT(sock_send_to);
int32_t wasi_sock_getaddrinfo(uw_vmctx *ctx, int32_t node, int32_t node_len, int32_t service, int32_t service_len,
                              int32_t hints, int32_t result, int32_t max_results, int32_t count_out)
    WASI_IMPORT(sock_getaddrinfo);

/* WasmEdge's "_v2" names: the same calls; addresses may be in either form (see docs/ABI.md), the
 * v2 getlocaladdr/getpeeraddr/recv_from shapes report the port separately, and sock_accept_v2 takes
 * preview1's fdflags argument. */
int32_t wasi_sock_open_v2(uw_vmctx *ctx, int32_t family, int32_t type, int32_t fd_out) WASI_IMPORT(sock_open_v2);
int32_t wasi_sock_bind_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port) WASI_IMPORT(sock_bind_v2);
int32_t wasi_sock_listen_v2(uw_vmctx *ctx, int32_t fd, int32_t backlog) WASI_IMPORT(sock_listen_v2);
int32_t wasi_sock_accept_v2(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t fd_out) WASI_IMPORT(sock_accept_v2);
int32_t wasi_sock_connect_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port) WASI_IMPORT(sock_connect_v2);
int32_t wasi_sock_recv_v2(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t ri_flags,
                          int32_t datalen_out, int32_t flags_out) WASI_IMPORT(sock_recv_v2);
int32_t wasi_sock_recv_from_v2(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t address,
                               int32_t ri_flags, int32_t port_out, int32_t datalen_out, int32_t flags_out)
    WASI_IMPORT(sock_recv_from_v2);
int32_t wasi_sock_send_v2(uw_vmctx *ctx, int32_t fd, int32_t si_data, int32_t si_data_len, int32_t si_flags,
                          int32_t datalen_out) WASI_IMPORT(sock_send_v2);
int32_t wasi_sock_send_to_v2(uw_vmctx *ctx, int32_t fd, int32_t si_data, int32_t si_data_len, int32_t address,
                             int32_t port, int32_t si_flags, int32_t datalen_out) WASI_IMPORT(sock_send_to_v2);
int32_t wasi_sock_getlocaladdr_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port_out)
    WASI_IMPORT(sock_getlocaladdr_v2);
int32_t wasi_sock_getpeeraddr_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port_out)
    WASI_IMPORT(sock_getpeeraddr_v2);

/* The second shapes, told apart by signature; their symbols as functions.h's WASMEDGE_VARIANT rows say. */
#define WASMEDGE_VARIANT_SYMBOL(name, version) __asm__("uw_wasmedge_" #version "." #name)
int32_t wasmedge_sock_accept_v1(uw_vmctx *ctx, int32_t fd, int32_t fd_out) WASMEDGE_VARIANT_SYMBOL(sock_accept, v1);
int32_t wasmedge_sock_recv_from_v2(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t address,
                                   int32_t ri_flags, int32_t port_out, int32_t datalen_out, int32_t flags_out)
    WASMEDGE_VARIANT_SYMBOL(sock_recv_from, v2);
int32_t wasmedge_sock_getlocaladdr_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port_out)
    WASMEDGE_VARIANT_SYMBOL(sock_getlocaladdr, v2);
int32_t wasmedge_sock_getpeeraddr_v2(uw_vmctx *ctx, int32_t fd, int32_t address, int32_t port_out)
    WASMEDGE_VARIANT_SYMBOL(sock_getpeeraddr, v2);

#endif
