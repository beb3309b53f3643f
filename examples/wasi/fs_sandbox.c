/* Pre-opens are capabilities: no path leaves them (.., absolute paths, symlinks pointing out give
 * EPERM, as wasmtime reports escapes), and a descriptor's rights bound what it and the
 * descriptors opened through it may do (ENOTCAPABLE, EBADF). Runs on a writable pre-open (fd 3). */
#include "check.h"

int main(void) {
    __wasi_errno_t err;
    __wasi_filestat_t st;
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "inner"), 0, "mkdir inner");
    open_at(PREOPEN, "../x", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &err);
    CHECK_ERRNO(err, __WASI_ERRNO_PERM, "path_open ../x");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "..", &st), __WASI_ERRNO_PERM, "stat .. of the pre-open");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "inner/../..", &st), __WASI_ERRNO_PERM, "inner/../..");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "inner/..", &st), 0, "inner/.. stays inside");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "/etc", &st), __WASI_ERRNO_PERM, "an absolute path");
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "../escape"), __WASI_ERRNO_PERM, "mkdir ../escape");
    CHECK_ERRNO(__wasi_path_symlink("../../outside", PREOPEN, "up"), 0, "a symlink pointing out can be created");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "up", &st), __WASI_ERRNO_PERM,
                "following it");
    open_at(PREOPEN, "up", 0, RIGHTS_RO, 0, &err);
    CHECK_ERRNO(err, __WASI_ERRNO_PERM, "opening through it");
    CHECK_ERRNO(__wasi_path_symlink("/etc/passwd", PREOPEN, "abs"), __WASI_ERRNO_PERM,
                "an absolute symlink is refused");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "abs", &st), __WASI_ERRNO_NOENT, "and nothing was created");
    CHECK_ERRNO(__wasi_path_symlink("..", PREOPEN, "inner/parent"), 0, "symlink inner/parent -> ..");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "inner/parent/inner", &st), 0,
                "a symlink to .. inside the pre-open works");

    /* a directory opened below the pre-open is a sandbox of its own */
    __wasi_fd_t inner = (__wasi_fd_t)-1;
    err = __wasi_path_open(PREOPEN, 0, "inner", __WASI_OFLAGS_DIRECTORY,
                           __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_PATH_CREATE_FILE,
                           RIGHTS_RO, 0, &inner);
    CHECK_ERRNO(err, 0, "open inner as a directory");
    CHECK_ERRNO(__wasi_path_filestat_get(inner, 0, "..", &st), __WASI_ERRNO_PERM, "from inner, ..");
    CHECK_ERRNO(__wasi_path_filestat_get(inner, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "parent", &st), __WASI_ERRNO_PERM,
                "from inner, a symlink to ..");
    /* its rights: no PATH_CREATE_DIRECTORY, and files opened through it get at most the rights it
     * passes on (its inheriting rights: RIGHTS_RO) */
    CHECK_ERRNO(__wasi_path_create_directory(inner, "x"), __WASI_ERRNO_NOTCAPABLE, "mkdir without the right");
    __wasi_fd_t f = (__wasi_fd_t)-1;
    err = __wasi_path_open(inner, 0, "new", __WASI_OFLAGS_CREAT, RIGHTS_RO, RIGHTS_RO, 0, &f);
    CHECK_ERRNO(err, 0, "create a file through inner with the rights it passes on");
    __wasi_ciovec_t w = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    CHECK_ERRNO(__wasi_fd_write(f, &w, 1, &n), __WASI_ERRNO_BADF, "writing it without the write right");
    /* a file descriptor is not a directory */
    CHECK_ERRNO(__wasi_path_filestat_get(f, 0, "x", &st), __WASI_ERRNO_NOTCAPABLE,
                "path ops on a file without the right");
    /* asking for more rights than the directory passes on narrows them (as wasmtime), it is no error */
    __wasi_fd_t g = (__wasi_fd_t)-1;
    err = __wasi_path_open(inner, 0, "new", 0, RIGHTS_RW, RIGHTS_RW, 0, &g);
    CHECK_ERRNO(err, 0, "open through inner asking for more rights than it passes on");
    __wasi_fdstat_t fs;
    CHECK(!err && __wasi_fd_fdstat_get(g, &fs) == 0 && !(fs.fs_rights_base & __WASI_RIGHTS_FD_WRITE) &&
              (fs.fs_rights_base & __WASI_RIGHTS_FD_READ),
          "that descriptor has only the rights passed on: read, no write");
    CHECK_ERRNO(__wasi_fd_fdstat_set_rights(PREOPEN, __WASI_RIGHTS_PATH_OPEN, __WASI_RIGHTS_FD_READ), 0,
                "drop the pre-open's rights");
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "y"), __WASI_ERRNO_NOTCAPABLE,
                "the pre-open can no longer mkdir");
    open_at(PREOPEN, "inner/new", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, &err);
    CHECK_ERRNO(err, __WASI_ERRNO_NOTCAPABLE, "nor create files");
    /* stdio is not a directory either */
    CHECK_ERRNO(__wasi_path_create_directory(1, "z"), __WASI_ERRNO_NOTCAPABLE, "mkdir relative to stdout");
    return check_done();
}
