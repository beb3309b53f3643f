/*
 * The compile cache (compile_cache.h; docs/oci.md, "Compiling on first use"). Layout under the
 * cache folder:
 *
 *   x86_64-linux/HEX         the process executable of the module whose SHA-256 is HEX (mode 0755)
 *   x86_64-linux/HEX.lock    flock'ed while HEX is compiled: one compile, every other create waits
 *   x86_64-linux/HEX.error   the compiler's line for a module it refused (status 2: the same module
 *                            always fails the same way), so that 400 waiting creates fail at once
 *   digests/XYZ              memo slots: "KEY HEX", KEY a file's identity; 4096 slots, so the memo
 *                            stays bounded however many rootfs copies (native snapshotter) pass
 *   x86_64-linux/HEX.partial the compiler's output being copied (root's) before it is renamed to HEX
 *   tmp.HEX.XXXXXX/          one compile's work, owned by the compile user (compile_sandbox.h): the
 *                            module's copy, the compiler's output and its files. One left by a crash is
 *                            removed by the next compile of HEX, which holds the lock
 *
 * Only the runtime's user may write the folders (checked): the compile user owns its work folder and
 * nothing else, so it cannot change an executable, a memo or an .error file.
 */
#include "compile_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compile_sandbox.h"
#include "monotonic.h"
#include "sha256.h"

#define PLATFORM "x86_64-linux"
#define OVERLAYFS_MAGIC 0x794c7630
#define MEMO_SLOTS_HEX 3
/* A compiler's message is one line; more is not kept. */
#define MAX_MESSAGE 2048

static char *cache_dir(void) {
    const char *dir = getenv("UNIWASM_CACHE");
    if (!dir || !*dir) return strdup(COMPILE_CACHE_DEFAULT);
    if (dir[0] == '/') return strdup(dir);
    char cwd[PATH_MAX], *out;
    if (!getcwd(cwd, sizeof cwd) || asprintf(&out, "%s/%s", cwd, dir) < 0) return NULL;
    return out;
}

/* Creates path and its parents; the container's user must reach the executables, so 0711. */
static bool make_dirs(const char *path, mode_t mode, char *err, size_t err_size) {
    char *copy = strdup(path);
    for (char *p = copy + 1;; p++) {
        if (*p && *p != '/') continue;
        char saved = *p;
        *p = 0;
        if (mkdir(copy, saved ? 0755 : mode) && errno != EEXIST) {
            snprintf(err, err_size, "cannot create the compile cache %s: %s (UNIWASM_CACHE names another)", copy,
                     strerror(errno));
            free(copy);
            return false;
        }
        if (!saved) break;
        *p = saved;
    }
    free(copy);
    return true;
}

/* A folder of the cache: the runtime's own, written by nobody else (the compile user least of all). */
static bool private_folder(const char *path, char *err, size_t err_size) {
    struct stat st;
    if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
        snprintf(err, err_size, "the compile cache's folder %s is not a folder", path);
        return false;
    }
    if (st.st_uid != geteuid() || (st.st_mode & 022)) {
        snprintf(err, err_size,
                 "the compile cache's folder %s is writable by others (owner %u, mode %04o): it must be "
                 "writable by uniwasm-runtime's user alone (UNIWASM_CACHE names another)",
                 path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
        return false;
    }
    return true;
}

static bool write_whole(int fd, const void *data, size_t size) {
    const char *p = data;
    while (size) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n, size -= (size_t)n;
    }
    return true;
}

/* Small files of the cache are replaced whole (temporary name, rename): a reader never sees half. */
static void write_small_file(const char *path, const char *contents) {
    char *tmp;
    if (asprintf(&tmp, "%s.tmp-%d", path, (int)getpid()) < 0) return;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        bool ok = write_whole(fd, contents, strlen(contents));
        if (close(fd) == 0 && ok && rename(tmp, path) == 0) {
            free(tmp);
            return;
        }
    }
    unlink(tmp);
    free(tmp);
}

static char *read_small_file(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    char *buf = malloc(MAX_MESSAGE + 1);
    ssize_t n = read(fd, buf, MAX_MESSAGE);
    close(fd);
    if (n < 0) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

/* ---- the module's digest, memoised by the file's identity ---- */

/* Decodes mountinfo's octal escapes (\040 for a space...) in place. */
static void unescape_mountinfo(char *s) {
    char *out = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
            *out++ = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
            p += 3;
        } else {
            *out++ = *p;
        }
    }
    *out = 0;
}

