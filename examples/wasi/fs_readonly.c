/* A read-only --dir (fd 3) packed from a host tree with: hello.txt ("hello from the host\n"),
 * sub/nested.txt ("nested\n"), link -> hello.txt. Reads work; every change is EROFS. With the
 * argument "rw" the same tree is a writable copy (--dir ...:rw): changes work and stay in memory. */
#include "check.h"

static void read_file(const char *path, const char *expect) {
    char what[96];
    snprintf(what, sizeof what, "read %s", path);
    __wasi_errno_t err;
    __wasi_fd_t fd = open_at(PREOPEN, path, 0, RIGHTS_RO, 0, &err);
    char buf[128] = {0};
    __wasi_size_t n = 0;
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    if (!err) err = __wasi_fd_read(fd, &iov, 1, &n);
    CHECK(!err && n == strlen(expect) && !memcmp(buf, expect, n), what);
    if (!err) (void)__wasi_fd_close(fd);
}

int main(int argc, char **argv) {
    int rw = argc > 1 && !strcmp(argv[1], "rw");
    __wasi_errno_t expect = rw ? 0 : __WASI_ERRNO_ROFS;
    read_file("hello.txt", "hello from the host\n");
    read_file("sub/nested.txt", "nested\n");
    read_file("link", "hello from the host\n");
    __wasi_filestat_t st;
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "link", &st), 0, "stat the link");
    CHECK(st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK, "the host symlink is a symlink in the guest");
    char target[32] = {0};
    __wasi_size_t used;
    CHECK_ERRNO(__wasi_path_readlink(PREOPEN, "link", (uint8_t *)target, sizeof target, &used), 0, "readlink");
    CHECK(used == 9 && !memcmp(target, "hello.txt", 9), "its target is hello.txt");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "hello.txt", &st), 0, "stat hello.txt");
    CHECK(st.size == 20 && st.mtim > 1000000000000000000ull, "size 20 and the host's mtime");

    __wasi_errno_t err;
    __wasi_fd_t fd = open_at(PREOPEN, "hello.txt", 0, RIGHTS_RW, 0, &err);
    CHECK_ERRNO(err, expect, rw ? "open for writing works" : "open for writing");
    if (rw) {
        __wasi_ciovec_t w = {(const uint8_t *)"HELLO", 5};
        __wasi_size_t n;
        CHECK_ERRNO(__wasi_fd_write(fd, &w, 1, &n), 0, "write into the copy");
        (void)__wasi_fd_close(fd);
        read_file("hello.txt", "HELLO from the host\n");
        read_file("link", "HELLO from the host\n");
    }
    open_at(PREOPEN, "new.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &err);
    CHECK_ERRNO(err, expect, "create a file");
    open_at(PREOPEN, "sub/nested.txt", __WASI_OFLAGS_TRUNC, RIGHTS_RO, 0, &err);
    CHECK_ERRNO(err, expect, "truncate a file");
    if (rw) read_file("sub/nested.txt", "");
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "newdir"), expect, "mkdir");
    CHECK_ERRNO(__wasi_path_symlink("x", PREOPEN, "newlink"), expect, "symlink");
    CHECK_ERRNO(__wasi_path_link(PREOPEN, 0, "hello.txt", PREOPEN, "hard"), expect, "link");
    CHECK_ERRNO(__wasi_path_rename(PREOPEN, "hello.txt", PREOPEN, "renamed.txt"), expect, "rename");
    CHECK_ERRNO(__wasi_path_unlink_file(PREOPEN, "link"), expect, "unlink");
    CHECK_ERRNO(__wasi_path_filestat_set_times(PREOPEN, 0, "sub", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), expect, "set times");
    CHECK_ERRNO(__wasi_path_unlink_file(PREOPEN, "sub/nested.txt"), expect, "unlink nested");
    CHECK_ERRNO(__wasi_path_remove_directory(PREOPEN, "sub"), expect, "rmdir");
    /* the same through wasi-libc, as a program would do it */
    FILE *f = fopen("/data/libc.txt", "w");
    CHECK(rw ? f != NULL : f == NULL, rw ? "fopen for writing works" : "fopen for writing fails");
    if (f) fclose(f);
    return check_done();
}
