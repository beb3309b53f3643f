/*
 * uniwasm-runtime: an OCI runtime with runc's command line, for containerd's runc shim
 * (containerd-shim-runc-v2 with BinaryName or `ctr run --runc-binary`). A bundle of a uniwasm image
 * (docs/oci.md) runs as the app's process executable, compiled ahead of time into the image or, for
 * an image without one, by the compile cache on first use (compile_cache.c), or with the annotation
 * dev.uniwasm.isolation=vm as the image's VM under QEMU (vm.c); every other bundle,
 * and every command about a container that is not ours, is handed to runc unchanged.
 *
 * The life of a uniwasm container follows runc's, since the shim relies on it: `create` forks the
 * container's process, which joins the container's cgroups and namespaces (namespaces.c) and waits
 * on <root>/<id>/exec.fifo;
 * `create` writes the pid file and exits, so the process becomes the child of the shim (a
 * subreaper), which reaps it and reports its exit status; `start` opens the FIFO, which lets the
 * process exec the app (or, for a VM, start QEMU and relay its serial ports); `kill` signals it;
 * `delete` kills what is left and removes every file and cgroup; `update` changes the cgroups'
 * limits (resources.c); config.json's hooks run at their points of that life (hooks.c runs them;
 * docs/oci.md, "Hooks"). Errors are one line on stderr and,
 * as JSON, in the --log file, where the shim reads the last one; the exit status is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "compile_cache.h"
#include "console.h"
#include "hooks.h"
#include "json.h"
#include "limits.h"
#include "namespaces.h"
#include "in_root.h"
#include "resources.h"
#include "vm.h"

/* The layer's layout (docs/oci.md; dev.uniwasm.oci.WasmImage writes it). */
#define COMPILED_FOLDER ".uniwasm"
#define PROCESS_PLATFORM "x86_64-linux"
#define SOURCE_SUFFIX ".source"
/* The annotation that chooses the way of running (README.md, "Containers"). */
#define ISOLATION_ANNOTATION "dev.uniwasm.isolation"
#define DEFAULT_ROOT "/run/uniwasm-runtime"
#define STATE_FILE "uniwasm-state.json"
#define FIFO_FILE "exec.fifo"
/* config.json is a few KiB; a bound keeps a wrong file from being read whole. */
#define MAX_JSON_FILE (4 << 20)
/* How long start waits for a created process to reach its FIFO, and delete for a killed one to go. */
#define START_WAIT_MS 10000
#define KILL_WAIT_MS 5000

static const char *log_path;
static bool log_json = true;

static void log_line(const char *level, const char *message) {
    if (!log_path) return;
    int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "a");
    if (!f) {
        close(fd);
        return;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    char stamp[64];
    snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec);
    if (log_json) {
        fputs("{\"level\":", f);
        json_write_string(f, level);
        fputs(",\"msg\":", f);
        json_write_string(f, message);
        fprintf(f, ",\"time\":\"%s\"}\n", stamp);
    } else {
        fprintf(f, "time=\"%s\" level=%s msg=", stamp, level);
        json_write_string(f, message);
        fputc('\n', f);
    }
    fclose(f);
}

/* The one way out on an error: a line on stderr, the same in the log, status 1 (as runc). */
__attribute__((noreturn, format(printf, 1, 2))) static void fail(const char *format, ...) {
    char message[4096];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    fprintf(stderr, "uniwasm-runtime: %s\n", message);
    log_line("error", message);
    exit(1);
}

static char *text(const char *format, ...) __attribute__((format(printf, 1, 2)));
static char *text(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    char *s;
    if (vasprintf(&s, format, ap) < 0) fail("out of memory");
    va_end(ap);
    return s;
}

static char *read_file(const char *path, size_t *length) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_JSON_FILE) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf) fail("out of memory");
    size_t n = 0;
    while (n < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = 0;
    *length = n;
    return buf;
}

static struct json *read_json(const char *path, const char *what) {
    size_t length;
    char *bytes = read_file(path, &length);
    if (!bytes)
        fail("cannot read %s %s: %s", what, path,
             errno == EINVAL ? "not a regular file of at most 4 MiB" : strerror(errno));
    char err[256];
    struct json *v = json_parse(bytes, length, err, sizeof err);
    if (!v) fail("%s %s is not valid JSON: %s", what, path, err);
    return v;
}

/* Writes path whole or not at all: the shim and other runtime commands may read it at any time. */
static void write_atomically(const char *path, const char *contents) {
    char *tmp = text("%s.tmp-%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot write %s: %s", tmp, strerror(errno));
    size_t n = strlen(contents);
    if (write(fd, contents, n) != (ssize_t)n || close(fd)) {
        unlink(tmp);
        fail("cannot write %s: %s", tmp, strerror(errno));
    }
    if (rename(tmp, path)) {
        unlink(tmp);
        fail("cannot write %s: %s", path, strerror(errno));
    }
}

/* ---- handing over to runc ---- */

static char **original_argv;

/* runc from UNIWASM_RUNC or PATH, never this program itself (installed as 'runc', it would loop). */
__attribute__((noreturn)) static void exec_runc(void) {
    const char *runc = getenv("UNIWASM_RUNC");
    char *found = NULL;
    if (runc && *runc) {
        found = strdup(runc);
    } else {
        const char *path = getenv("PATH");
        if (!path || !*path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        char *dirs = strdup(path);
        for (char *dir = strtok(dirs, ":"); dir && !found; dir = strtok(NULL, ":")) {
            char *candidate = text("%s/runc", *dir ? dir : ".");
            if (access(candidate, X_OK) == 0) found = candidate;
            else free(candidate);
        }
    }
    if (!found)
        fail("not a uniwasm bundle or container, and runc is not installed (nor named by UNIWASM_RUNC) to run it");
    struct stat self, other;
    if (stat("/proc/self/exe", &self) == 0 && stat(found, &other) == 0 && self.st_dev == other.st_dev &&
        self.st_ino == other.st_ino) {
        fail("%s is uniwasm-runtime itself; set UNIWASM_RUNC to the real runc", found);
    }
    original_argv[0] = found;
    execv(found, original_argv);
    fail("cannot run %s: %s", found, strerror(errno));
}

/* ---- container state ---- */

struct state {
    char *id;
    char *dir; /* <root>/<id> */
    pid_t pid;
    unsigned long long start_time; /* the process's start time in clock ticks: a reused pid is not ours */
    char *bundle;
    char *rootfs;
    char *created;
    const struct json *annotations;
    struct cgroups cgroups;
    struct hooks hooks; /* config.json's, as create read them: poststart and poststop run later */
};

static bool valid_id(const char *id) {
    if (!*id || strlen(id) > 1024 || !strcmp(id, ".") || !strcmp(id, "..")) return false;
    for (const char *p = id; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.' || c == '+')) {
            return false;
        }
    }
    return true;
}

static char *container_dir(const char *root, const char *id) { return text("%s/%s", root, id); }

static bool is_ours(const char *root, const char *id) {
    if (!valid_id(id)) return false;
    char *path = text("%s/%s/" STATE_FILE, root, id);
    bool ours = access(path, F_OK) == 0;
    free(path);
    return ours;
}