/* The option name=VALUE of a mount's comma-separated options (overlay escapes ',' in paths as "\,",
 * which this does not undo: such a path is simply not found, and the digest is computed). */
static char *mount_option(const char *options, const char *name) {
    size_t n = strlen(name);
    for (const char *p = options; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > n && !strncmp(p, name, n) && p[n] == '=') return strndup(p + n + 1, len - n - 1);
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

/* An overlay reports its own st_dev, a new one at every mount, so the same layer file has another
 * identity in each container: the layer file itself (upperdir, then each lowerdir, found through
 * the rootfs's line in mountinfo) is the one that lasts. Its inode must be the one the overlay
 * shows, else (xino, a copy-up through another path) there is no identity and the digest is computed. */
static bool overlay_layer_stat(const char *rootfs, const char *path, const struct stat *seen, struct stat *layer) {
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f) return false;
    char *line = NULL, *options = NULL;
    size_t cap = 0;
    while (!options && getline(&line, &cap, f) > 0) {
        /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS */
        char *fields[5], *save = NULL, *p = line;
        int i = 0;
        for (char *t; i < 5 && (t = strtok_r(p, " ", &save)); p = NULL) fields[i++] = t;
        if (i < 5) continue;
        unescape_mountinfo(fields[4]);
        if (strcmp(fields[4], rootfs)) continue;
        char *dash = save ? strstr(save, " - ") : NULL;
        if (!dash) continue;
        char *type = strtok_r(dash + 3, " ", &save), *source = strtok_r(NULL, " ", &save),
             *super = strtok_r(NULL, " \n", &save);
        if (type && source && super && !strcmp(type, "overlay")) {
            unescape_mountinfo(super);
            options = strdup(super);
        }
    }
    free(line);
    fclose(f);
    if (!options) return false;
    char *upper = mount_option(options, "upperdir"), *lower = mount_option(options, "lowerdir");
    bool found = false;
    char *layers = NULL;
    if (asprintf(&layers, "%s%s%s", upper ? upper : "", upper && lower ? ":" : "", lower ? lower : "") >= 0) {
        char *save = NULL;
        for (char *dir = strtok_r(layers, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
            char *candidate;
            if (asprintf(&candidate, "%s/%s", dir, path) < 0) break;
            found = lstat(candidate, layer) == 0 && S_ISREG(layer->st_mode) && layer->st_ino == seen->st_ino &&
                    layer->st_size == seen->st_size;
            free(candidate);
        }
    }
    free(layers);
    free(upper);
    free(lower);
    free(options);
    return found;
}

/* The file's identity: device, inode, size, mtime and ctime. ctime is the kernel's (set when the file
 * was written or unpacked, never by an image), so a new file with a reused inode and a copied mtime
 * still differs. */
static bool identity(int fd, const char *rootfs, const char *path, char *key, size_t key_size) {
    struct stat st;
    struct statfs fs;
    if (fstat(fd, &st) || fstatfs(fd, &fs)) return false;
    if (fs.f_type == OVERLAYFS_MAGIC) {
        struct stat layer;
        if (!rootfs || !path || !overlay_layer_stat(rootfs, path, &st, &layer)) return false;
        st = layer;
    }
    snprintf(key, key_size, "%llx-%llx-%llx-%lld.%09ld-%lld.%09ld", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino, (unsigned long long)st.st_size, (long long)st.st_mtim.tv_sec,
             st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
    return true;
}

static char *memo_slot(const char *cache, const char *key) {
    struct sha256 s;
    char hex[65], *slot;
    sha256_init(&s);
    sha256_update(&s, key, strlen(key));
    sha256_final_hex(&s, hex);
    if (asprintf(&slot, "%s/digests/%.*s", cache, MEMO_SLOTS_HEX, hex) < 0) return NULL;
    return slot;
}

static bool hash_fd(int fd, char hex[65], int copy_to) {
    struct sha256 s;
    sha256_init(&s);
    size_t size = 1 << 20;
    char *buf = malloc(size);
    off_t offset = 0;
    for (;;) {
        ssize_t n = pread(fd, buf, size, offset);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || (copy_to >= 0 && !write_whole(copy_to, buf, (size_t)n))) {
            free(buf);
            return false;
        }
        if (n == 0) break;
        sha256_update(&s, buf, (size_t)n);
        offset += n;
    }
    free(buf);
    sha256_final_hex(&s, hex);
    return true;
}

static bool module_digest(const char *cache, int fd, const char *rootfs, const char *path, struct compiled *out,
                          char *err, size_t err_size) {
    char key[160];
    char *slot = identity(fd, rootfs, path, key, sizeof key) ? memo_slot(cache, key) : NULL;
    if (slot) {
        char *memo = read_small_file(slot);
        size_t n = strlen(key);
        if (memo && !strncmp(memo, key, n) && memo[n] == ' ' && strspn(memo + n + 1, "0123456789abcdef") >= 64) {
            memcpy(out->digest, memo + n + 1, 64);
            out->digest[64] = 0;
            free(memo);
            free(slot);
            return true;
        }
        free(memo);
    }
    if (!hash_fd(fd, out->digest, -1)) {
        snprintf(err, err_size, "cannot read the module: %s", strerror(errno));
        free(slot);
        return false;
    }
    if (slot) {
        char line[256];
        snprintf(line, sizeof line, "%s %s\n", key, out->digest);
        write_small_file(slot, line);
        free(slot);
    }
    return true;
}

/* ---- compiling ---- */

/* UNIWASM_CLI, or the project's launcher: this executable is PROJECT/build/bin/uniwasm-runtime. */
static char *cli_path(void) {
    const char *cli = getenv("UNIWASM_CLI");
    if (cli && *cli) return strdup(cli);
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return NULL;
    self[n] = 0;
    for (int up = 0; up < 3; up++) {
        char *slash = strrchr(self, '/');
        if (!slash) return NULL;
        *slash = 0;
    }
    char *out;
    if (asprintf(&out, "%s/uniwasm", self) < 0) return NULL;
    return out;
}

/* The compiler's message: its first line, past the launcher's notice that it is building uniwasm. */
static void first_line(int messages_fd, char *out, size_t out_size) {
    out[0] = 0;
    int fd = dup(messages_fd);
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        if (fd >= 0) close(fd);
        return;
    }
    rewind(f);
    char line[MAX_MESSAGE];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || !strncmp(line, "uniwasm: building ", 18)) continue;
        snprintf(out, out_size, "%s", line);
        break;
    }
    fclose(f);
}

