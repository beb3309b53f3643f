#include "kernel/string.h"
#include "wasi.h"

#define FN(name, sig) {#name, sig, (void *)wasi_##name}

/* All 46 functions of wasi_snapshot_preview1, in the order of the WASI specification. */
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
};

const uint32_t wasi_function_count = ARRAY_LEN(wasi_functions);

const struct wasi_function *wasi_find(const char *name) {
    for (uint32_t i = 0; i < wasi_function_count; i++) {
        if (strcmp(wasi_functions[i].name, name) == 0) return &wasi_functions[i];
    }
    return NULL;
}