/* Field 22 of /proc/PID/stat, and whether the process is alive (not a zombie). */
static bool process_info(pid_t pid, unsigned long long *start_time, bool *alive) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return false;
    buf[n] = 0;
    /* the command name may hold spaces and parentheses: fields count from the last ')' */
    char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ') return false;
    char status = p[2];
    p += 2;
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (!p) return false;
        p++;
    }
    *start_time = strtoull(p, NULL, 10);
    *alive = status != 'Z' && status != 'X';
    return true;
}

static bool running(const struct state *st) {
    unsigned long long start;
    bool alive;
    return process_info(st->pid, &start, &alive) && alive && start == st->start_time;
}

/* As runc tells them: stopped once the process is gone, paused while its cgroup is frozen (created
 * or running before), created until start, then running. */
static const char *status_of(const struct state *st) {
    if (!running(st)) return "stopped";
    if (cgroups_frozen(&st->cgroups)) return "paused";
    char *fifo = text("%s/" FIFO_FILE, st->dir);
    bool waiting = access(fifo, F_OK) == 0;
    free(fifo);
    return waiting ? "created" : "running";
}

/* The container's state as `state` prints it and hooks get it on stdin (the spec's "State"). */
static char *state_json(const struct state *st, const char *status, pid_t pid) {
    char *buf;
    size_t size;
    FILE *f = open_memstream(&buf, &size);
    if (!f) fail("out of memory");
    fputs("{\"ociVersion\":\"1.0.2\",\"id\":", f);
    json_write_string(f, st->id);
    fprintf(f, ",\"pid\":%d,\"status\":\"%s\",\"bundle\":", (int)pid, status);
    json_write_string(f, st->bundle);
    fputs(",\"rootfs\":", f);
    json_write_string(f, st->rootfs);
    fputs(",\"created\":", f);
    json_write_string(f, st->created);
    fputs(",\"owner\":\"\",\"annotations\":", f);
    if (st->annotations) json_write(f, st->annotations);
    else fputs("{}", f);
    fputs("}", f);
    if (fclose(f)) fail("out of memory");
    return buf;
}

static void save_state(const struct state *st) {
    char *path = text("%s/" STATE_FILE, st->dir);
    char *buf;
    size_t size;
    FILE *f = open_memstream(&buf, &size);
    fputs("{\"id\":", f);
    json_write_string(f, st->id);
    fprintf(f, ",\"pid\":%d,\"start_time\":%llu,\"bundle\":", (int)st->pid, st->start_time);
    json_write_string(f, st->bundle);
    fputs(",\"rootfs\":", f);
    json_write_string(f, st->rootfs);
    fputs(",\"created\":", f);
    json_write_string(f, st->created);
    fputs(",\"annotations\":", f);
    if (st->annotations) json_write(f, st->annotations);
    else fputs("{}", f);
    fputs(",\"cgroups\":[", f);
    for (size_t i = 0; i < st->cgroups.count; i++) {
        if (i) fputc(',', f);
        json_write_string(f, st->cgroups.dirs[i]);
    }
    fputs("]", f);
    if (st->hooks.json) {
        fputs(",\"hooks\":", f);
        json_write(f, st->hooks.json);
    }
    fputs("}\n", f);
    fclose(f);
    write_atomically(path, buf);
}

static struct state load_state(const char *root, const char *id) {
    struct state st = {0};
    st.id = strdup(id);
    st.dir = container_dir(root, id);
    char *path = text("%s/" STATE_FILE, st.dir);
    struct json *v = read_json(path, "state");
    long long pid = 0, start = 0;
    if (!json_integer(json_get(v, "pid"), &pid) || !json_integer(json_get(v, "start_time"), &start) ||
        !json_string(json_get(v, "bundle")) || !json_string(json_get(v, "rootfs")) ||
        !json_string(json_get(v, "created"))) {
        fail("state %s lacks pid, start_time, bundle, rootfs or created", path);
    }
    st.pid = (pid_t)pid;
    st.start_time = (unsigned long long)start;
    st.bundle = strdup(json_string(json_get(v, "bundle")));
    st.rootfs = strdup(json_string(json_get(v, "rootfs")));
    st.created = strdup(json_string(json_get(v, "created")));
    st.annotations = json_get(v, "annotations");
    const struct json *groups = json_get(v, "cgroups");
    for (size_t i = 0; groups && groups->type == JSON_ARRAY && i < groups->count && i < CGROUP_MAX_DIRS; i++) {
        const char *dir = json_string(groups->items[i]);
        if (dir) st.cgroups.dirs[st.cgroups.count++] = strdup(dir);
    }
    char err[1024];
    if (!hooks_read(json_get(v, "hooks"), &st.hooks, err, sizeof err)) fail("state %s: %s", path, err);
    return st;
}

/* ---- create ---- */

struct bundle_config {
    char *bundle; /* absolute */
    char *rootfs; /* absolute */
    char **args;
    size_t argc;
    char **env;
    size_t env_count;
    const struct json *annotations;
    const char *isolation;
    bool terminal;
    long long console_rows, console_columns;
    const char *cgroups_path;
    struct resources resources;
    bool has_user;
    long long uid, gid;
    gid_t *groups;
    size_t group_count;
    struct namespaces namespaces;
    struct process_limits limits;
    struct hooks hooks;
};

static char *absolute(const char *path) {
    if (path[0] == '/') return strdup(path);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) fail("cannot find the current folder: %s", strerror(errno));
    return text("%s/%s", cwd, path);
}

static char **string_array(const struct json *v, const char *name, size_t *count) {
    if (!v) {
        *count = 0;
        char **none = calloc(1, sizeof *none);
        return none;
    }
    if (v->type != JSON_ARRAY) fail("config.json: %s is not an array", name);
    char **out = calloc(v->count + 1, sizeof *out);
    for (size_t i = 0; i < v->count; i++) {
        if (!json_string(v->items[i])) fail("config.json: %s[%zu] is not a string", name, i);
        out[i] = v->items[i]->text;
    }
    *count = v->count;
    return out;
}