/* An unnamed file for the compiler's messages: outside its work folder, where it could swap the
 * name for a link to a file of root's that the message would then show. */
static int messages_file(const char *cache) {
    int fd = open(cache, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    char *name;
    if (asprintf(&name, "%s/messages.XXXXXX", cache) < 0) return -1;
    fd = mkostemp(name, O_CLOEXEC);
    if (fd >= 0) unlink(name);
    free(name);
    return fd;
}

/* Copies the compiler's output (name in the work folder) to executable: a file of root's, not the
 * compile user's, so that it cannot change the executable every container of the module runs. */
static bool take_output(int work_fd, const char *name, const struct compile_user *user, const char *executable,
                        char *err, size_t err_size) {
    int in = openat(work_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (in < 0 || fstat(in, &st)) {
        if (errno == ELOOP) snprintf(err, err_size, "the compiler's output %s is a symbolic link: refused", name);
        else snprintf(err, err_size, "the compiler's output %s cannot be opened: %s", name, strerror(errno));
        if (in >= 0) close(in);
        return false;
    }
    /* a hard link would name a file of someone else's; a compile user owns what it wrote */
    if (!S_ISREG(st.st_mode) || st.st_size == 0 || st.st_nlink != 1 || (!user->as_self && st.st_uid != user->uid)) {
        snprintf(err, err_size,
                 "the compiler's output %s is not a regular file of its own with one name and some bytes: refused",
                 name);
        close(in);
        return false;
    }
    char *partial;
    if (asprintf(&partial, "%s.partial", executable) < 0) {
        close(in);
        return false;
    }
    /* under the digest's lock, so the name is this compile's; a crash's is truncated */
    int out = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0700);
    bool ok = out >= 0;
    char *buf = malloc(1 << 20);
    for (off_t offset = 0; ok;) {
        ssize_t n = pread(in, buf, 1 << 20, offset);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        ok = write_whole(out, buf, (size_t)n);
        offset += n;
    }
    free(buf);
    close(in);
    /* on disk before its name: a crash must not leave a named but empty executable */
    if (ok) ok = fchmod(out, 0755) == 0 && fsync(out) == 0;
    if (out >= 0 && close(out)) ok = false;
    if (ok) ok = rename(partial, executable) == 0;
    if (!ok) {
        snprintf(err, err_size, "cannot put the compiled module at %s: %s", executable, strerror(errno));
        unlink(partial);
    }
    free(partial);
    return ok;
}

/* Compiles the module (open as fd, with this digest) into executable. Called under the digest's lock. */
static int compile(const char *cache, int fd, const char *name, const char *executable, struct compiled *out, char *err,
                   size_t err_size) {
    struct compile_user user;
    long timeout;
    if (!compile_sandbox_user(&user, err, err_size) || !compile_sandbox_timeout(&timeout, err, err_size)) return 1;
    int cache_fd = open(cache, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cache_fd < 0) {
        snprintf(err, err_size, "cannot open the compile cache %s: %s", cache, strerror(errno));
        return 1;
    }
    /* under the digest's lock, another work folder of this digest is a crashed compile's */
    char *stale;
    glob_t found;
    if (asprintf(&stale, "%s/tmp.%s.*", cache, out->digest) >= 0 && glob(stale, GLOB_NOSORT, NULL, &found) == 0) {
        for (size_t i = 0; i < found.gl_pathc; i++)
            compile_sandbox_remove(cache_fd, strrchr(found.gl_pathv[i], '/') + 1);
        globfree(&found);
    }
    char *work, *out_name = NULL, *cli = NULL;
    int work_fd = -1, messages = -1, status = 1;
    if (asprintf(&work, "%s/tmp.%s.XXXXXX", cache, out->digest) < 0 || !mkdtemp(work)) {
        snprintf(err, err_size, "cannot make a folder in the compile cache %s: %s", cache, strerror(errno));
        close(cache_fd);
        return 1;
    }
    const char *work_name = strrchr(work, '/') + 1;
    work_fd = open(work, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    char copied[65];
    if (work_fd < 0 || (messages = messages_file(cache)) < 0 || asprintf(&out_name, "%s." PLATFORM, name) < 0) {
        snprintf(err, err_size, "cannot prepare a compile in %s: %s", work, strerror(errno));
        goto done;
    }
    /* the compiler reads a copy, checked against the digest: the rootfs cannot change it meanwhile;
     * root's, so readable but not writable by the compile user */
    int copy = openat(work_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    bool copied_ok = copy >= 0 && hash_fd(fd, copied, copy);
    if (copy >= 0 && close(copy)) copied_ok = false;
    if (!copied_ok) {
        snprintf(err, err_size, "cannot copy the module into %s: %s", work, strerror(errno));
        goto done;
    }
    if (strcmp(copied, out->digest)) {
        snprintf(err, err_size, "the module changed while it was read");
        goto done;
    }
    cli = cli_path();
    if (!cli || access(cli, X_OK)) {
        snprintf(err, err_size, "no uniwasm CLI to compile with at %s (set UNIWASM_CLI to the uniwasm command)",
                 cli ? cli : "(unknown)");
        goto done;
    }
    /* the compile user's folder, and only it: 0700, as mkdtemp made it */
    if (!user.as_self && fchown(work_fd, user.uid, user.gid)) {
        snprintf(err, err_size, "cannot give %s to the compile user %s: %s", work, user.shown, strerror(errno));
        goto done;
    }
    long long began = monotonic_ms();
    /* relative names: the compiler's messages name the module as the image does */
    char *argv[] = {cli, "build", "--isolation", "process", "-o", out_name, (char *)name, NULL};
    struct compile_run run;
    if (!compile_sandbox_run(&user, work, messages, cli, argv, timeout, &run, err, err_size)) goto done;
    out->compile_ms = monotonic_ms() - began;
    int ws = run.wait_status;
    if (run.timed_out) {
        snprintf(err, err_size, "the compile took longer than UNIWASM_COMPILE_TIMEOUT (%ld s) and was stopped",
                 timeout);
        goto done;
    }
    bool succeeded = WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
    /* whatever the compiler said then, memory ran out (in a tool it ran, say): not the module's fault */
    if (!succeeded && run.out_of_memory) {
        snprintf(err, err_size,
                 "the compile was killed by the OOM killer: out of memory in the cgroup %s (limit %s) of "
                 "uniwasm-runtime, which compiles run in, not the container's; the next create retries",
                 run.memory_cgroup, run.memory_limit);
        goto done;
    }
    if (succeeded) {
        if (!take_output(work_fd, out_name, &user, executable, err, err_size)) goto done;
        out->compiled_now = true;
        status = 0;
        goto done;
    }
    char line[MAX_MESSAGE];
    first_line(messages, line, sizeof line);
    if (!line[0]) {
        if (WIFEXITED(ws)) snprintf(line, sizeof line, "%s ended with status %d and no message", cli, WEXITSTATUS(ws));
        else snprintf(line, sizeof line, "%s was killed by signal %d", cli, WTERMSIG(ws));
    }
    snprintf(err, err_size, "%s", line);
    /* status 2 is the module's own fault (README.md, "Exit status"): it would fail again */
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 2) {
        status = 2;
        char *error_file, *contents;
        if (asprintf(&error_file, "%s.error", executable) >= 0 && asprintf(&contents, "%s\n", line) >= 0) {
            write_small_file(error_file, contents);
        }
    }
done:
    if (messages >= 0) close(messages);
    if (work_fd >= 0) close(work_fd);
    compile_sandbox_remove(cache_fd, work_name);
    close(cache_fd);
    return status;
}

static int get(int fd, const char *name, const char *rootfs, const char *path, struct compiled *out, char *err,
               size_t err_size) {
    memset(out, 0, sizeof *out);
    char *cache = cache_dir(), *folder = NULL, *lock_path = NULL, *error_path = NULL;
    if (!cache) {
        snprintf(err, err_size, "cannot find the compile cache's folder: %s", strerror(errno));
        return 1;
    }
    if (asprintf(&folder, "%s/" PLATFORM, cache) < 0) return 1;
    char *digests;
    if (asprintf(&digests, "%s/digests", cache) < 0 || !make_dirs(folder, 0711, err, err_size) ||
        !make_dirs(digests, 0700, err, err_size) || !private_folder(cache, err, err_size) ||
        !private_folder(folder, err, err_size) || !private_folder(digests, err, err_size)) {
        return 1;
    }
    if (!module_digest(cache, fd, rootfs, path, out, err, err_size)) return 1;
    if (asprintf(&out->executable, "%s/%s", folder, out->digest) < 0 ||
        asprintf(&lock_path, "%s.lock", out->executable) < 0 ||
        asprintf(&error_path, "%s.error", out->executable) < 0) {
        return 1;
    }
    struct stat st;
    if (stat(out->executable, &st) == 0 && S_ISREG(st.st_mode)) return 0;

    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0) {
        snprintf(err, err_size, "cannot open %s: %s", lock_path, strerror(errno));
        return 1;
    }
    while (flock(lock, LOCK_EX)) {
        if (errno != EINTR) {
            snprintf(err, err_size, "cannot lock %s: %s", lock_path, strerror(errno));
            close(lock);
            return 1;
        }
    }
    int status = 0;
    char *refused = read_small_file(error_path);
    if (stat(out->executable, &st) == 0 && S_ISREG(st.st_mode)) {
        status = 0; /* another create compiled it while this one waited */
    } else if (refused) {
        refused[strcspn(refused, "\n")] = 0;
        snprintf(err, err_size, "%s", refused);
        status = 2;
    } else {
        status = compile(cache, fd, name, out->executable, out, err, err_size);
    }
    close(lock);
    return status;
}

bool compile_cache_get(int module_fd, const char *name, const char *rootfs, const char *path, struct compiled *out,
                       char *err, size_t err_size) {
    return get(module_fd, name, rootfs, path, out, err, err_size) == 0;
}

int compile_cache_command(int argc, char **argv) {
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fprintf(argc < 1 ? stderr : stdout,
                "usage: uniwasm-runtime compile APP.wasm...\n"
                "Compiles each module into the compile cache (UNIWASM_CACHE, default " COMPILE_CACHE_DEFAULT
                "), where "
                "containers of images that carry it without a compiled form find it.\n");
        return argc < 1 ? 2 : 0;
    }
    int worst = 0;
    for (int i = 0; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
            fprintf(stderr, "uniwasm-runtime: compile %s: %s\n", argv[i],
                    fd < 0 ? strerror(errno) : "not a regular file");
            if (fd >= 0) close(fd);
            worst = 2;
            continue;
        }
        const char *slash = strrchr(argv[i], '/');
        struct compiled c;
        char err[4096];
        int status = get(fd, slash ? slash + 1 : argv[i], NULL, NULL, &c, err, sizeof err);
        close(fd);
        if (status) {
            fprintf(stderr, "uniwasm-runtime: compile %s: %s\n", argv[i], err);
            if (status > worst) worst = status;
            continue;
        }
        if (c.compiled_now)
            printf("%s sha256:%s compiled in %ld ms: %s\n", argv[i], c.digest, c.compile_ms, c.executable);
        else printf("%s sha256:%s cached: %s\n", argv[i], c.digest, c.executable);
    }
    return worst;
}
