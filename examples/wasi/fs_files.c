/* File descriptors on a writable pre-open (fd 3): path_open's oflags and fdflags, read, write,
 * pread, pwrite, seek, tell, close, filestat get / set size / set times, fdstat get / set flags /
 * set rights, sync, datasync, advise, allocate, renumber, prestat. */
#include "check.h"

static __wasi_errno_t write_str(__wasi_fd_t fd, const char *s, __wasi_size_t *n) {
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    return __wasi_fd_write(fd, &iov, 1, n);
}

static __wasi_errno_t read_into(__wasi_fd_t fd, char *buf, size_t len, __wasi_size_t *n) {
    __wasi_iovec_t iov = {(uint8_t *)buf, len};
    return __wasi_fd_read(fd, &iov, 1, n);
}

int main(void) {
    __wasi_prestat_t pre;
    CHECK_ERRNO(__wasi_fd_prestat_get(PREOPEN, &pre), 0, "fd_prestat_get on the pre-open");
    char name[64] = {0};
    CHECK_ERRNO(__wasi_fd_prestat_dir_name(PREOPEN, (uint8_t *)name, pre.u.dir.pr_name_len), 0, "fd_prestat_dir_name");
    CHECK(strcmp(name, "/work") == 0, "pre-open is named /work");
    CHECK_ERRNO(__wasi_fd_prestat_dir_name(PREOPEN, (uint8_t *)name, 2), __WASI_ERRNO_NAMETOOLONG,
                "fd_prestat_dir_name with a short buffer");
    CHECK_ERRNO(__wasi_fd_prestat_get(1, &pre), __WASI_ERRNO_BADF, "fd_prestat_get on stdout");
    CHECK_ERRNO(__wasi_fd_prestat_get(99, &pre), __WASI_ERRNO_BADF, "fd_prestat_get on a closed fd");

    __wasi_errno_t err;
    __wasi_fd_t fd = open_at(PREOPEN, "a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RIGHTS_RW, 0, &err);
    CHECK_ERRNO(err, 0, "path_open creat|excl of a new file");
    open_at(PREOPEN, "a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RIGHTS_RW, 0, &err);
    CHECK_ERRNO(err, __WASI_ERRNO_EXIST, "path_open creat|excl of an existing file");
    open_at(PREOPEN, "missing.txt", 0, RIGHTS_RW, 0, &err);
    CHECK_ERRNO(err, __WASI_ERRNO_NOENT, "path_open of a missing file");
    open_at(PREOPEN, "a.txt", __WASI_OFLAGS_DIRECTORY, RIGHTS_RO, 0, &err);
    CHECK_ERRNO(err, __WASI_ERRNO_NOTDIR, "path_open directory flag on a file");
    open_at(PREOPEN, "a.txt", 0, RIGHTS_RW, 0xff, &err);
    CHECK_ERRNO(err, __WASI_ERRNO_INVAL, "path_open with unknown fdflags");

    __wasi_size_t n;
    CHECK_ERRNO(write_str(fd, "hello, world", &n), 0, "fd_write");
    CHECK(n == 12, "fd_write wrote 12 bytes");
    __wasi_filesize_t pos;
    CHECK_ERRNO(__wasi_fd_tell(fd, &pos), 0, "fd_tell");
    CHECK(pos == 12, "offset is 12 after the write");
    CHECK_ERRNO(__wasi_fd_seek(fd, 7, __WASI_WHENCE_SET, &pos), 0, "fd_seek set");
    char buf[64] = {0};
    CHECK_ERRNO(read_into(fd, buf, sizeof buf, &n), 0, "fd_read");
    CHECK(n == 5 && memcmp(buf, "world", 5) == 0, "fd_read from offset 7 gives 'world'");
    CHECK_ERRNO(read_into(fd, buf, sizeof buf, &n), 0, "fd_read at the end");
    CHECK(n == 0, "fd_read at the end gives 0 bytes");
    CHECK_ERRNO(__wasi_fd_seek(fd, -5, __WASI_WHENCE_END, &pos), 0, "fd_seek end");
    CHECK(pos == 7, "seek end-5 is 7");
    CHECK_ERRNO(__wasi_fd_seek(fd, -2, __WASI_WHENCE_CUR, &pos), 0, "fd_seek cur");
    CHECK(pos == 5, "seek cur-2 is 5");
    CHECK_ERRNO(__wasi_fd_seek(fd, -100, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_INVAL, "fd_seek before 0");
    CHECK_ERRNO(__wasi_fd_seek(fd, 0, 7, &pos), __WASI_ERRNO_INVAL, "fd_seek bad whence");
    CHECK_ERRNO(__wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_SPIPE, "fd_seek on stdout");

    __wasi_ciovec_t piov = {(const uint8_t *)"WORLD", 5};
    CHECK_ERRNO(__wasi_fd_pwrite(fd, &piov, 1, 7, &n), 0, "fd_pwrite");
    CHECK_ERRNO(__wasi_fd_tell(fd, &pos), 0, "fd_tell after pwrite");
    CHECK(pos == 5, "fd_pwrite leaves the offset alone");
    __wasi_iovec_t riov[2] = {{(uint8_t *)buf, 3}, {(uint8_t *)buf + 3, 9}};
    memset(buf, 0, sizeof buf);
    CHECK_ERRNO(__wasi_fd_pread(fd, riov, 2, 0, &n), 0, "fd_pread with two iovecs");
    CHECK(n == 12 && memcmp(buf, "hello, WORLD", 12) == 0, "fd_pread sees the pwrite");
    CHECK_ERRNO(__wasi_fd_pread(fd, riov, 2, 100, &n), 0, "fd_pread past the end");
    CHECK(n == 0, "fd_pread past the end gives 0 bytes");
    /* writing past the end leaves a hole that reads as zeros */
    CHECK_ERRNO(__wasi_fd_pwrite(fd, &piov, 1, 20000, &n), 0, "fd_pwrite past the end");
    char hole[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    __wasi_iovec_t hiov = {(uint8_t *)hole, 8};
    CHECK_ERRNO(__wasi_fd_pread(fd, &hiov, 1, 12, &n), 0, "fd_pread of the hole");
    CHECK(n == 8 && !memcmp(hole, "\0\0\0\0\0\0\0\0", 8), "a hole reads as zeros");

    __wasi_filestat_t st;
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), 0, "fd_filestat_get");
    CHECK(st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 20005 && st.nlink == 1,
          "filestat: regular file, 20005 bytes, 1 link");
    CHECK_ERRNO(__wasi_fd_filestat_set_size(fd, 5), 0, "fd_filestat_set_size shrink");
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), 0, "fd_filestat_get after shrink");
    CHECK(st.size == 5, "size is 5");
    CHECK_ERRNO(__wasi_fd_filestat_set_size(fd, 10), 0, "fd_filestat_set_size grow");
    memset(buf, 1, sizeof buf);
    CHECK_ERRNO(__wasi_fd_pread(fd, riov, 2, 0, &n), 0, "fd_pread after grow");
    CHECK(n == 10 && !memcmp(buf, "hello\0\0\0\0\0", 10), "grown part reads as zeros");
    CHECK_ERRNO(
        __wasi_fd_filestat_set_times(fd, 1000000000ull, 2000000000ull, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0,
        "fd_filestat_set_times");
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), 0, "fd_filestat_get after set_times");
    CHECK(st.atim == 1000000000ull && st.mtim == 2000000000ull, "times were set");
    CHECK_ERRNO(__wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
                __WASI_ERRNO_INVAL, "atim with atim_now");
    CHECK_ERRNO(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), 0, "fd_filestat_set_times mtim_now");
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), 0, "fd_filestat_get after mtim_now");
    CHECK(st.mtim > 1000000000000000000ull, "mtim_now is a current wall-clock time");

    __wasi_fdstat_t fs;
    CHECK_ERRNO(__wasi_fd_fdstat_get(fd, &fs), 0, "fd_fdstat_get on a file");
    CHECK(fs.fs_filetype == __WASI_FILETYPE_REGULAR_FILE && (fs.fs_rights_base & __WASI_RIGHTS_FD_WRITE),
          "fdstat: regular file with write right");
    CHECK_ERRNO(__wasi_fd_fdstat_get(PREOPEN, &fs), 0, "fd_fdstat_get on the pre-open");
    CHECK(fs.fs_filetype == __WASI_FILETYPE_DIRECTORY && (fs.fs_rights_base & __WASI_RIGHTS_PATH_OPEN),
          "fdstat: directory with path_open right");
    CHECK_ERRNO(__wasi_fd_fdstat_get(0, &fs), 0, "fd_fdstat_get on stdin");
    CHECK(fs.fs_filetype == __WASI_FILETYPE_CHARACTER_DEVICE, "stdin is a character device");
    CHECK_ERRNO(__wasi_fd_fdstat_get(77, &fs), __WASI_ERRNO_BADF, "fd_fdstat_get on a closed fd");

    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0, "fd_fdstat_set_flags append");
    CHECK_ERRNO(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), 0, "seek to 0 on an append fd");
    CHECK_ERRNO(write_str(fd, "!", &n), 0, "fd_write on an append fd");
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), 0, "filestat after append");
    CHECK(st.size == 11, "append wrote at the end");
    CHECK_ERRNO(__wasi_fd_fdstat_get(fd, &fs), 0, "fdstat after set_flags");
    CHECK(fs.fs_flags == __WASI_FDFLAGS_APPEND, "fdstat shows append");
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC | __WASI_FDFLAGS_DSYNC | __WASI_FDFLAGS_NONBLOCK), 0,
                "sync flags are accepted");

    CHECK_ERRNO(__wasi_fd_sync(fd), 0, "fd_sync");
    CHECK_ERRNO(__wasi_fd_datasync(fd), 0, "fd_datasync");
    CHECK_ERRNO(__wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_SEQUENTIAL), 0, "fd_advise");
    CHECK_ERRNO(__wasi_fd_advise(fd, 0, 100, 9), __WASI_ERRNO_INVAL, "fd_advise with bad advice");
    CHECK_ERRNO(__wasi_fd_allocate(fd, 0, 4096), 0, "fd_allocate");
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), 0, "filestat after allocate");
    CHECK(st.size == 4096, "fd_allocate grew the file to 4096");
    CHECK_ERRNO(__wasi_fd_allocate(fd, 0, 10), 0, "fd_allocate inside the file");
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), 0, "filestat after small allocate");
    CHECK(st.size == 4096, "fd_allocate never shrinks");

    /* rights can be dropped, never regained */
    CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0), 0,
                "fd_fdstat_set_rights drops write");
    CHECK_ERRNO(write_str(fd, "x", &n), __WASI_ERRNO_BADF, "fd_write without the right");
    CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, RIGHTS_RW, 0), __WASI_ERRNO_NOTCAPABLE, "regaining a right");
    CHECK_ERRNO(__wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_NOTCAPABLE, "set_size without the right");

    /* trunc empties an existing file */
    __wasi_fd_t fd2 = open_at(PREOPEN, "a.txt", __WASI_OFLAGS_TRUNC, RIGHTS_RW, 0, &err);
    CHECK_ERRNO(err, 0, "path_open trunc");
    CHECK_ERRNO(__wasi_fd_filestat_get(fd2, &st), 0, "filestat after trunc");
    CHECK(st.size == 0, "trunc emptied the file");
    CHECK(fd2 == 5, "the next descriptor is the lowest free one (5)");

    CHECK_ERRNO(__wasi_fd_renumber(fd2, fd), 0, "fd_renumber");
    CHECK_ERRNO(__wasi_fd_fdstat_get(fd2, &fs), __WASI_ERRNO_BADF, "the renumbered fd is closed");
    CHECK_ERRNO(__wasi_fd_fdstat_get(fd, &fs), 0, "the target fd is open");
    CHECK(fs.fs_rights_base & __WASI_RIGHTS_FD_WRITE, "the target fd has the moved fd's rights");
    CHECK_ERRNO(__wasi_fd_renumber(fd, 99), __WASI_ERRNO_BADF, "fd_renumber onto a closed fd");
    CHECK_ERRNO(__wasi_fd_close(fd), 0, "fd_close");
    CHECK_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_BADF, "fd_close twice");
    CHECK_ERRNO(__wasi_fd_read(fd, NULL, 0, &n), __WASI_ERRNO_BADF, "fd_read on a closed fd");

    /* a bad guest pointer is EFAULT, not a crash */
    fd = open_at(PREOPEN, "a.txt", 0, RIGHTS_RW, 0, &err);
    __wasi_iovec_t bad = {(uint8_t *)0xfffffff0u, 64};
    CHECK_ERRNO(__wasi_fd_read(fd, &bad, 1, &n), __WASI_ERRNO_FAULT, "fd_read into a buffer outside memory");
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, (__wasi_filestat_t *)0xfffffff0u), __WASI_ERRNO_FAULT,
                "fd_filestat_get to a bad pointer");
    return check_done();
}