static bool is_regular_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_directory(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Reads what the runtime needs of config.json; *ours tells whether the bundle is a uniwasm one: its
 * root holds compiled forms (.uniwasm/), or its process is a .wasm. The isolation annotation alone
 * claims nothing: containerd's CRI passes a pod's annotations (pod_annotations) to every container
 * of the pod, its sandbox ("pause") and any native container among them, which are runc's. */
static struct bundle_config read_config(const char *bundle_arg, bool *ours) {
    struct bundle_config c = {0};
    c.bundle = absolute(bundle_arg);
    char *config_path = text("%s/config.json", c.bundle);
    struct json *config = read_json(config_path, "bundle configuration");
    const struct json *process = json_get(config, "process");
    c.args = string_array(json_get(process, "args"), "process.args", &c.argc);
    c.env = string_array(json_get(process, "env"), "process.env", &c.env_count);
    const char *root = json_string(json_get(json_get(config, "root"), "path"));
    if (!root) fail("config.json: root.path is missing");
    c.rootfs = root[0] == '/' ? strdup(root) : text("%s/%s", c.bundle, root);
    c.annotations = json_get(config, "annotations");
    char *compiled = text("%s/" COMPILED_FOLDER, c.rootfs);
    char *first = c.argc ? text("%s/%s", c.rootfs, c.args[0]) : NULL;
    *ours = is_directory(compiled) || (first && ends_with(c.args[0], ".wasm") && is_regular_file(first));
    if (!*ours) return c;
    const struct json *isolation = json_get(c.annotations, ISOLATION_ANNOTATION);
    c.isolation = json_string(isolation);
    if (isolation && !c.isolation) fail("annotation " ISOLATION_ANNOTATION " is not a string");

    char problem[1024];
    if (!namespaces_read(config, &c.namespaces, problem, sizeof problem)) fail("%s", problem);
    if (!limits_read(process, &c.limits, problem, sizeof problem)) fail("%s", problem);
    if (!hooks_read(json_get(config, "hooks"), &c.hooks, problem, sizeof problem)) fail("%s", problem);
    const struct json *terminal = json_get(process, "terminal");
    c.terminal = terminal && terminal->type == JSON_BOOL && terminal->boolean;
    const struct json *console_size = json_get(process, "consoleSize");
    if (console_size && (!json_integer(json_get(console_size, "height"), &c.console_rows) ||
                         !json_integer(json_get(console_size, "width"), &c.console_columns) || c.console_rows < 0 ||
                         c.console_columns < 0 || c.console_rows > 65535 || c.console_columns > 65535)) {
        fail("config.json: process.consoleSize needs height and width from 0 to 65535");
    }
    const struct json *linux_section = json_get(config, "linux");
    c.cgroups_path = json_string(json_get(linux_section, "cgroupsPath"));
    if (!resources_read(json_get(linux_section, "resources"), "config.json", &c.resources, problem, sizeof problem))
        fail("%s", problem);
    const struct json *user = json_get(process, "user");
    if (user) {
        c.has_user = true;
        if (!json_integer(json_get(user, "uid"), &c.uid) || !json_integer(json_get(user, "gid"), &c.gid) || c.uid < 0 ||
            c.gid < 0 || c.uid > UINT32_MAX - 1 || c.gid > UINT32_MAX - 1) {
            fail("config.json: process.user needs numeric uid and gid");
        }
        const struct json *extra = json_get(user, "additionalGids");
        if (extra && extra->type == JSON_ARRAY) {
            c.groups = calloc(extra->count + 1, sizeof *c.groups);
            for (size_t i = 0; i < extra->count; i++) {
                long long g;
                if (!json_integer(extra->items[i], &g) || g < 0 || g > UINT32_MAX - 1) {
                    fail("config.json: process.user.additionalGids[%zu] is not a group id", i);
                }
                c.groups[c.group_count++] = (gid_t)g;
            }
        }
    }
    return c;
}

/* The compile cache's executable for a module the image has no compiled form of (a Docker-style
 * wasi/wasm image), opened readable for execveat (see container_process); *shown gets its path. The module is opened
 * inside the rootfs: a symlink in it cannot reach a host file. */
static int cached_executable(const struct bundle_config *c, int root, const char *module, char **shown) {
    int fd = in_root_open(root, module, O_RDONLY);
    if (fd < 0) fail("cannot open /%s in the container's root %s: %s", module, c->rootfs, strerror(errno));
    const char *name = strrchr(module, '/') ? strrchr(module, '/') + 1 : module;
    struct compiled out;
    char err[4096];
    if (!compile_cache_get(fd, name, c->rootfs, module, &out, err, sizeof err))
        fail("cannot compile /%s: %s", module, err);
    close(fd);
    if (out.compiled_now) {
        char *line =
            text("compiled /%s (sha256:%s) in %ld ms into %s", module, out.digest, out.compile_ms, out.executable);
        log_line("info", line);
    }
    /* the cache is the host's: its path means what it says */
    int executable = open(out.executable, O_RDONLY | O_CLOEXEC);
    if (executable < 0) fail("cannot open %s: %s", out.executable, strerror(errno));
    *shown = out.executable;
    return executable;
}

/* The size of the module the image's compiled forms were made from, from .uniwasm/MODULE.source
 * ("sha256:HEX SIZE"), read inside the root. */
static long long source_size(const struct bundle_config *c, int root, const char *module) {
    char *path = text(COMPILED_FOLDER "/%s" SOURCE_SUFFIX, module);
    int fd = in_root_open(root, path, O_RDONLY);
    if (fd < 0) fail("cannot read /%s in the container's root %s: %s", path, c->rootfs, strerror(errno));
    char line[256];
    ssize_t n = read(fd, line, sizeof line - 1);
    close(fd);
    line[n > 0 ? n : 0] = 0;
    char *space = strchr(line, ' ');
    if (strncmp(line, "sha256:", 7) || !space) fail("/%s in the image is not 'sha256:HEX SIZE'", path);
    return strtoll(space + 1, NULL, 10);
}

/* The form of args[0] compiled for platform, opened inside the root (root, a descriptor of it):
 * the process executable (readable, exec'd through it: see container_process) or the VM image
 * (readable: QEMU reads it through the descriptor), checked against the module it was compiled from, or for a process
 * the compile cache's. *in_image gets its path in the root (NULL for the cache's), *shown a path for messages. */
static int compiled_form(const struct bundle_config *c, int root, const char *platform, char **in_image, char **shown) {
    if (c->argc == 0) fail("config.json: process.args is empty: a uniwasm container runs its .wasm module");
    const char *module = c->args[0];
    struct stat st;
    int module_fd = ends_with(module, ".wasm") ? in_root_open(root, module, O_PATH) : -1;
    if (module_fd < 0 || fstat(module_fd, &st) || !S_ISREG(st.st_mode)) {
        fail(
            "process.args[0] '%s' is not a .wasm module in the container's root (ctr run IMAGE ID ARGS replaces the "
            "image's entrypoint: give the module first, e.g. /app.wasm ARGS)",
            module);
    }
    close(module_fd);
    while (*module == '/') module++;
    char *form = text(COMPILED_FOLDER "/%s.%s", module, platform);
    bool vm = !strcmp(platform, VM_PLATFORM);
    *in_image = NULL;
    if (!in_root_exists(root, form)) {
        if (!vm) return cached_executable(c, root, module, shown);
        fail("the image has no VM form of /%s (%s); build it with 'uniwasm image build --isolation vm (or both)'",
             module, form);
    }
    int fd = in_root_open(root, form, O_RDONLY);
    struct stat form_st;
    if (fd < 0 || fstat(fd, &form_st) || !S_ISREG(form_st.st_mode)) {
        fail("cannot open /%s in the container's root %s: %s (a symlink there resolves inside the root)", form,
             c->rootfs, fd < 0 ? strerror(errno) : "not a regular file");
    }
    /* The digest needs the whole module read; its size is free, and a later layer that replaced the
     * module almost always changed it. */
    if (source_size(c, root, module) != (long long)st.st_size) {
        fail("/%s is not the module the image's compiled form was made from (/" COMPILED_FOLDER "/%s" SOURCE_SUFFIX
             "): rebuild the image",
             module, module);
    }
    *in_image = form;
    *shown = text("%s/%s", c->rootfs, form);
    return fd;
}

static char *now_rfc3339(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    return text("%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, now.tv_nsec);
}

static void make_folder(const char *path) {
    char *copy = strdup(path);
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(copy, 0711) && errno != EEXIST) fail("cannot create %s: %s", copy, strerror(errno));
        *p = '/';
    }
    if (mkdir(copy, 0711) && errno != EEXIST) fail("cannot create %s: %s", copy, strerror(errno));
    free(copy);
}

/* Whether create's own hooks are to run: the container's process then stops between its
 * namespaces and its pivot for them. */
