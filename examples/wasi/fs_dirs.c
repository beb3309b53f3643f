/* Directories and names on a writable pre-open (fd 3): create/remove directory, unlink, rename,
 * symlink, readlink, link, path_filestat_get (with and without following symlinks),
 * path_filestat_set_times, and fd_readdir with cookies over a directory of 3000 entries. */
#include "check.h"

#define MANY 3000

static void touch(const char *path) {
    __wasi_errno_t err;
    __wasi_fd_t fd = open_at(PREOPEN, path, __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &err);
    if (err) {
        printf("FAIL creating %s: %s\n", path, errno_name(err));
        check_failures++;
        return;
    }
    (void)__wasi_fd_close(fd);
}

/* Reads the whole directory with a small buffer, resuming from each entry's d_next cookie;
 * counts entries and checks every name f<i> appears exactly once. */
static void readdir_all(__wasi_fd_t dir, size_t bufsize) {
    static unsigned char seen[MANY];
    memset(seen, 0, sizeof seen);
    unsigned char *buf = malloc(bufsize);
    __wasi_dircookie_t cookie = 0;
    int dots = 0, files = 0, bad = 0, calls = 0;
    for (;;) {
        __wasi_size_t used;
        __wasi_errno_t err = __wasi_fd_readdir(dir, buf, bufsize, cookie, &used);
        calls++;
        if (err) {
            printf("FAIL fd_readdir: %s\n", errno_name(err));
            check_failures++;
            break;
        }
        size_t pos = 0;
        while (pos + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + pos, sizeof d);
            if (pos + sizeof d + d.d_namlen > used) break; /* cut entry: ask again from its cookie */
            const char *name = (const char *)buf + pos + sizeof d;
            if ((d.d_namlen == 1 && name[0] == '.') || (d.d_namlen == 2 && name[0] == '.' && name[1] == '.')) {
                if (d.d_type == __WASI_FILETYPE_DIRECTORY) dots++;
                else bad++;
            } else {
                char tmp[32] = {0};
                memcpy(tmp, name, d.d_namlen < 31 ? d.d_namlen : 31);
                int i = atoi(tmp + 1);
                if (tmp[0] != 'f' || i < 0 || i >= MANY || seen[i]++ || d.d_type != __WASI_FILETYPE_REGULAR_FILE) bad++;
                files++;
            }
            cookie = d.d_next;
            pos += sizeof d + d.d_namlen;
        }
        if (used < bufsize) break;
    }
    free(buf);
    char what[96];
    /* two checks, so that a runtime leaving out . and .. fails only the second */
    snprintf(what, sizeof what, "readdir with a %zu-byte buffer: %d files, each once, as regular files", bufsize, MANY);
    CHECK(files == MANY && bad == 0, what);
    snprintf(what, sizeof what, "readdir with a %zu-byte buffer: . and .. listed, as directories", bufsize);
    CHECK(dots == 2, what);
    snprintf(what, sizeof what, "readdir with a %zu-byte buffer took several calls", bufsize);
    CHECK(bufsize > 100000 || calls > 1, what);
}

