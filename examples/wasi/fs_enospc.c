/* A tmpfs of 64 KiB (fd 3): writing more fails with ENOSPC after storing what fits, the file holds
 * exactly the bytes reported written, and removing a file gives the space back. */
#include "check.h"

#define CHUNK 10000

int main(void) {
    __wasi_errno_t err;
    __wasi_fd_t fd = open_at(PREOPEN, "fill", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &err);
    CHECK_ERRNO(err, 0, "create fill");
    static unsigned char chunk[CHUNK];
    for (int i = 0; i < CHUNK; i++) chunk[i] = (unsigned char)(i * 7 + 3);
    uint64_t total = 0;
    __wasi_errno_t last = 0;
    for (int round = 0; round < 20; round++) {
        __wasi_ciovec_t w = {chunk, CHUNK};
        __wasi_size_t n = 0;
        last = __wasi_fd_write(fd, &w, 1, &n);
        if (last) break;
        total += n;
        if (n < CHUNK) {
            last = __wasi_fd_write(fd, &w, 1, &n);
            break;
        }
    }
    CHECK_ERRNO(last, __WASI_ERRNO_NOSPC, "writing past 64 KiB");
    printf("stored %llu bytes\n", (unsigned long long)total);
    CHECK(total == 65536, "exactly the 64 KiB limit was stored");
    __wasi_filestat_t st;
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), 0, "stat fill");
    CHECK(st.size == total, "the size is the bytes written, nothing more");
    /* the content is intact */
    int intact = 1;
    static unsigned char back[CHUNK];
    for (uint64_t off = 0; off < total; off += CHUNK) {
        __wasi_iovec_t r = {back, CHUNK};
        __wasi_size_t n;
        if (__wasi_fd_pread(fd, &r, 1, off, &n)) {
            intact = 0;
            break;
        }
        for (__wasi_size_t i = 0; i < n; i++)
            if (back[i] != chunk[(off + i) % CHUNK]) intact = 0;
    }
    CHECK(intact, "the stored bytes read back intact");
    __wasi_fd_t other = open_at(PREOPEN, "other", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &err);
    __wasi_ciovec_t one = {chunk, 1};
    __wasi_size_t n;
    CHECK_ERRNO(__wasi_fd_write(other, &one, 1, &n), __WASI_ERRNO_NOSPC, "another file cannot grow either");
    (void)__wasi_fd_close(fd);
    CHECK_ERRNO(__wasi_path_unlink_file(PREOPEN, "fill"), 0, "unlink fill");
    CHECK_ERRNO(__wasi_fd_write(other, &one, 1, &n), 0, "after the unlink there is room again");
    CHECK_ERRNO(__wasi_fd_filestat_set_size(other, 0), 0, "truncate other");
    return check_done();
}