static bool has_create_hooks(const struct hooks *h) {
    return h->count[HOOK_PRESTART] + h->count[HOOK_CREATE_RUNTIME] + h->count[HOOK_CREATE_CONTAINER] > 0;
}

static bool has_hooks(const struct hooks *h) {
    for (int k = 0; k < HOOK_KINDS; k++) {
        if (h->count[k]) return true;
    }
    return false;
}

/* Closes every descriptor from 3 up but a and b. */
static void close_all_but(int a, int b) {
    int low = a < b ? a : b, high = a < b ? b : a;
    if (low > 3) syscall(SYS_close_range, 3U, (unsigned)low - 1, 0U);
    if (high > low + 1) syscall(SYS_close_range, (unsigned)low + 1, (unsigned)high - 1, 0U);
    syscall(SYS_close_range, (unsigned)high + 1, ~0U, 0U);
}

/* The container's process between fork and exec: its own session; once the runtime has moved it
 * into the cgroups (a message on channel, with its pid in the runtime's pid namespace, which its
 * hooks' state names), the container's namespaces; with create's hooks, a report and a wait while
 * the runtime runs prestart and createRuntime, then its createContainer hooks, in its namespaces
 * before the pivot; then the pivot and the outcome on channel. Then it waits for `start` on the
 * FIFO (opened from the container's folder, which a joined mount namespace may not show), becomes
 * the container's user, runs the startContainer hooks and becomes the app. What it writes on the
 * FIFO tells start how that went: '0' (go), or 'h' while startContainer hooks run, then '0' or '1'
 * and the failing hook's line; the FIFO stays open until the exec closes it, so that start can run
 * poststart after it. Failures after that go to the container's stderr, the only place left to
 * tell them. */
__attribute__((noreturn)) static void container_process(const struct bundle_config *c, const struct state *st,
                                                        const char *executable, const struct vm *vm, int folder,
                                                        int channel, int executable_fd, const struct console *console) {
    setsid();
    char go[32];
    ssize_t got = read(channel, go, sizeof go - 1);
    if (got < 1 || go[0] != 'g') _exit(1);
    go[got] = 0;
    pid_t host_pid = (pid_t)atoi(go + 1);
    char problem[1024] = "";
    bool new_root = false;
    const char *rootfs = vm ? NULL : c->rootfs;
    /* the limits first, while /proc (oom_score_adj) is the host's; then the terminal: its slave is
     * named in the host's /dev/pts, which a new root does not show. QEMU, a VM container's process,
     * is the host's program: its mount namespace keeps the host's files */
    bool entered = limits_apply(&c->limits, problem, sizeof problem) &&
                   (!console || console_attach(console, problem, sizeof problem)) &&
                   namespaces_enter(&c->namespaces, rootfs, problem, sizeof problem);
    if (entered && has_create_hooks(&c->hooks)) {
        if (send(channel, "", 1, MSG_NOSIGNAL) != 1 || read(channel, go, 1) != 1) _exit(1);
        entered =
            hooks_run(&c->hooks, HOOK_CREATE_CONTAINER, state_json(st, "creating", host_pid), problem, sizeof problem);
    }
    entered = entered && namespaces_pivot(&c->namespaces, rootfs, &new_root, problem, sizeof problem);
    if (send(channel, problem, entered ? 1 : strlen(problem), MSG_NOSIGNAL) < 0 || !entered) _exit(1);
    close(channel);
    int fd = openat(folder, FIFO_FILE, O_WRONLY | O_CLOEXEC);
    bool start_hooks = c->hooks.count[HOOK_START_CONTAINER] > 0;
    if (fd < 0 || write(fd, start_hooks ? "h" : "0", 1) != 1) {
        fprintf(stderr, "uniwasm-runtime: cannot wait for start on " FIFO_FILE ": %s\n", strerror(errno));
        _exit(1);
    }
    if (c->has_user) {
        if (setgroups(c->group_count, c->groups) || setgid((gid_t)c->gid) || setuid((uid_t)c->uid)) {
            const char *why = strerror(errno);
            fprintf(stderr, "uniwasm-runtime: cannot become user %lld:%lld: %s\n", c->uid, c->gid, why);
            /* start waits for the startContainer hooks: it gets the reason instead */
            if (start_hooks) dprintf(fd, "1cannot become user %lld:%lld: %s", c->uid, c->gid, why);
            _exit(1);
        }
    }
    /* as runc: as the container's user, in its namespaces and root, before the app */
    if (start_hooks) {
        if (!hooks_run(&c->hooks, HOOK_START_CONTAINER, state_json(st, "created", host_pid), problem, sizeof problem)) {
            dprintf(fd, "1%s", problem);
            _exit(1);
        }
        if (write(fd, "0", 1) != 1) _exit(1);
    }
    limits_finish(&c->limits);
    if (vm) vm_run(vm);
    if (!new_root && chdir(c->rootfs)) {
        fprintf(stderr, "uniwasm-runtime: cannot enter %s: %s\n", c->rootfs, strerror(errno));
        _exit(1);
    }
    /* the app keeps stdio and its executable only (the FIFO closes at the exec); the log and
     * anything the shim left open stay behind. The executable's descriptor stays open across the
     * exec so that the process, which then sees itself as /dev/fd/N (AT_EXECFN), can map its data
     * segments from it where the container has no /proc (kernel/README.md, "Data segments"), and
     * keeps it for that alone (its seccomp filter lets nothing but mmap use it). */
    close_all_but(executable_fd, fd);
    fcntl(executable_fd, F_SETFD, 0);
    syscall(SYS_execveat, executable_fd, "", c->args, c->env, AT_EMPTY_PATH);
    fprintf(stderr, "uniwasm-runtime: cannot run %s: %s\n", executable, strerror(errno));
    _exit(127);
}

/* Lets the container's process take its next step (go: the message) and waits for how that went
 * (timeout_ms; -1: as long as it lives): true, or false with the reason in problem. */
