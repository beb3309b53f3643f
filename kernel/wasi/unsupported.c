/*
 * The part of wasi_snapshot_preview1 the kernel does not implement yet: files and directories,
 * sockets, poll_oneoff, proc_raise and the fd operations beyond read/write/fdstat on 0-2. Each is
 * defined so every WASI app links, and answers ENOSYS so the app sees a clear "not implemented".
 */
#include "wasi.h"

#define UNUSED(x) (void)(x)

int32_t wasi_fd_advise(uw_vmctx *ctx, int32_t fd, int64_t offset, int64_t len, int32_t advice) {
    UNUSED(ctx); UNUSED(fd); UNUSED(offset); UNUSED(len); UNUSED(advice);
    return WASI_ENOSYS;
}
int32_t wasi_fd_allocate(uw_vmctx *ctx, int32_t fd, int64_t offset, int64_t len) {
    UNUSED(ctx); UNUSED(fd); UNUSED(offset); UNUSED(len);
    return WASI_ENOSYS;
}
int32_t wasi_fd_close(uw_vmctx *ctx, int32_t fd) {
    UNUSED(ctx); UNUSED(fd);
    return WASI_ENOSYS;
}
int32_t wasi_fd_datasync(uw_vmctx *ctx, int32_t fd) {
    UNUSED(ctx); UNUSED(fd);
    return WASI_ENOSYS;
}
int32_t wasi_fd_fdstat_set_flags(uw_vmctx *ctx, int32_t fd, int32_t flags) {
    UNUSED(ctx); UNUSED(fd); UNUSED(flags);
    return WASI_ENOSYS;
}
int32_t wasi_fd_fdstat_set_rights(uw_vmctx *ctx, int32_t fd, int64_t base, int64_t inheriting) {
    UNUSED(ctx); UNUSED(fd); UNUSED(base); UNUSED(inheriting);
    return WASI_ENOSYS;
}
int32_t wasi_fd_filestat_get(uw_vmctx *ctx, int32_t fd, int32_t stat_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(stat_out);
    return WASI_ENOSYS;
}
int32_t wasi_fd_filestat_set_size(uw_vmctx *ctx, int32_t fd, int64_t size) {
    UNUSED(ctx); UNUSED(fd); UNUSED(size);
    return WASI_ENOSYS;
}
int32_t wasi_fd_filestat_set_times(uw_vmctx *ctx, int32_t fd, int64_t atim, int64_t mtim, int32_t flags) {
    UNUSED(ctx); UNUSED(fd); UNUSED(atim); UNUSED(mtim); UNUSED(flags);
    return WASI_ENOSYS;
}
int32_t wasi_fd_pread(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int64_t offset, int32_t nread_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(iovs); UNUSED(iovs_len); UNUSED(offset); UNUSED(nread_out);
    return WASI_ENOSYS;
}
int32_t wasi_fd_prestat_dir_name(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len) {
    UNUSED(ctx); UNUSED(fd); UNUSED(path); UNUSED(path_len);
    return WASI_ENOSYS;
}
int32_t wasi_fd_pwrite(uw_vmctx *ctx, int32_t fd, int32_t iovs, int32_t iovs_len, int64_t offset, int32_t nwritten_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(iovs); UNUSED(iovs_len); UNUSED(offset); UNUSED(nwritten_out);
    return WASI_ENOSYS;
}
int32_t wasi_fd_readdir(uw_vmctx *ctx, int32_t fd, int32_t buf, int32_t buf_len, int64_t cookie, int32_t used_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(buf); UNUSED(buf_len); UNUSED(cookie); UNUSED(used_out);
    return WASI_ENOSYS;
}
int32_t wasi_fd_renumber(uw_vmctx *ctx, int32_t fd, int32_t to) {
    UNUSED(ctx); UNUSED(fd); UNUSED(to);
    return WASI_ENOSYS;
}
int32_t wasi_fd_seek(uw_vmctx *ctx, int32_t fd, int64_t offset, int32_t whence, int32_t new_offset_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(offset); UNUSED(whence); UNUSED(new_offset_out);
    return WASI_ENOSYS;
}
int32_t wasi_fd_sync(uw_vmctx *ctx, int32_t fd) {
    UNUSED(ctx); UNUSED(fd);
    return WASI_ENOSYS;
}
int32_t wasi_fd_tell(uw_vmctx *ctx, int32_t fd, int32_t offset_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(offset_out);
    return WASI_ENOSYS;
}
int32_t wasi_path_create_directory(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len) {
    UNUSED(ctx); UNUSED(fd); UNUSED(path); UNUSED(path_len);
    return WASI_ENOSYS;
}
int32_t wasi_path_filestat_get(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t path, int32_t path_len, int32_t stat_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(flags); UNUSED(path); UNUSED(path_len); UNUSED(stat_out);
    return WASI_ENOSYS;
}
int32_t wasi_path_filestat_set_times(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t path, int32_t path_len,
                                     int64_t atim, int64_t mtim, int32_t fst_flags) {
    UNUSED(ctx); UNUSED(fd); UNUSED(flags); UNUSED(path); UNUSED(path_len); UNUSED(atim); UNUSED(mtim); UNUSED(fst_flags);
    return WASI_ENOSYS;
}
int32_t wasi_path_link(uw_vmctx *ctx, int32_t old_fd, int32_t old_flags, int32_t old_path, int32_t old_path_len,
                       int32_t new_fd, int32_t new_path, int32_t new_path_len) {
    UNUSED(ctx); UNUSED(old_fd); UNUSED(old_flags); UNUSED(old_path); UNUSED(old_path_len);
    UNUSED(new_fd); UNUSED(new_path); UNUSED(new_path_len);
    return WASI_ENOSYS;
}
int32_t wasi_path_open(uw_vmctx *ctx, int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                       int64_t rights_base, int64_t rights_inheriting, int32_t fdflags, int32_t fd_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(dirflags); UNUSED(path); UNUSED(path_len); UNUSED(oflags);
    UNUSED(rights_base); UNUSED(rights_inheriting); UNUSED(fdflags); UNUSED(fd_out);
    return WASI_ENOSYS;
}
int32_t wasi_path_readlink(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len, int32_t buf, int32_t buf_len,
                           int32_t used_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(path); UNUSED(path_len); UNUSED(buf); UNUSED(buf_len); UNUSED(used_out);
    return WASI_ENOSYS;
}
int32_t wasi_path_remove_directory(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len) {
    UNUSED(ctx); UNUSED(fd); UNUSED(path); UNUSED(path_len);
    return WASI_ENOSYS;
}
int32_t wasi_path_rename(uw_vmctx *ctx, int32_t fd, int32_t old_path, int32_t old_path_len, int32_t new_fd,
                         int32_t new_path, int32_t new_path_len) {
    UNUSED(ctx); UNUSED(fd); UNUSED(old_path); UNUSED(old_path_len); UNUSED(new_fd); UNUSED(new_path); UNUSED(new_path_len);
    return WASI_ENOSYS;
}
int32_t wasi_path_symlink(uw_vmctx *ctx, int32_t old_path, int32_t old_path_len, int32_t fd, int32_t new_path,
                          int32_t new_path_len) {
    UNUSED(ctx); UNUSED(old_path); UNUSED(old_path_len); UNUSED(fd); UNUSED(new_path); UNUSED(new_path_len);
    return WASI_ENOSYS;
}
int32_t wasi_path_unlink_file(uw_vmctx *ctx, int32_t fd, int32_t path, int32_t path_len) {
    UNUSED(ctx); UNUSED(fd); UNUSED(path); UNUSED(path_len);
    return WASI_ENOSYS;
}
int32_t wasi_poll_oneoff(uw_vmctx *ctx, int32_t in, int32_t out, int32_t nsubscriptions, int32_t nevents_out) {
    UNUSED(ctx); UNUSED(in); UNUSED(out); UNUSED(nsubscriptions); UNUSED(nevents_out);
    return WASI_ENOSYS;
}
int32_t wasi_proc_raise(uw_vmctx *ctx, int32_t sig) {
    UNUSED(ctx); UNUSED(sig);
    return WASI_ENOSYS;
}
int32_t wasi_sock_accept(uw_vmctx *ctx, int32_t fd, int32_t flags, int32_t fd_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(flags); UNUSED(fd_out);
    return WASI_ENOSYS;
}
int32_t wasi_sock_recv(uw_vmctx *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len, int32_t ri_flags,
                       int32_t datalen_out, int32_t flags_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(ri_data); UNUSED(ri_data_len); UNUSED(ri_flags); UNUSED(datalen_out); UNUSED(flags_out);
    return WASI_ENOSYS;
}
int32_t wasi_sock_send(uw_vmctx *ctx, int32_t fd, int32_t si_data, int32_t si_data_len, int32_t si_flags,
                       int32_t datalen_out) {
    UNUSED(ctx); UNUSED(fd); UNUSED(si_data); UNUSED(si_data_len); UNUSED(si_flags); UNUSED(datalen_out);
    return WASI_ENOSYS;
}
int32_t wasi_sock_shutdown(uw_vmctx *ctx, int32_t fd, int32_t how) {
    UNUSED(ctx); UNUSED(fd); UNUSED(how);
    return WASI_ENOSYS;
}