int main(void) {
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "d"), 0, "path_create_directory");
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "d"), __WASI_ERRNO_EXIST, "path_create_directory twice");
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "nope/d"), __WASI_ERRNO_NOENT,
                "path_create_directory under a missing dir");
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "d/e/"), 0, "path_create_directory with a trailing slash");
    touch("d/file");
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "d/file/x"), __WASI_ERRNO_NOTDIR,
                "a file in the middle of a path");

    __wasi_filestat_t st;
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d", &st), 0, "path_filestat_get of a directory");
    CHECK(st.filetype == __WASI_FILETYPE_DIRECTORY, "d is a directory");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/e/../file", &st), 0, "path_filestat_get through ..");
    CHECK(st.filetype == __WASI_FILETYPE_REGULAR_FILE, "d/e/../file is a file");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/missing", &st), __WASI_ERRNO_NOENT,
                "path_filestat_get of a missing file");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/file/", &st), __WASI_ERRNO_NOTDIR,
                "a trailing slash on a file");

    CHECK_ERRNO(__wasi_path_remove_directory(PREOPEN, "d"), __WASI_ERRNO_NOTEMPTY,
                "path_remove_directory of a non-empty dir");
    CHECK_ERRNO(__wasi_path_remove_directory(PREOPEN, "d/file"), __WASI_ERRNO_NOTDIR,
                "path_remove_directory of a file");
    CHECK_ERRNO(__wasi_path_remove_directory(PREOPEN, "."), __WASI_ERRNO_INVAL, "path_remove_directory of .");
    CHECK_ERRNO(__wasi_path_remove_directory(PREOPEN, "d/e"), 0, "path_remove_directory");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/e", &st), __WASI_ERRNO_NOENT, "the removed directory is gone");

    CHECK_ERRNO(__wasi_path_unlink_file(PREOPEN, "d"), __WASI_ERRNO_ISDIR, "path_unlink_file of a directory");
    CHECK_ERRNO(__wasi_path_unlink_file(PREOPEN, "d/missing"), __WASI_ERRNO_NOENT,
                "path_unlink_file of a missing file");

    /* an unlinked file stays readable through an open descriptor */
    __wasi_errno_t err;
    __wasi_fd_t fd = open_at(PREOPEN, "d/file", 0, RIGHTS_RW, 0, &err);
    __wasi_ciovec_t w = {(const uint8_t *)"kept", 4};
    __wasi_size_t n;
    CHECK_ERRNO(__wasi_fd_write(fd, &w, 1, &n), 0, "write before unlink");
    CHECK_ERRNO(__wasi_path_unlink_file(PREOPEN, "d/file"), 0, "path_unlink_file");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/file", &st), __WASI_ERRNO_NOENT, "the unlinked file is gone");
    char buf[16] = {0};
    __wasi_iovec_t r = {(uint8_t *)buf, sizeof buf};
    CHECK_ERRNO(__wasi_fd_pread(fd, &r, 1, 0, &n), 0, "pread after unlink");
    CHECK(n == 4 && !memcmp(buf, "kept", 4), "the open descriptor still reads the data");
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), 0, "filestat of the unlinked file");
    CHECK(st.nlink == 0, "the unlinked file has no links");
    (void)__wasi_fd_close(fd);

    /* rename */
    touch("d/x");
    CHECK_ERRNO(__wasi_path_rename(PREOPEN, "d/x", PREOPEN, "d/y"), 0, "path_rename a file");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/x", &st), __WASI_ERRNO_NOENT, "old name gone");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/y", &st), 0, "new name present");
    touch("z");
    CHECK_ERRNO(__wasi_path_rename(PREOPEN, "z", PREOPEN, "d/y"), 0, "path_rename over an existing file");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "z", &st), __WASI_ERRNO_NOENT, "renamed-over source gone");
    CHECK_ERRNO(__wasi_path_rename(PREOPEN, "d", PREOPEN, "d/sub"), __WASI_ERRNO_INVAL,
                "renaming a directory into itself");
    CHECK_ERRNO(__wasi_path_rename(PREOPEN, "d/y", PREOPEN, "."), __WASI_ERRNO_BUSY, "renaming onto .");
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "e"), 0, "mkdir e");
    CHECK_ERRNO(__wasi_path_rename(PREOPEN, "d/y", PREOPEN, "e"), __WASI_ERRNO_ISDIR,
                "renaming a file over a directory");
    CHECK_ERRNO(__wasi_path_rename(PREOPEN, "e", PREOPEN, "d/y"), __WASI_ERRNO_NOTDIR,
                "renaming a directory over a file");
    CHECK_ERRNO(__wasi_path_rename(PREOPEN, "e", PREOPEN, "d/e2"), 0, "path_rename a directory");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/e2/..", &st), 0, "the moved directory's .. is its new parent");
    CHECK_ERRNO(__wasi_path_rename(PREOPEN, "missing", PREOPEN, "m2"), __WASI_ERRNO_NOENT, "renaming a missing name");

    /* symlinks */
    CHECK_ERRNO(__wasi_path_symlink("d/y", PREOPEN, "link"), 0, "path_symlink");
    CHECK_ERRNO(__wasi_path_symlink("d/y", PREOPEN, "link"), __WASI_ERRNO_EXIST, "path_symlink over an existing name");
    char target[32] = {0};
    __wasi_size_t used;
    CHECK_ERRNO(__wasi_path_readlink(PREOPEN, "link", (uint8_t *)target, sizeof target, &used), 0, "path_readlink");
    CHECK(used == 3 && !memcmp(target, "d/y", 3), "readlink gives the target");
    CHECK_ERRNO(__wasi_path_readlink(PREOPEN, "link", (uint8_t *)target, 2, &used), 0,
                "path_readlink into a short buffer");
    CHECK(used == 2, "readlink truncates to the buffer");
    CHECK_ERRNO(__wasi_path_readlink(PREOPEN, "d/y", (uint8_t *)target, sizeof target, &used), __WASI_ERRNO_INVAL,
                "readlink of a file");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "link", &st), 0, "path_filestat_get without follow");
    CHECK(st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK, "without follow: a symlink");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", &st), 0,
                "path_filestat_get with follow");
    CHECK(st.filetype == __WASI_FILETYPE_REGULAR_FILE, "with follow: the file");
    fd = open_at(PREOPEN, "link", 0, RIGHTS_RO, 0, &err);
    CHECK_ERRNO(err, 0, "path_open follows a symlink");
    (void)__wasi_fd_close(fd);
    fd = (__wasi_fd_t)-1;
    err = __wasi_path_open(PREOPEN, 0, "link", 0, RIGHTS_RO, RIGHTS_RO, 0, &fd);
    CHECK_ERRNO(err, __WASI_ERRNO_LOOP, "path_open without follow on a symlink");
    CHECK_ERRNO(__wasi_path_symlink("loop2", PREOPEN, "loop1"), 0, "symlink loop1");
    CHECK_ERRNO(__wasi_path_symlink("loop1", PREOPEN, "loop2"), 0, "symlink loop2");
    open_at(PREOPEN, "loop1", 0, RIGHTS_RO, 0, &err);
    CHECK_ERRNO(err, __WASI_ERRNO_LOOP, "a symlink loop");
    CHECK_ERRNO(__wasi_path_symlink("d", PREOPEN, "dirlink"), 0, "symlink to a directory");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "dirlink/y", &st), 0,
                "a symlink in the middle of a path is followed");
    CHECK_ERRNO(__wasi_path_unlink_file(PREOPEN, "dirlink"), 0, "path_unlink_file removes the link, not the directory");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/y", &st), 0, "the directory's contents survive");

    /* path_filestat_set_times */
    CHECK_ERRNO(__wasi_path_filestat_set_times(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", 5000000000ull,
                                               6000000000ull, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
                0, "path_filestat_set_times through a link");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/y", &st), 0, "stat the link's target");
    CHECK(st.atim == 5000000000ull && st.mtim == 6000000000ull, "the target's times were set");
    CHECK_ERRNO(__wasi_path_filestat_set_times(PREOPEN, 0, "nothing", 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
                __WASI_ERRNO_NOENT, "set_times on a missing path");

    /* hard links */
    CHECK_ERRNO(__wasi_path_link(PREOPEN, 0, "d/y", PREOPEN, "hard"), 0, "path_link");
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "hard", &st), 0, "stat the hard link");
    CHECK(st.nlink == 2, "a hard link counts two links");
    __wasi_filestat_t st2;
    CHECK_ERRNO(__wasi_path_filestat_get(PREOPEN, 0, "d/y", &st2), 0, "stat the original");
    CHECK(st.ino == st2.ino, "both names have one inode");
    CHECK_ERRNO(__wasi_path_link(PREOPEN, 0, "d", PREOPEN, "dhard"), __WASI_ERRNO_PERM, "path_link of a directory");
    CHECK_ERRNO(__wasi_path_link(PREOPEN, 0, "d/y", PREOPEN, "hard"), __WASI_ERRNO_EXIST,
                "path_link onto an existing name");

    /* many entries */
    CHECK_ERRNO(__wasi_path_create_directory(PREOPEN, "many"), 0, "mkdir many");
    char name[32];
    for (int i = 0; i < MANY; i++) {
        snprintf(name, sizeof name, "many/f%d", i);
        touch(name);
    }
    __wasi_fd_t many = open_at(PREOPEN, "many", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, &err);
    CHECK_ERRNO(err, 0, "open the directory");
    readdir_all(many, 300);
    readdir_all(many, 4096);
    readdir_all(many, 1 << 20);
    /* a cookie past the end gives an empty buffer */
    unsigned char small[64];
    __wasi_size_t got;
    CHECK_ERRNO(__wasi_fd_readdir(many, small, sizeof small, MANY + 10, &got), 0, "readdir past the end");
    CHECK(got == 0, "readdir past the end returns nothing");
    CHECK_ERRNO(__wasi_fd_readdir(PREOPEN + 100, small, sizeof small, 0, &got), __WASI_ERRNO_BADF,
                "readdir on a closed fd");
    fd = open_at(PREOPEN, "hard", 0, RIGHTS_RO | __WASI_RIGHTS_FD_READDIR, 0, &err);
    CHECK_ERRNO(__wasi_fd_readdir(fd, small, sizeof small, 0, &got), __WASI_ERRNO_NOTDIR, "readdir on a file");
    return check_done();
}