static bool child_step(pid_t pid, int channel, const char *go, int timeout_ms, const char *step, char *problem,
                       size_t size) {
    if (send(channel, go, strlen(go), MSG_NOSIGNAL) != (ssize_t)strlen(go)) {
        snprintf(problem, size, "the container's process ended at once");
        return false;
    }
    struct pollfd p = {.fd = channel, .events = POLLIN};
    int r;
    while ((r = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) continue;
    if (r != 1) {
        snprintf(problem, size, "the container's process %d did not %s within %d s", (int)pid, step, timeout_ms / 1000);
        return false;
    }
    ssize_t n = recv(channel, problem, size - 1, 0);
    if (n <= 0) {
        snprintf(problem, size, "the container's process ended while it was to %s", step);
        return false;
    }
    problem[n] = 0;
    return n == 1 && problem[0] == 0;
}

/* poststop: the container is gone; a failing hook is a warning and the others still run (the spec). */
static void run_poststop(const struct state *st) {
    if (!st->hooks.count[HOOK_POSTSTOP]) return;
    char *state = state_json(st, "stopped", 0);
    for (size_t i = 0; i < st->hooks.count[HOOK_POSTSTOP]; i++) {
        char err[1024];
        if (hook_run(&st->hooks.list[HOOK_POSTSTOP][i], HOOK_POSTSTOP, state, err, sizeof err)) continue;
        fprintf(stderr, "uniwasm-runtime: warning: %s\n", err);
        log_line("warning", err);
    }
}

static void remove_container_files(const char *dir) {
    char *fifo = text("%s/" FIFO_FILE, dir), *state = text("%s/" STATE_FILE, dir);
    unlink(fifo);
    unlink(state);
    vm_remove_files(dir);
    rmdir(dir);
}

/* create's way out once the container's process exists: it and whatever its cgroups hold killed,
 * the cgroups and files removed, and, once create's hooks have run (they may have set up what
 * poststop undoes, a network say), the poststop hooks: the spec's steps 12 and 13. */
__attribute__((noreturn)) static void abandon_create(const struct state *st, bool hooks_ran, const char *message) {
    cgroups_signal_all(&st->cgroups, SIGKILL);
    kill(st->pid, SIGKILL);
    for (int i = 0; i < KILL_WAIT_MS && kill(st->pid, 0) == 0; i++) {
        if (waitpid(st->pid, NULL, WNOHANG) == st->pid) break;
        nanosleep(&(struct timespec){.tv_nsec = 1000 * 1000}, NULL);
    }
    char ignored[256];
    cgroups_remove(&st->cgroups, ignored, sizeof ignored);
    remove_container_files(st->dir);
    if (hooks_ran) run_poststop(st);
    fail("%s", message);
}

static int cmd_create(const char *root, const char *id, const char *bundle_arg, const char *pid_file,
                      const char *console_socket) {
    bool ours;
    struct bundle_config c = read_config(bundle_arg, &ours);
    if (!ours) exec_runc();
    if (!valid_id(id)) fail("container id '%s' may hold only letters, digits, '_', '-', '.' and '+'", id);
    bool in_vm = c.isolation && !strcmp(c.isolation, "vm");
    if (c.isolation && !in_vm && strcmp(c.isolation, "process")) {
        fail("annotation " ISOLATION_ANNOTATION "='%s' is not one of process, vm", c.isolation);
    }
    if (c.terminal && !console_socket) fail("process.terminal is true but no --console-socket was given");
    if (!c.terminal && console_socket) fail("--console-socket was given but process.terminal is false");
    if (in_vm && c.terminal)
        fail("process.terminal (ctr run -t) is not supported for VM containers yet: run without a terminal");
    int root_fd = open(c.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) fail("cannot open the container's root %s: %s", c.rootfs, strerror(errno));
    /* opened here, where the root's path means what it says: a new mount namespace may not show it
     * (the compile cache is the host's) */
    char *in_image, *executable;
    int executable_fd = compiled_form(&c, root_fd, in_vm ? VM_PLATFORM : PROCESS_PLATFORM, &in_image, &executable);

    make_folder(root);
    char *dir = container_dir(root, id);
    if (mkdir(dir, 0711)) {
        if (errno == EEXIST) fail("container with id %s exists already", id);
        fail("cannot create %s: %s", dir, strerror(errno));
    }
    char *fifo = text("%s/" FIFO_FILE, dir);
    if (mkfifo(fifo, 0600)) {
        rmdir(dir);
        fail("cannot create %s: %s", fifo, strerror(errno));
    }
    struct state st = {.id = strdup(id),
                       .dir = dir,
                       .bundle = c.bundle,
                       .rootfs = c.rootfs,
                       .created = now_rfc3339(),
                       .annotations = c.annotations};
    char err[1024];
    struct vm vm;
    if (in_vm && !vm_prepare(&vm, root_fd, in_image, executable_fd, c.args, c.argc, c.env, c.env_count, dir,
                             c.has_user ? c.uid : -1, c.gid, err, sizeof err)) {
        remove_container_files(dir);
        fail("%s", err);
    }
    char *cgroup_path = c.cgroups_path && *c.cgroups_path ? strdup(c.cgroups_path) : text("/%s", id);
    if (!cgroups_create(&st.cgroups, cgroup_path, err, sizeof err) ||
        !resources_apply(&st.cgroups, &c.resources, err, sizeof err)) {
        char ignored[256];
        cgroups_remove(&st.cgroups, ignored, sizeof ignored);
        remove_container_files(dir);
        fail("%s", err);
    }
    int folder = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), channel[2];
    bool ready = folder >= 0 && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) == 0;
    if (!ready) snprintf(err, sizeof err, "cannot prepare the container's process: %s", strerror(errno));
    struct console console;
    /* hooks are the runtime's children but not the container's: its pid namespace is for the
     * container's process only */
    if (!ready || !namespaces_open(&c.namespaces, err, sizeof err) ||
        !namespaces_enter_pid(&c.namespaces, has_hooks(&c.hooks), err, sizeof err) ||
        (c.terminal &&
         (!console_open(&console, (unsigned)c.console_rows, (unsigned)c.console_columns, err, sizeof err) ||
          !console_send(&console, console_socket, err, sizeof err)))) {
        char ignored[256];
        cgroups_remove(&st.cgroups, ignored, sizeof ignored);
        remove_container_files(dir);
        fail("%s", err);
    }
    st.hooks = c.hooks;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        remove_container_files(dir);
        fail("cannot fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(channel[0]);
        container_process(&c, &st, executable, in_vm ? &vm : NULL, folder, channel[1], executable_fd,
                          c.terminal ? &console : NULL);
    }
    close(channel[1]);
    close(executable_fd);
    close(root_fd);
    if (c.terminal) close(console.master);

    st.pid = pid;
    char go[32];
    snprintf(go, sizeof go, "g%d", (int)pid);
    if (!namespaces_leave_pid(&c.namespaces, err, sizeof err) || !cgroups_join(&st.cgroups, pid, err, sizeof err) ||
        !child_step(pid, channel[0], go, START_WAIT_MS, "enter its namespaces", err, sizeof err)) {
        abandon_create(&st, false, err);
    }
    /* the spec's create: its namespaces exist, its root is not yet pivoted into */
    if (has_create_hooks(&c.hooks)) {
        char *state = state_json(&st, "creating", pid);
        if (!hooks_run(&c.hooks, HOOK_PRESTART, state, err, sizeof err) ||
            !hooks_run(&c.hooks, HOOK_CREATE_RUNTIME, state, err, sizeof err) ||
            !child_step(pid, channel[0], "g", c.hooks.count[HOOK_CREATE_CONTAINER] ? -1 : START_WAIT_MS,
                        "enter its root", err, sizeof err)) {
            abandon_create(&st, true, err);
        }
    }
    bool alive;
    if (!process_info(pid, &st.start_time, &alive))
        abandon_create(&st, has_create_hooks(&c.hooks), "the container's process ended at once");
    save_state(&st);
    if (pid_file) {
        char *pid_text = text("%d", (int)pid);
        write_atomically(pid_file, pid_text);
    }
    return 0;
}

/* ---- start, state, kill, delete, ps ---- */

/* Kills what is left of the container (of this status), removes its cgroups and files, then runs
 * its poststop hooks: the spec's steps 12 and 13, for delete and a start whose hooks failed. */
