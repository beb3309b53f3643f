#include "kernel/string.h"
#include "sock_wasmedge.h"
#include "wasi.h"

#define FN(name, sig) {#name, sig, (void *)wasi_##name}
#define VARIANT(name, sig, code) {#name, sig, (void *)code}

/* All 46 functions of wasi_snapshot_preview1, in the order of the WASI specification, then
 * WasmEdge's socket API; a name listed twice has two shapes, told apart by signature (the image
 * linker's dev.uniwasm.image.WasiFunctions has the same rows). */
const struct wasi_function wasi_functions[] = {
    FN(args_get, "ii:i"),
    FN(args_sizes_get, "ii:i"),
    FN(environ_get, "ii:i"),
    FN(environ_sizes_get, "ii:i"),
    FN(clock_res_get, "ii:i"),
    FN(clock_time_get, "ili:i"),
    FN(fd_advise, "illi:i"),
    FN(fd_allocate, "ill:i"),
    FN(fd_close, "i:i"),
    FN(fd_datasync, "i:i"),
    FN(fd_fdstat_get, "ii:i"),
    FN(fd_fdstat_set_flags, "ii:i"),
    FN(fd_fdstat_set_rights, "ill:i"),
    FN(fd_filestat_get, "ii:i"),
    FN(fd_filestat_set_size, "il:i"),
    FN(fd_filestat_set_times, "illi:i"),
    FN(fd_pread, "iiili:i"),
    FN(fd_prestat_get, "ii:i"),
    FN(fd_prestat_dir_name, "iii:i"),
    FN(fd_pwrite, "iiili:i"),
    FN(fd_read, "iiii:i"),
    FN(fd_readdir, "iiili:i"),
    FN(fd_renumber, "ii:i"),
    FN(fd_seek, "ilii:i"),
    FN(fd_sync, "i:i"),
    FN(fd_tell, "ii:i"),
    FN(fd_write, "iiii:i"),
    FN(path_create_directory, "iii:i"),
    FN(path_filestat_get, "iiiii:i"),
    FN(path_filestat_set_times, "iiiilli:i"),
    FN(path_link, "iiiiiii:i"),
    FN(path_open, "iiiiillii:i"),
    FN(path_readlink, "iiiiii:i"),
    FN(path_remove_directory, "iii:i"),
    FN(path_rename, "iiiiii:i"),
    FN(path_symlink, "iiiii:i"),
    FN(path_unlink_file, "iii:i"),
    FN(poll_oneoff, "iiii:i"),
    FN(proc_exit, "i:"),
    FN(proc_raise, "i:i"),
    FN(sched_yield, ":i"),
    FN(random_get, "ii:i"),
    FN(sock_accept, "iii:i"),
    FN(sock_recv, "iiiiii:i"),
    FN(sock_send, "iiiii:i"),
    FN(sock_shutdown, "ii:i"),
    /* WasmEdge (sock_wasmedge.c) */
    FN(sock_open, "iii:i"),
    FN(sock_bind, "iii:i"),
    FN(sock_listen, "ii:i"),
    VARIANT(sock_accept, "ii:i", wasmedge_sock_accept_v1),
    FN(sock_connect, "iii:i"),
    FN(sock_getlocaladdr, "iiii:i"),
    VARIANT(sock_getlocaladdr, "iii:i", wasmedge_sock_getlocaladdr_v2),
    FN(sock_getpeeraddr, "iiii:i"),
    VARIANT(sock_getpeeraddr, "iii:i", wasmedge_sock_getpeeraddr_v2),
    FN(sock_getsockopt, "iiiii:i"),
    FN(sock_setsockopt, "iiiii:i"),
    FN(sock_recv_from, "iiiiiii:i"),
    VARIANT(sock_recv_from, "iiiiiiii:i", wasmedge_sock_recv_from_v2),
    FN(sock_send_to, "iiiiiii:i"),
    FN(sock_getaddrinfo, "iiiiiiii:i"),
    FN(sock_open_v2, "iii:i"),
    FN(sock_bind_v2, "iii:i"),
    FN(sock_listen_v2, "ii:i"),
    FN(sock_accept_v2, "iii:i"),
    FN(sock_connect_v2, "iii:i"),
    FN(sock_recv_v2, "iiiiii:i"),
    FN(sock_recv_from_v2, "iiiiiiii:i"),
    FN(sock_send_v2, "iiiii:i"),
    FN(sock_send_to_v2, "iiiiiii:i"),
    FN(sock_getlocaladdr_v2, "iii:i"),
    FN(sock_getpeeraddr_v2, "iii:i"),
};

const uint32_t wasi_function_count = ARRAY_LEN(wasi_functions);

const struct wasi_function *wasi_find(const char *name) {
    for (uint32_t i = 0; i < wasi_function_count; i++) {
        if (strcmp(wasi_functions[i].name, name) == 0) return &wasi_functions[i];
    }
    return NULL;
}

const struct wasi_function *wasi_find_typed(const char *name, const char *signature) {
    for (uint32_t i = 0; i < wasi_function_count; i++) {
        if (strcmp(wasi_functions[i].name, name) == 0 && strcmp(wasi_functions[i].signature, signature) == 0) {
            return &wasi_functions[i];
        }
    }
    return NULL;
}
