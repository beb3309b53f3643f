/*
 * Every function the kernel defines for module wasi_snapshot_preview1, one row each: the one list
 * that kernel/wasi/wasi.h (the C prototypes), kernel/wasi/table.c (the run-time table the import
 * binder searches) and the image linker (dev.uniwasm.image.WasiFunctions, which reads this file as
 * a resource) are made from. An X-macro list: no include guard; the includer defines the three
 * macros.
 *
 *   WASI_FUNCTION(name, (params), result)   a function of the WASI preview 1 specification, in its
 *                                           order
 *   WASMEDGE_FUNCTION(name, (params), result)
 *                                           a function of WasmEdge's socket API
 *   WASMEDGE_VARIANT(name, (params), result, version)
 *                                           a second shape of a WasmEdge name, told apart by
 *                                           signature as WasmEdge does; C function
 *                                           wasmedge_<name>_<version>, symbol
 *                                           "uw_wasmedge_<version>.<name>"
 *
 * The C function of the other rows is wasi_<name>, symbol "uw_imp.wasi_snapshot_preview1.<name>".
 * Types are Wasm's as letters: i = i32 (int32_t in C), l = i64 (int64_t); params is a parenthesised
 * list of at most 12 (`()` for none), result one letter or nothing. The C function takes the
 * caller's instance (uw_vmctx *) first, then the params; wasi.h declares it from the row, so a
 * definition of another type does not compile. The module descriptor's signature notation
 * (params ':' results, "ili:i") is made from the row too (WASI_SIGNATURE).
 */
WASI_FUNCTION(args_get, (i, i), i)
WASI_FUNCTION(args_sizes_get, (i, i), i)
WASI_FUNCTION(environ_get, (i, i), i)
WASI_FUNCTION(environ_sizes_get, (i, i), i)
WASI_FUNCTION(clock_res_get, (i, i), i)
WASI_FUNCTION(clock_time_get, (i, l, i), i)
WASI_FUNCTION(fd_advise, (i, l, l, i), i)
WASI_FUNCTION(fd_allocate, (i, l, l), i)
WASI_FUNCTION(fd_close, (i), i)
WASI_FUNCTION(fd_datasync, (i), i)
WASI_FUNCTION(fd_fdstat_get, (i, i), i)
WASI_FUNCTION(fd_fdstat_set_flags, (i, i), i)
WASI_FUNCTION(fd_fdstat_set_rights, (i, l, l), i)
WASI_FUNCTION(fd_filestat_get, (i, i), i)
WASI_FUNCTION(fd_filestat_set_size, (i, l), i)
WASI_FUNCTION(fd_filestat_set_times, (i, l, l, i), i)
WASI_FUNCTION(fd_pread, (i, i, i, l, i), i)
WASI_FUNCTION(fd_prestat_get, (i, i), i)
WASI_FUNCTION(fd_prestat_dir_name, (i, i, i), i)
WASI_FUNCTION(fd_pwrite, (i, i, i, l, i), i)
WASI_FUNCTION(fd_read, (i, i, i, i), i)
WASI_FUNCTION(fd_readdir, (i, i, i, l, i), i)
WASI_FUNCTION(fd_renumber, (i, i), i)
WASI_FUNCTION(fd_seek, (i, l, i, i), i)
WASI_FUNCTION(fd_sync, (i), i)
WASI_FUNCTION(fd_tell, (i, i), i)
WASI_FUNCTION(fd_write, (i, i, i, i), i)
WASI_FUNCTION(path_create_directory, (i, i, i), i)
WASI_FUNCTION(path_filestat_get, (i, i, i, i, i), i)
WASI_FUNCTION(path_filestat_set_times, (i, i, i, i, l, l, i), i)
WASI_FUNCTION(path_link, (i, i, i, i, i, i, i), i)
WASI_FUNCTION(path_open, (i, i, i, i, i, l, l, i, i), i)
WASI_FUNCTION(path_readlink, (i, i, i, i, i, i), i)
WASI_FUNCTION(path_remove_directory, (i, i, i), i)
WASI_FUNCTION(path_rename, (i, i, i, i, i, i), i)
WASI_FUNCTION(path_symlink, (i, i, i, i, i), i)
WASI_FUNCTION(path_unlink_file, (i, i, i), i)
WASI_FUNCTION(poll_oneoff, (i, i, i, i), i)
WASI_FUNCTION(proc_exit, (i), )
WASI_FUNCTION(proc_raise, (i), i)
WASI_FUNCTION(sched_yield, (), i)
WASI_FUNCTION(random_get, (i, i), i)
WASI_FUNCTION(sock_accept, (i, i, i), i)
WASI_FUNCTION(sock_recv, (i, i, i, i, i, i), i)
WASI_FUNCTION(sock_send, (i, i, i, i, i), i)
WASI_FUNCTION(sock_shutdown, (i, i), i)

/* WasmEdge's socket API (docs/ABI.md, "WasmEdge sockets"; sock_wasmedge.c), and its "_v2" names */
WASMEDGE_FUNCTION(sock_open, (i, i, i), i)
WASMEDGE_FUNCTION(sock_bind, (i, i, i), i)
WASMEDGE_FUNCTION(sock_listen, (i, i), i)
WASMEDGE_VARIANT(sock_accept, (i, i), i, v1)
WASMEDGE_FUNCTION(sock_connect, (i, i, i), i)
WASMEDGE_FUNCTION(sock_getlocaladdr, (i, i, i, i), i)
WASMEDGE_VARIANT(sock_getlocaladdr, (i, i, i), i, v2)
WASMEDGE_FUNCTION(sock_getpeeraddr, (i, i, i, i), i)
WASMEDGE_VARIANT(sock_getpeeraddr, (i, i, i), i, v2)
WASMEDGE_FUNCTION(sock_getsockopt, (i, i, i, i, i), i)
WASMEDGE_FUNCTION(sock_setsockopt, (i, i, i, i, i), i)
WASMEDGE_FUNCTION(sock_recv_from, (i, i, i, i, i, i, i), i)
WASMEDGE_VARIANT(sock_recv_from, (i, i, i, i, i, i, i, i), i, v2)
WASMEDGE_FUNCTION(sock_send_to, (i, i, i, i, i, i, i), i)
WASMEDGE_FUNCTION(sock_getaddrinfo, (i, i, i, i, i, i, i, i), i)
WASMEDGE_FUNCTION(sock_open_v2, (i, i, i), i)
WASMEDGE_FUNCTION(sock_bind_v2, (i, i, i), i)
WASMEDGE_FUNCTION(sock_listen_v2, (i, i), i)
WASMEDGE_FUNCTION(sock_accept_v2, (i, i, i), i)
WASMEDGE_FUNCTION(sock_connect_v2, (i, i, i), i)
WASMEDGE_FUNCTION(sock_recv_v2, (i, i, i, i, i, i), i)
WASMEDGE_FUNCTION(sock_recv_from_v2, (i, i, i, i, i, i, i, i), i)
WASMEDGE_FUNCTION(sock_send_v2, (i, i, i, i, i), i)
WASMEDGE_FUNCTION(sock_send_to_v2, (i, i, i, i, i, i, i), i)
WASMEDGE_FUNCTION(sock_getlocaladdr_v2, (i, i, i), i)
WASMEDGE_FUNCTION(sock_getpeeraddr_v2, (i, i, i), i)