static void destroy(const struct state *st, const char *status) {
    char err[1024];
    /* a stopped container's cgroups may still hold what its process left (a hook's child, say) */
    cgroups_signal_all(&st->cgroups, SIGKILL);
    if (strcmp(status, "stopped")) {
        kill(st->pid, SIGKILL);
        /* frozen processes (cgroup v1) take the SIGKILL only once thawed */
        if (!strcmp(status, "paused") && !cgroups_freeze(&st->cgroups, false, err, sizeof err)) fail("%s", err);
        for (int waited = 0; running(st); waited++) {
            if (waited >= KILL_WAIT_MS)
                fail("process %d of container %s did not end within %d s of SIGKILL", (int)st->pid, st->id,
                     KILL_WAIT_MS / 1000);
            nanosleep(&(struct timespec){.tv_nsec = 1000 * 1000}, NULL);
        }
    }
    if (!cgroups_remove(&st->cgroups, err, sizeof err)) fail("%s", err);
    remove_container_files(st->dir);
    if (is_directory(st->dir)) fail("cannot remove %s: %s", st->dir, strerror(errno));
    run_poststop(st);
}

/* start's way out when a startContainer or poststart hook failed: the container is stopped and
 * destroyed, as the spec's lifecycle says (the shim's delete then finds nothing). */
__attribute__((noreturn)) static void abandon_start(const struct state *st, const char *message) {
    destroy(st, status_of(st));
    fail("%s", message);
}

/* Opens the FIFO, which releases the container's process, and reads what it says (container_process):
 * '0' once it goes on to the app; 'h' first while its startContainer hooks run, however long; '1'
 * and a hook's line when one failed. With poststart hooks, start waits for the FIFO's end too: the
 * exec closes it, after which they run. */
static int cmd_start(const char *root, const char *id) {
    struct state st = load_state(root, id);
    const char *status = status_of(&st);
    if (strcmp(status, "created")) fail("cannot start container %s: it is %s, not created", id, status);
    char *fifo = text("%s/" FIFO_FILE, st.dir);
    /* non-blocking, so that a process that died on the way cannot hang start */
    int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) fail("cannot open %s: %s", fifo, strerror(errno));
    bool until_exec = st.hooks.count[HOOK_POSTSTART] > 0, ended = false;
    char said[1100];
    size_t got = 0;
    const char *outcome = said;
    for (int waited = 0;; waited += 50) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 50) > 0) {
            ssize_t n = read(fd, said + got, sizeof said - 1 - got);
            if (n > 0) got += (size_t)n;
            else if (n == 0 || (errno != EAGAIN && errno != EINTR)) ended = true;
            if (got == sizeof said - 1) ended = true;
        }
        said[got] = 0;
        outcome = said[0] == 'h' ? said + 1 : said;
        if (outcome[0] == '0' && (ended || !until_exec)) break;
        if (ended) break;
        if (!got && !running(&st)) fail("container %s stopped before it started", id);
        if (said[0] != 'h' && waited >= START_WAIT_MS) {
            if (outcome[0] == '0') break; /* released, but slow to exec: poststart runs now */
            fail("container %s did not reach its start within %d s", id, START_WAIT_MS / 1000);
        }
    }
    close(fd);
    if (outcome[0] == '1') abandon_start(&st, outcome + 1);
    if (outcome[0] != '0') {
        if (said[0] == 'h') abandon_start(&st, text("container %s stopped while its startContainer hooks ran", id));
        fail("container %s stopped before it started", id);
    }
    unlink(fifo);
    char err[1024];
    if (!hooks_run(&st.hooks, HOOK_POSTSTART, state_json(&st, "running", st.pid), err, sizeof err))
        abandon_start(&st, err);
    return 0;
}

static int cmd_state(const char *root, const char *id) {
    struct state st = load_state(root, id);
    const char *status = status_of(&st);
    printf("%s\n", state_json(&st, status, strcmp(status, "stopped") ? st.pid : 0));
    return 0;
}

static const struct {
    const char *name;
    int number;
} SIGNALS[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},     {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},   {"FPE", SIGFPE},     {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},     {"USR2", SIGUSR2}, {"PIPE", SIGPIPE},   {"ALRM", SIGALRM},
    {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},   {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU}, {"URG", SIGURG},     {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
    {"PWR", SIGPWR},   {"SYS", SIGSYS},
};

static int parse_signal(const char *s) {
    char *end;
    long n = strtol(s, &end, 10);
    if (*s && !*end) {
        if (n <= 0 || n > 64) fail("signal %s is out of range", s);
        return (int)n;
    }
    const char *name = strncasecmp(s, "SIG", 3) ? s : s + 3;
    for (size_t i = 0; i < sizeof SIGNALS / sizeof *SIGNALS; i++) {
        if (!strcasecmp(name, SIGNALS[i].name)) return SIGNALS[i].number;
    }
    fail("unknown signal '%s'", s);
}

/* A paused container's processes act on no signal until thawed (cgroup v1), so SIGKILL thaws them
 * after it is sent, as runc does; any other signal waits for resume. */
static int cmd_kill(const char *root, const char *id, const char *signal_text, bool all) {
    struct state st = load_state(root, id);
    int sig = parse_signal(signal_text ? signal_text : "TERM");
    bool paused = cgroups_frozen(&st.cgroups);
    char err[1024];
    if (all) cgroups_signal_all(&st.cgroups, sig);
    if (!running(&st)) {
        if (all && paused && sig == SIGKILL && !cgroups_freeze(&st.cgroups, false, err, sizeof err)) fail("%s", err);
        if (all) return 0;
        fail("container not running");
    }
    if (kill(st.pid, sig)) fail("cannot signal process %d: %s", (int)st.pid, strerror(errno));
    if (paused && sig == SIGKILL && !cgroups_freeze(&st.cgroups, false, err, sizeof err)) fail("%s", err);
    return 0;
}

/* pause: freezes every process of the container's cgroups (a VM container's supervisor and QEMU
 * alike); state then says paused until resume thaws them. */
static int cmd_pause(const char *root, const char *id, bool frozen) {
    struct state st = load_state(root, id);
    const char *status = status_of(&st);
    if (frozen ? strcmp(status, "running") && strcmp(status, "created") : strcmp(status, "paused")) {
        fail("cannot %s container %s: it is %s, not %s", frozen ? "pause" : "resume", id, status,
             frozen ? "running or created" : "paused");
    }
    char err[1024];
    if (!cgroups_freeze(&st.cgroups, frozen, err, sizeof err)) fail("%s", err);
    return 0;
}

static int cmd_delete(const char *root, const char *id, bool force) {
    struct state st = load_state(root, id);
    const char *status = status_of(&st);
    if (strcmp(status, "stopped") && strcmp(status, "created") && !force) {
        fail("cannot delete container %s that is not stopped: %s (use --force)", id, status);
    }
    destroy(&st, status);
    return 0;
}

/* Every process in the container's cgroups, as runc lists them: a VM container's supervisor and QEMU. */
static int cmd_ps(const char *root, const char *id, const char *format) {
    struct state st = load_state(root, id);
    enum { MAX_PIDS = 4096 };
    static pid_t pids[MAX_PIDS];
    size_t n = cgroups_pids(&st.cgroups, pids, MAX_PIDS);
    bool json = format && !strcmp(format, "json");
    printf(json ? "[" : "PID\n");
    for (size_t i = 0; i < n; i++) printf(json ? "%s%d" : "%.0s%d\n", i ? "," : "", (int)pids[i]);
    if (json) printf("]\n");
    return 0;
}

/* ---- the command line ---- */

/* runc's flags that take a value: the word after them is not a container id. */
static bool takes_value(const char *flag) {
    static const char *const with_value[] = {"--root",
                                             "--log",
                                             "--log-format",
                                             "--criu",
                                             "--rootless",
                                             "--bundle",
                                             "-b",
                                             "--pid-file",
                                             "--console-socket",
                                             "--preserve-fds",
                                             "--format",
                                             "-f",
                                             "--process",
                                             "-p",
                                             "--cwd",
                                             "--env",
                                             "-e",
                                             "--user",
                                             "-u",
                                             "--additional-gids",
                                             "-g",
                                             "--cap",
                                             "-c",
                                             "--process-label",
                                             "--apparmor",
                                             "--cgroup",
                                             "--interval",
                                             "--image-path",
                                             "--work-path",
                                             "--parent-path",
                                             "--page-server",
                                             "--manage-cgroups-mode",
                                             "--empty-ns",
                                             "--status-fd",
                                             "--lsm-profile",
                                             "--lsm-mount-context",
                                             "--r",
                                             "--resources",
                                             "--blkio-weight",
                                             "--cpu-period",
                                             "--cpu-quota",
                                             "--cpu-share",
                                             "--cpu-rt-period",
                                             "--cpu-rt-runtime",
                                             "--cpuset-cpus",
                                             "--cpuset-mems",
                                             "--kernel-memory",
                                             "--kernel-memory-tcp",
                                             "--memory",
                                             "--memory-reservation",
                                             "--memory-swap",
                                             "--pids-limit",
                                             "--l3-cache-schema",
                                             "--mem-bw-schema",
                                             "--ext-unix-sk",
                                             NULL};
    if (strchr(flag, '=')) return false;
    for (size_t i = 0; with_value[i]; i++) {
        if (!strcmp(flag, with_value[i])) return true;
    }
    return false;
}

/* The value of --name VALUE or --name=VALUE at argv[*i] (advancing *i), or NULL when it is not that flag. */
static const char *flag_value(int argc, char **argv, int *i, const char *name, const char *alias) {
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (!strncmp(a, name, n) && a[n] == '=') return a + n + 1;
    if (!strcmp(a, name) || (alias && !strcmp(a, alias))) {
        if (*i + 1 >= argc) fail("%s needs a value", name);
        return argv[++*i];
    }
    return NULL;
}

static bool flag(const char *arg, const char *name, const char *alias) {
    return !strcmp(arg, name) || (alias && !strcmp(arg, alias));
}

/* ---- update ---- */

/* runc update's flags, each one key of LinuxResources (section and member); bytes: a size such as
 * 512m (binary multiples, as runc reads them) or -1. Without a section: refused (Intel RDT). */
static const struct {
    const char *flag, *section, *member;
    enum { UPDATE_INTEGER, UPDATE_BYTES, UPDATE_STRING, UPDATE_REFUSED } kind;
} UPDATE_FLAGS[] = {
    {"--blkio-weight", "blockIO", "weight", UPDATE_INTEGER},
    {"--cpu-period", "cpu", "period", UPDATE_INTEGER},
    {"--cpu-quota", "cpu", "quota", UPDATE_INTEGER},
    {"--cpu-share", "cpu", "shares", UPDATE_INTEGER},
    {"--cpu-rt-period", "cpu", "realtimePeriod", UPDATE_INTEGER},
    {"--cpu-rt-runtime", "cpu", "realtimeRuntime", UPDATE_INTEGER},
    {"--cpuset-cpus", "cpu", "cpus", UPDATE_STRING},
    {"--cpuset-mems", "cpu", "mems", UPDATE_STRING},
    {"--memory", "memory", "limit", UPDATE_BYTES},
    {"--memory-reservation", "memory", "reservation", UPDATE_BYTES},
    {"--memory-swap", "memory", "swap", UPDATE_BYTES},
    {"--kernel-memory", "memory", "kernel", UPDATE_BYTES},
    {"--kernel-memory-tcp", "memory", "kernelTCP", UPDATE_BYTES},
    {"--pids-limit", "pids", "limit", UPDATE_INTEGER},
    {"--l3-cache-schema", NULL, NULL, UPDATE_REFUSED},
    {"--mem-bw-schema", NULL, NULL, UPDATE_REFUSED},
};
#define UPDATE_FLAG_COUNT (sizeof UPDATE_FLAGS / sizeof *UPDATE_FLAGS)

/* "123", "-1", or digits with k, m, g, t or p (each 1024 times the last), an optional i and b; false otherwise. */
static bool parse_bytes(const char *s, long long *out) {
    if (!strcmp(s, "-1")) return *out = -1, true;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-' || *s == '+') return false;
    const char *units = "kmgtp", *unit = *end ? strchr(units, *end | 0x20) : NULL;
    if (unit && *end) end++;
    if ((*end | 0x20) == 'i') end++;
    if ((*end | 0x20) == 'b') end++;
    if (*end) return false;
    for (const char *u = units; unit && u <= unit; u++) {
        if (n > (unsigned long long)LLONG_MAX / 1024) return false;
        n *= 1024;
    }
    if (n > (unsigned long long)LLONG_MAX) return false;
    *out = (long long)n;
    return true;
}

static const char *update_flag_names(void) {
    static char names[512];
    size_t n = snprintf(names, sizeof names, "--resources|-r");
    for (size_t i = 0; i < UPDATE_FLAG_COUNT && n < sizeof names; i++)
        n += snprintf(names + n, sizeof names - n, ", %s", UPDATE_FLAGS[i].flag);
    return names;
}

/* What stdin holds (`--resources -`, go-runc's form), at most MAX_JSON_FILE bytes. */
static char *read_stdin(size_t *length) {
    size_t size = 0, capacity = 4096;
    char *buf = malloc(capacity + 1);
    for (;;) {
        if (size == capacity) {
            if (capacity >= MAX_JSON_FILE) fail("update: the resources on stdin are larger than 4 MiB");
            capacity *= 2;
            buf = realloc(buf, capacity + 1);
        }
        if (!buf) fail("out of memory");
        ssize_t n = read(0, buf + size, capacity - size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("update: cannot read the resources from stdin: %s", strerror(errno));
        if (n == 0) break;
        size += (size_t)n;
    }
    buf[size] = 0;
    *length = size;
    return buf;
}

/* runc's `update [--resources FILE|-] [FLAGS] ID`, as containerd's shim calls it (`update
 * --resources=- ID`, the JSON on stdin): the LinuxResources given are written into the cgroups of
 * a created, running or paused container; with --resources the flags are ignored, as runc ignores
 * them. Another runtime's container goes to runc, whatever the flags. */
static int cmd_update(const char *root, int argc, char **argv) {
    const char *id = NULL, *resources_file = NULL, *problem = NULL, *extra = NULL;
    const char *values[UPDATE_FLAG_COUNT] = {0};
    for (int i = 0; i < argc; i++) {
        const char *v;
        /* the id comes last, as in runc's usage: an unknown flag's value may come before it */
        if (argv[i][0] != '-' || !strcmp(argv[i], "-")) {
            if (id && !extra) extra = id;
            id = argv[i];
            continue;
        }
        if ((v = flag_value(argc, argv, &i, "--resources", "-r"))) {
            resources_file = v;
            continue;
        }
        bool known = false;
        for (size_t f = 0; f < UPDATE_FLAG_COUNT && !known; f++) {
            if ((v = flag_value(argc, argv, &i, UPDATE_FLAGS[f].flag, NULL))) values[f] = v, known = true;
        }
        if (!known && !problem)
            problem = text("update: unknown flag '%s' (runc's are %s)", argv[i], update_flag_names());
    }
    if (!id || !is_ours(root, id)) exec_runc();
    if (problem) fail("%s", problem);
    if (extra) fail("update takes one container id, not also '%s'", extra);
    struct state st = load_state(root, id);
    const char *status = status_of(&st);
    if (!strcmp(status, "stopped")) fail("cannot update container %s: it is stopped", id);

    char *bytes, *source;
    size_t length;
    if (resources_file) {
        source = text("update --resources %s", resources_file);
        bytes = strcmp(resources_file, "-") ? read_file(resources_file, &length) : read_stdin(&length);
        if (!bytes)
            fail("update: cannot read --resources %s: %s", resources_file,
                 errno == EINVAL ? "not a regular file of at most 4 MiB" : strerror(errno));
    } else {
        /* the flags as the LinuxResources JSON they stand for, read as --resources would be (the
         * table keeps each section's flags together) */
        source = "update's flags";
        FILE *f = open_memstream(&bytes, &length);
        const char *section = NULL;
        fputc('{', f);
        for (size_t k = 0; k < UPDATE_FLAG_COUNT; k++) {
            if (!values[k]) continue;
            if (UPDATE_FLAGS[k].kind == UPDATE_REFUSED)
                fail("update: %s: Intel RDT is not applied to uniwasm containers", UPDATE_FLAGS[k].flag);
            if (!section || strcmp(section, UPDATE_FLAGS[k].section)) {
                if (section) fputs("},", f);
                section = UPDATE_FLAGS[k].section;
                json_write_string(f, section);
                fputs(":{", f);
            } else {
                fputc(',', f);
            }
            json_write_string(f, UPDATE_FLAGS[k].member);
            fputc(':', f);
            long long n;
            char *end;
            if (UPDATE_FLAGS[k].kind == UPDATE_STRING) {
                json_write_string(f, values[k]);
                continue;
            }
            if (UPDATE_FLAGS[k].kind == UPDATE_BYTES) {
                if (!parse_bytes(values[k], &n))
                    fail("update: %s '%s' is not a size in bytes (such as 1048576, 512m or -1)", UPDATE_FLAGS[k].flag,
                         values[k]);
            } else {
                errno = 0;
                n = strtoll(values[k], &end, 10);
                if (errno || end == values[k] || *end)
                    fail("update: %s '%s' is not an integer", UPDATE_FLAGS[k].flag, values[k]);
            }
            fprintf(f, "%lld", n);
        }
        if (section) fputc('}', f);
        fputc('}', f);
        fclose(f);
    }
    char err[1024];
    struct json *v = json_parse(bytes, length, err, sizeof err);
    if (!v) fail("%s is not valid JSON: %s", source, err);
    struct resources r;
    if (!resources_read(v, source, &r, err, sizeof err) || !resources_apply(&st.cgroups, &r, err, sizeof err))
        fail("%s", err);
    return 0;
}

static int runtime_command(int argc, char **argv);

int main(int argc, char **argv) {
    original_argv = argv;
    /* A missing stdio descriptor would go to the first file the runtime opens, and from there to the
     * app as its stdin or stdout: it is /dev/null instead (stdin then at its end at once). */
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd) return 1;
    }
    /* here, not in runtime_command, whose frame (its inlined commands' buffers, 19 KiB) would lie
     * between the supervisor's and the top of the stack: each page a frame touches stays with the
     * supervisor for the VM's life */
    if (argc >= 2 && !strcmp(argv[1], VM_SUPERVISOR_COMMAND)) return vm_supervise(argc - 2, argv + 2);
    return runtime_command(argc, argv);
}

/* The runc commands (create, start, state, kill, delete, ...), their flags and the global ones. */
__attribute__((noinline)) static int runtime_command(int argc, char **argv) {
    const char *root = DEFAULT_ROOT;
    int i = 1;
    bool systemd_cgroup = false;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *v;
        if ((v = flag_value(argc, argv, &i, "--root", NULL))) root = v;
        else if ((v = flag_value(argc, argv, &i, "--log", NULL))) log_path = v;
        else if ((v = flag_value(argc, argv, &i, "--log-format", NULL))) log_json = !strcmp(v, "json");
        else if ((v = flag_value(argc, argv, &i, "--criu", NULL)) ||
                 (v = flag_value(argc, argv, &i, "--rootless", NULL)))
            continue;
        else if (flag(argv[i], "--systemd-cgroup", NULL)) systemd_cgroup = true;
        else if (flag(argv[i], "--debug", NULL)) continue;
        else if (flag(argv[i], "--version", "-v") || flag(argv[i], "--help", "-h")) {
            printf(
                "uniwasm-runtime: an OCI runtime for uniwasm images (process or VM isolation); other bundles are run "
                "by runc\n");
            fflush(stdout);
            exec_runc();
        } else {
            exec_runc(); /* a flag of runc's that this program does not know */
        }
    }
    if (i >= argc) exec_runc();
    const char *command = argv[i++];
    if (!strcmp(command, "compile")) return compile_cache_command(argc - i, argv + i);
    if (!strcmp(command, "update")) return cmd_update(root, argc - i, argv + i);

    /* the id is the first word that is not a flag or a flag's value */
    const char *id = NULL, *bundle = ".", *pid_file = NULL, *console_socket = NULL, *format = NULL, *signal_text = NULL;
    bool force = false, all = false;
    for (; i < argc; i++) {
        const char *v;
        if (argv[i][0] != '-') {
            if (!id) id = argv[i];
            else if (!signal_text) signal_text = argv[i];
            continue;
        }
        if ((v = flag_value(argc, argv, &i, "--bundle", "-b"))) bundle = v;
        else if ((v = flag_value(argc, argv, &i, "--pid-file", NULL))) pid_file = v;
        else if ((v = flag_value(argc, argv, &i, "--console-socket", NULL))) console_socket = v;
        else if (!strcmp(command, "ps") && (v = flag_value(argc, argv, &i, "--format", "-f"))) format = v;
        else if (flag(argv[i], "--force", "-f")) force = true;
        else if (flag(argv[i], "--all", "-a")) all = true;
        else if (takes_value(argv[i])) i++;
    }

    if (!strcmp(command, "create")) {
        if (!id) fail("create needs a container id");
        if (systemd_cgroup) {
            bool ours;
            read_config(bundle, &ours);
            if (ours) fail("--systemd-cgroup is not supported yet for uniwasm containers");
            exec_runc();
        }
        return cmd_create(root, id, bundle, pid_file, console_socket);
    }
    if (!id || !is_ours(root, id)) exec_runc();
    if (!strcmp(command, "start")) return cmd_start(root, id);
    if (!strcmp(command, "state")) return cmd_state(root, id);
    if (!strcmp(command, "kill")) return cmd_kill(root, id, signal_text, all);
    if (!strcmp(command, "delete")) return cmd_delete(root, id, force);
    if (!strcmp(command, "ps")) return cmd_ps(root, id, format);
    if (!strcmp(command, "pause") || !strcmp(command, "resume")) return cmd_pause(root, id, !strcmp(command, "pause"));
    if (!strcmp(command, "exec")) {
        /* the shim shows this line as "OCI runtime exec failed: ..." */
        fail("exec is not supported for wasi/wasm containers: %s runs one Wasm module and has no other program to run",
             id);
    }
    fail(
        "'%s' is not supported for uniwasm containers (%s is one): create, start, state, kill, delete, ps, pause, "
        "resume and update are",
        command, id);
}
