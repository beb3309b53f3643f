/*
 * VM containers: what `uniwasm run --isolation vm` does (monitor/README.md), without a JVM. The QEMU
 * command line comes from the image (the monitor's QemuCommandLine wrote it at image build, with
 * placeholders for the paths only known here), so it is not re-derived here; the serial ports are
 * Unix sockets QEMU connects to, as the monitor's are: COM1 the app's stdout (and stdin the other
 * way), COM2 its stderr, COM3 the control channel whose "exit N" line is the app's status.
 */
#include "vm.h"
#include "in_root.h"
#include "problem.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* The first line of the .qemu file: its format (docs/oci.md, "The layer"). */
#define QEMU_FILE_HEADER "uniwasm-qemu 1"
/* The file is a few KiB; a bound keeps a wrong one from being read whole. */
#define QEMU_FILE_MAX (64 << 10)
#define BOOT_CONFIG_FILE "bootconfig"
/* kernel/include/kernel/bootconfig.h, BOOTCONFIG_FLAG_NO_STDIN */
#define BOOT_CONFIG_FLAG_NO_STDIN 0x2
static const char *const PORT_FILES[3] = {"com1.sock", "com2.sock", "com3.sock"};
enum { COM1, COM2, COM3 };
/* Monitor.NO_EXIT_STATUS: the VM ended without an "exit N" line. */
#define NO_EXIT_STATUS 70
/* QEMU's own messages are shown only when the VM fails; the start of them is enough. */
#define DIAGNOSTICS_MAX 4096
/* QEMU's descriptor of the VM image (opened inside the container's root at create): @image@ names
 * it, so that QEMU reads the file the runtime checked, not whatever a path in the image names. */
#define QEMU_IMAGE_FD 3
#define QEMU_IMAGE_PATH "/proc/self/fd/3"
/* The supervisor keeps it here, beside the serial ports' listeners at 3..5. */
#define SUPERVISOR_IMAGE_FD 6
/* The runtime's executable while the container's process becomes the supervisor (close-on-exec). */
#define SUPERVISOR_SELF_FD 7
/* A read from a serial port or stdin: a 16550 port carries a few bytes per interrupt, and every
 * page of stack the supervisor touched once stays with it for the VM's life. */
#define RELAY_BUFFER 1024
/* QEMU's whole environment (entries each followed by a comma; the list ends in NULL): nothing of
 * the runtime's (the shim's) or the container's, which QEMU does not read; and one malloc arena.
 * glibc gives each of QEMU's threads that allocates (the main loop, the vCPU, RCU) an arena of its
 * own, each keeping the pages it touched: one arena holds an idle VM's QEMU in 56 KiB less
 * (docs/oci.md, "A VM container's memory"). Its threads seldom allocate at once: the lock costs
 * nothing measurable. */
#define QEMU_ENVIRONMENT "GLIBC_TUNABLES=glibc.malloc.arena_max=1",
/* How long QEMU may take to connect to the serial ports (it does so before building the machine). */
#define CONNECT_WAIT_MS 30000

/* ---- the boot configuration ---- */

static void put_u32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

/* The kernel's rule (bootconfig.c, env_name_length): an entry is KEY=VALUE with a KEY; the process way
 * drops other entries, so the VM way does too. */
static bool env_entry(const char *e) {
    const char *eq = strchr(e, '=');
    return eq && eq != e;
}

static const char *file_name(const char *path) {
    const char *name = path;
    for (const char *p = path; *p; p++) {
        if (*p == '/' && p[1]) name = p + 1;
    }
    return name;
}

unsigned char *vm_boot_config(char *const *args, size_t argc, char *const *env, size_t envc, bool no_stdin,
                              size_t *size, char *err, size_t err_size) {
    /* version 1 (no mounts: the image's baked mounts stay; kernel/README.md, "Boot configuration") */
    const size_t header = 20;
    size_t total = header, kept = 0;
    for (size_t i = 0; i < argc; i++) total += strlen(i ? args[i] : file_name(args[0])) + 1;
    for (size_t i = 0; i < envc; i++) {
        if (!env_entry(env[i])) continue;
        total += strlen(env[i]) + 1;
        kept++;
    }
    if (total > UINT32_MAX) {
        problem(err, err_size, "process.args and process.env take %zu bytes, more than a boot configuration holds",
                total);
        return NULL;
    }
    unsigned char *b = malloc(total);
    if (!b) {
        problem(err, err_size, "out of memory");
        return NULL;
    }
    memcpy(b, "UWBC", 4);
    b[4] = 1, b[5] = 0;                                        /* version */
    b[6] = no_stdin ? BOOT_CONFIG_FLAG_NO_STDIN : 0, b[7] = 0; /* flags */
    put_u32(b + 8, (uint32_t)total);
    put_u32(b + 12, (uint32_t)argc);
    put_u32(b + 16, (uint32_t)kept);
    size_t at = header;
    for (size_t i = 0; i < argc; i++) {
        const char *s = i ? args[i] : file_name(args[0]);
        size_t n = strlen(s) + 1;
        memcpy(b + at, s, n);
        at += n;
    }
    for (size_t i = 0; i < envc; i++) {
        if (!env_entry(env[i])) continue;
        size_t n = strlen(env[i]) + 1;
        memcpy(b + at, env[i], n);
        at += n;
    }
    *size = total;
    return b;
}

/* ---- create: the command line, the boot configuration, the sockets ---- */

static char *path_in(const char *dir, const char *name) {
    char *p;
    if (asprintf(&p, "%s/%s", dir, name) < 0) return NULL;
    return p;
}

/* The monitor's KvmProbe: /dev/kvm opens read-write and is not served by PVM (its paths come from the
 * .qemu file, where KvmProbe's constants put them). */
static bool kvm_usable(const char *device, const char *unusable_with) {
    if (!device) return false;
    int fd = open(device, O_RDWR | O_CLOEXEC);
    if (fd < 0) return false;
    close(fd);
    struct stat st;
    return !(unusable_with && stat(unusable_with, &st) == 0 && S_ISDIR(st.st_mode));
}

/* s with every @image@, @bootconfig@, @com1@, @com2@ and @com3@ replaced, in one pass. */
static char *substitute(const char *s) {
    static const char *const names[] = {"@image@", "@bootconfig@", "@com1@", "@com2@", "@com3@"};
    const char *values[] = {QEMU_IMAGE_PATH, BOOT_CONFIG_FILE, PORT_FILES[COM1], PORT_FILES[COM2], PORT_FILES[COM3]};
    char *out;
    size_t size;
    FILE *f = open_memstream(&out, &size);
    if (!f) return NULL;
    while (*s) {
        size_t i = 0;
        for (; i < sizeof names / sizeof *names; i++) {
            if (!strncmp(s, names[i], strlen(names[i]))) break;
        }
        if (i < sizeof names / sizeof *names) {
            fputs(values[i], f);
            s += strlen(names[i]);
        } else {
            fputc(*s++, f);
        }
    }
    fclose(f);
    return out;
}

/* The program QEMU's command line names, found on PATH now, so that a missing QEMU fails create. */
static char *find_program(const char *name) {
    if (strchr(name, '/')) return access(name, X_OK) == 0 ? strdup(name) : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    char *dirs = strdup(path), *found = NULL, *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char *candidate = path_in(*d ? d : ".", name);
        if (candidate && access(candidate, X_OK) == 0) found = candidate;
        else free(candidate);
    }
    free(dirs);
    return found;
}

/* Reads the .qemu file beside image in the container's root: QEMU's arguments for the accelerator
 * this host has, and the largest boot configuration the VM's memory holds. */
static char **read_qemu_file(int root, const char *image, unsigned long long *boot_config_max, bool *tcg, char *err,
                             size_t err_size) {
    char *path = NULL;
    if (asprintf(&path, "/%s" VM_QEMU_SUFFIX, image) < 0) return NULL;
    int fd = in_root_open(root, path, O_RDONLY);
    if (fd < 0) {
        problem(err, err_size,
                "cannot read %s in the container's root: %s (the image's VM command line; rebuild it with "
                "'uniwasm image build')",
                path, strerror(errno));
        return NULL;
    }
    char *text = malloc(QEMU_FILE_MAX + 1);
    size_t n = 0;
    ssize_t r;
    while (text && n < QEMU_FILE_MAX && (r = read(fd, text + n, QEMU_FILE_MAX - n)) > 0) n += (size_t)r;
    close(fd);
    if (!text) {
        problem(err, err_size, "out of memory");
        return NULL;
    }
    text[n] = 0;
    if (n == QEMU_FILE_MAX) {
        problem(err, err_size, "%s is larger than %d KiB: not a uniwasm VM command line", path, QEMU_FILE_MAX >> 10);
        return NULL;
    }
    /* two passes over the lines: the devices that decide the accelerator may follow its arguments */
    char *kvm_device = NULL, *kvm_unusable = NULL;
    *boot_config_max = 0;
    size_t lines = 0;
    char *line = text;
    for (size_t number = 1; *line; number++) {
        char *end = strchr(line, '\n');
        if (!end) {
            problem(err, err_size, "%s line %zu has no end", path, number);
            return NULL;
        }
        *end = 0;
        if (number == 1) {
            if (strcmp(line, QEMU_FILE_HEADER)) {
                problem(err, err_size,
                        "%s does not start with '" QEMU_FILE_HEADER "': rebuild the image with this uniwasm", path);
                return NULL;
            }
        } else if (!strncmp(line, "boot-config-max ", 16)) {
            *boot_config_max = strtoull(line + 16, NULL, 10);
        } else if (!strncmp(line, "kvm-device ", 11)) {
            kvm_device = line + 11;
        } else if (!strncmp(line, "kvm-unusable-with ", 18)) {
            kvm_unusable = line + 18;
        } else if (strncmp(line, "kvm ", 4) && strncmp(line, "tcg ", 4)) {
            problem(err, err_size, "%s line %zu is not one of uniwasm-runtime's: rebuild the image with this uniwasm",
                    path, number);
            return NULL;
        }
        lines++;
        line = end + 1;
    }
    *tcg = !kvm_usable(kvm_device, kvm_unusable);
    const char *accel = *tcg ? "tcg " : "kvm ";
    char **argv = calloc(lines + 1, sizeof *argv);
    size_t argc = 0;
    line = text;
    for (size_t i = 0; i < lines && argv; i++) {
        if (!strncmp(line, accel, 4)) argv[argc++] = substitute(line + 4);
        line += strlen(line) + 1;
    }
    if (!argv || argc == 0 || *boot_config_max == 0) {
        problem(err, err_size, "%s has no %sarguments or no boot-config-max: rebuild the image with this uniwasm", path,
                accel);
        return NULL;
    }
    char *qemu = find_program(argv[0]);
    if (!qemu) {
        problem(err, err_size,
                "%s is not installed (not found on PATH): VM containers need QEMU (scripts/setup installs it)",
                argv[0]);
        return NULL;
    }
    argv[0] = qemu;
    return argv;
}

static bool own(const char *path, long long uid, long long gid, char *err, size_t err_size) {
    if (uid < 0 || chown(path, (uid_t)uid, (gid_t)gid) == 0) return true;
    problem(err, err_size, "cannot give %s to user %lld:%lld: %s", path, uid, gid, strerror(errno));
    return false;
}

bool vm_prepare(struct vm *vm, int root, const char *image, int image_fd, char *const *args, size_t argc,
                char *const *env, size_t envc, const char *dir, long long uid, long long gid, char *err,
                size_t err_size) {
    for (int i = 0; i < 3; i++) vm->listeners[i] = -1;
    vm->dir = dir;
    vm->image_fd = image_fd;
    /* opened now, while /proc is the host's: the container's namespaces may show another */
    vm->self_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (vm->self_fd < 0) {
        problem(err, err_size, "cannot open the runtime's own executable: %s", strerror(errno));
        return false;
    }
    unsigned long long boot_config_max;
    vm->qemu_argv = read_qemu_file(root, image, &boot_config_max, &vm->tcg, err, err_size);
    if (!vm->qemu_argv) return false;

    size_t size;
    /* VM containers have no terminal: the container's process keeps create's fd 0 */
    struct stat in;
    vm->no_stdin = fstat(0, &in) || (S_ISCHR(in.st_mode) && in.st_rdev == makedev(1, 3));
    unsigned char *config = vm_boot_config(args, argc, env, envc, vm->no_stdin, &size, err, err_size);
    if (!config) return false;
    if (size > boot_config_max) {
        problem(err, err_size,
                "process.args and process.env make a boot configuration of %zu bytes; the image's VM memory "
                "holds at most %llu: pass less, or rebuild the image with a larger --memory",
                size, boot_config_max);
        return false;
    }
    char *config_path = path_in(dir, BOOT_CONFIG_FILE);
    int fd = open(config_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, config, size) != (ssize_t)size || close(fd)) {
        problem(err, err_size, "cannot write %s: %s", config_path, strerror(errno));
        return false;
    }
    if (!own(config_path, uid, gid, err, err_size)) return false;

    /* bound by names relative to dir: <root>/<id>/comN.sock can be longer than a socket address holds */
    int here = open(".", O_PATH | O_CLOEXEC);
    if (here < 0 || chdir(dir)) {
        problem(err, err_size, "cannot enter %s: %s", dir, strerror(errno));
        if (here >= 0) close(here);
        return false;
    }
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) {
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        strcpy(addr.sun_path, PORT_FILES[i]);
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) || listen(s, 1)) {
            problem(err, err_size, "cannot listen on %s/%s: %s", dir, PORT_FILES[i], strerror(errno));
            if (s >= 0) close(s);
            ok = false;
            break;
        }
        vm->listeners[i] = s;
        ok = own(PORT_FILES[i], uid, gid, err, err_size);
    }
    if (fchdir(here) && ok) {
        problem(err, err_size, "cannot return to the runtime's folder: %s", strerror(errno));
        ok = false;
    }
    close(here);
    return ok;
}

void vm_remove_files(const char *dir) {
    char *p = path_in(dir, BOOT_CONFIG_FILE);
    if (p) unlink(p);
    free(p);
    for (int i = 0; i < 3; i++) {
        p = path_in(dir, PORT_FILES[i]);
        if (p) unlink(p);
        free(p);
    }
}

/* ---- start: the supervisor ---- */

/* The signals that end the container's process (runc's would die of them): they stop the VM first. */
static const int STOP_SIGNALS[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM};

static pid_t qemu_pid = -1;

static void message(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void message(const char *format, ...) {
    char line[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(line, sizeof line, format, ap);
    va_end(ap);
    dprintf(2, "uniwasm-runtime: %s\n", line);
}

/* QEMU's own messages, each line indented under ours (as the monitor's QemuFailure.indent shows them). */
static void show_diagnostics(const char *text) {
    while (text && *text) {
        size_t n = strcspn(text, "\n");
        if (n) dprintf(2, "  %.*s\n", (int)n, text);
        text += n;
        if (*text) text++;
    }
}

/* Ends the container's process as the signal would have ended an app of runc's, the VM stopped first. */
__attribute__((noreturn)) static void die_of(int sig) {
    if (qemu_pid > 0) {
        kill(qemu_pid, SIGKILL);
        waitpid(qemu_pid, NULL, 0);
    }
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig);
}

__attribute__((noreturn)) static void fail_start(const char *diagnostics, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
__attribute__((noreturn)) static void fail_start(const char *diagnostics, const char *format, ...) {
    char line[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(line, sizeof line, format, ap);
    va_end(ap);
    message("%s", line);
    show_diagnostics(diagnostics);
    if (qemu_pid > 0) {
        kill(qemu_pid, SIGKILL);
        waitpid(qemu_pid, NULL, 0);
    }
    _exit(1);
}

static bool write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* QEMU's stdout and stderr: the first DIAGNOSTICS_MAX bytes kept, the rest read and dropped, so
 * that QEMU never blocks on them. */
struct diagnostics {
    int fd;
    size_t length;
    char *text; /* allocated when QEMU first says something, which a VM that runs well never does */
};

static void diagnostics_read(struct diagnostics *d) {
    char scratch[RELAY_BUFFER];
    if (!d->text) d->text = calloc(1, DIAGNOSTICS_MAX + 1);
    for (;;) {
        bool room = d->text && d->length < DIAGNOSTICS_MAX;
        ssize_t r =
            room ? read(d->fd, d->text + d->length, DIAGNOSTICS_MAX - d->length) : read(d->fd, scratch, sizeof scratch);
        if (r > 0) {
            if (room) d->length += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR) continue;
        if (r == 0 || errno != EAGAIN) {
            close(d->fd);
            d->fd = -1;
        }
        if (d->text) d->text[d->length] = 0;
        return;
    }
}

/* The guest's lines on COM3: only "exit N" matters here (ControlChannel.accept's rule). */
struct control {
    char line[256];
    size_t length;
    bool overlong;
    int exit_status; /* -1 until "exit N" */
};

static void control_line(struct control *c) {
    c->line[c->length] = 0;
    char *p = c->line;
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    if (!c->overlong && !strncmp(p, "exit", 4) && (p[4] == ' ' || p[4] == '\t')) {
        char *end;
        long status = strtol(p + 5, &end, 10);
        while (*end == ' ' || *end == '\t' || *end == '\r') end++;
        if (end != p + 5 && !*end && status >= 0 && status <= 255) c->exit_status = (int)status;
    }
    c->length = 0;
    c->overlong = false;
}

static void control_bytes(struct control *c, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') control_line(c);
        else if (c->length < sizeof c->line - 1) c->line[c->length++] = p[i];
        else c->overlong = true;
    }
}

/* The serial ports' sockets moved to fds 3..5 and the VM image to 6, open across the exec into the
 * supervisor, the runtime's executable to 7 (closed by that exec), and everything else above stdio
 * closed: the app's VM gets nothing of the runtime's (the log, the shim's descriptors). */
static void keep_only_vm_descriptors(const struct vm *vm) {
    enum { KEPT = 5 };
    int high[KEPT];
    const int kept[KEPT] = {vm->listeners[0], vm->listeners[1], vm->listeners[2], vm->image_fd, vm->self_fd};
    for (int i = 0; i < KEPT; i++) {
        high[i] = fcntl(kept[i], F_DUPFD_CLOEXEC, 64);
        if (high[i] < 0)
            fail_start(NULL, "cannot keep the serial ports' sockets and the VM image: %s", strerror(errno));
    }
    for (int i = 0; i < KEPT; i++) {
        /* created while the runtime had no stdin (say), a descriptor may sit at 0..2: that slot is empty again */
        if (kept[i] < 3) close(kept[i]);
    }
    /* an absent stdio descriptor is /dev/null (stdin at its end at once), so that none of the
     * supervisor's own descriptors lands on 0..2 */
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd) {
            fail_start(NULL, "cannot open /dev/null as descriptor %d: %s", fd, strerror(errno));
        }
    }
    for (int i = 0; i < KEPT; i++) {
        if (dup3(high[i], 3 + i, 3 + i == SUPERVISOR_SELF_FD ? O_CLOEXEC : 0) < 0) {
            fail_start(NULL, "cannot keep the serial ports' sockets and the VM image: %s", strerror(errno));
        }
    }
    syscall(SYS_close_range, SUPERVISOR_SELF_FD + 1U, ~0U, 0U);
}

static pid_t start_qemu(const struct vm *vm, int diagnostics_out) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0) return pid;
    /* QEMU dies with the supervisor, however that ends (SIGKILL from delete or the OOM killer) */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    /* QEMU asks for transparent huge pages on the guest's RAM and its TCG code buffer
     * (MADV_HUGEPAGE), so the few KiB an idle guest and its translated code touch become whole
     * 2 MiB pages: about 2.7 MiB more per VM container (docs/oci.md, "A VM container's memory").
     * Under TCG every guest access goes through QEMU's software TLB, so the host's huge pages buy
     * little there; with KVM they back the guest's page tables, so they stay. */
    if (vm->tcg) prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(diagnostics_out, 1) < 0 || dup2(diagnostics_out, 2) < 0 ||
        dup2(SUPERVISOR_IMAGE_FD, QEMU_IMAGE_FD) < 0) {
        _exit(127);
    }
    syscall(SYS_close_range, QEMU_IMAGE_FD + 1U, ~0U, 0U);
    execve(vm->qemu_argv[0], vm->qemu_argv, (char *[]){QEMU_ENVIRONMENT NULL});
    dprintf(2, "cannot run %s: %s", vm->qemu_argv[0], strerror(errno));
    _exit(127);
}

void vm_run(const struct vm *vm) {
    keep_only_vm_descriptors(vm);
    if (chdir(vm->dir)) fail_start(NULL, "cannot enter %s: %s", vm->dir, strerror(errno));
    size_t qemu_argc = 0;
    while (vm->qemu_argv[qemu_argc]) qemu_argc++;
    char **argv = calloc(qemu_argc + 6, sizeof *argv);
    if (!argv) fail_start(NULL, "cannot start the supervisor: out of memory");
    argv[0] = "uniwasm-runtime";
    argv[1] = VM_SUPERVISOR_COMMAND;
    argv[2] = vm->tcg ? "tcg" : "kvm";
    argv[3] = vm->no_stdin ? "no-stdin" : "stdin";
    argv[4] = "--";
    memcpy(argv + 5, vm->qemu_argv, qemu_argc * sizeof *argv);
    /* no environment: the runtime's is the shim's (containerd's), nothing the VM's processes need
     * (the app's own is in the boot configuration), and each string would sit in their stacks */
    syscall(SYS_execveat, SUPERVISOR_SELF_FD, "", argv, (char *[]){NULL}, AT_EMPTY_PATH);
    fail_start(NULL, "cannot start the supervisor: %s", strerror(errno));
}

/* The supervisor's descriptors as vm_run leaves them: a listening socket at 3..5, a file at 6. */
static bool started_by_vm_run(void) {
    struct stat st;
    for (int fd = 3; fd < SUPERVISOR_IMAGE_FD; fd++) {
        int listening = 0;
        socklen_t length = sizeof listening;
        if (fstat(fd, &st) || !S_ISSOCK(st.st_mode) || getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) ||
            !listening)
            return false;
    }
    return fstat(SUPERVISOR_IMAGE_FD, &st) == 0 && S_ISREG(st.st_mode);
}

int vm_supervise(int argc, char **argv) {
    if (argc < 4 || (strcmp(argv[0], "tcg") && strcmp(argv[0], "kvm")) ||
        (strcmp(argv[1], "stdin") && strcmp(argv[1], "no-stdin")) || strcmp(argv[2], "--") || !started_by_vm_run()) {
        message("%s is the process of a VM container, which create starts; it is not a command", VM_SUPERVISOR_COMMAND);
        return 1;
    }
    struct vm self = {.qemu_argv = argv + 3,
                      .dir = ".",
                      .image_fd = SUPERVISOR_IMAGE_FD,
                      .self_fd = -1,
                      .tcg = !strcmp(argv[0], "tcg"),
                      .no_stdin = !strcmp(argv[1], "no-stdin")};
    const struct vm *vm = &self;
    int listeners[3] = {3, 4, 5};
    for (int fd = 3; fd <= SUPERVISOR_IMAGE_FD; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    for (size_t i = 0; i < sizeof STOP_SIGNALS / sizeof *STOP_SIGNALS; i++) sigaddset(&set, STOP_SIGNALS[i]);
    sigprocmask(SIG_BLOCK, &set, NULL);
    /* a closed stdout is an error from write, which stops the VM (as the monitor does) */
    signal(SIGPIPE, SIG_IGN);
    int signals = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    int diag[2];
    if (signals < 0 || pipe2(diag, O_CLOEXEC | O_NONBLOCK))
        fail_start(NULL, "cannot set up the supervisor: %s", strerror(errno));

    qemu_pid = start_qemu(vm, diag[1]);
    if (qemu_pid < 0) fail_start(NULL, "cannot fork QEMU: %s", strerror(errno));
    close(diag[1]);
    struct diagnostics diag_out = {.fd = diag[0]};
    int qemu_status = -1;

    /* QEMU connects to each port before it builds the machine */
    int ports[3] = {-1, -1, -1};
    for (int waited = 0, pending = 3; pending > 0; waited += 50) {
        struct pollfd p[5];
        int n = 0;
        for (int i = 0; i < 3; i++) p[n++] = (struct pollfd){.fd = ports[i] < 0 ? listeners[i] : -1, .events = POLLIN};
        p[n++] = (struct pollfd){.fd = signals, .events = POLLIN};
        p[n++] = (struct pollfd){.fd = diag_out.fd, .events = POLLIN};
        poll(p, (nfds_t)n, 50);
        for (int i = 0; i < 3; i++) {
            if (ports[i] >= 0 || !(p[i].revents & POLLIN)) continue;
            ports[i] = accept4(listeners[i], NULL, NULL, SOCK_CLOEXEC);
            if (ports[i] >= 0) pending--;
        }
        if (p[4].revents) diagnostics_read(&diag_out);
        struct signalfd_siginfo info;
        while (read(signals, &info, sizeof info) == sizeof info) {
            if (info.ssi_signo != SIGCHLD) die_of((int)info.ssi_signo);
        }
        int status;
        if (pending > 0 && waitpid(qemu_pid, &status, WNOHANG) == qemu_pid) {
            qemu_pid = -1;
            if (diag_out.fd >= 0) diagnostics_read(&diag_out);
            fail_start(diag_out.text, "QEMU exited (status %d) before connecting to the serial ports",
                       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        }
        if (waited >= CONNECT_WAIT_MS)
            fail_start(NULL, "QEMU did not connect to the serial ports within %d s", CONNECT_WAIT_MS / 1000);
    }
    for (int i = 0; i < 3; i++) {
        close(listeners[i]);
        unlink(PORT_FILES[i]);
    }
    bool config_removed = false;

    /* Relay until QEMU has ended and every port has been read to its end. */
    struct control control = {.exit_status = -1};
    char buf[RELAY_BUFFER];
    char pending[RELAY_BUFFER];
    size_t pending_length = 0, pending_at = 0;
    unsigned long long stdin_sent = 0;
    /* without stdin the boot configuration told the app so: nothing to read, no "eof" to send (the
     * guest handling a line on COM3 costs QEMU translated code and buffers for the VM's life) */
    bool stdin_open = !vm->no_stdin, com1_writable = true, eof_sent = vm->no_stdin;
    bool open_port[3] = {true, true, true};
    fcntl(ports[COM1], F_SETFL, fcntl(ports[COM1], F_GETFL) | O_NONBLOCK);
    for (;;) {
        if (!stdin_open && pending_length == 0 && !eof_sent && com1_writable && open_port[COM3]) {
            /* ControlChannel.sendEof: the byte count, since COM3 can overtake the last bytes on COM1 */
            char line[64];
            int n = stdin_sent ? snprintf(line, sizeof line, "eof %llu\n", stdin_sent)
                               : snprintf(line, sizeof line, "eof\n");
            write_all(ports[COM3], line, (size_t)n);
            eof_sent = true;
        }
        if (qemu_pid < 0 && !open_port[COM1] && !open_port[COM2] && !open_port[COM3]) break;
        struct pollfd p[6];
        p[0] = (struct pollfd){.fd = open_port[COM1] ? ports[COM1] : -1,
                               .events = (short)(POLLIN | (pending_length && com1_writable ? POLLOUT : 0))};
        p[1] = (struct pollfd){.fd = open_port[COM2] ? ports[COM2] : -1, .events = POLLIN};
        p[2] = (struct pollfd){.fd = open_port[COM3] ? ports[COM3] : -1, .events = POLLIN};
        p[3] = (struct pollfd){.fd = stdin_open && pending_length == 0 && com1_writable ? 0 : -1, .events = POLLIN};
        p[4] = (struct pollfd){.fd = signals, .events = POLLIN};
        p[5] = (struct pollfd){.fd = diag_out.fd, .events = POLLIN};
        if (poll(p, 6, -1) < 0 && errno != EINTR) fail_start(NULL, "poll failed: %s", strerror(errno));

        struct signalfd_siginfo info;
        while (read(signals, &info, sizeof info) == sizeof info) {
            if (info.ssi_signo != SIGCHLD) die_of((int)info.ssi_signo);
        }
        for (int port = COM1; port <= COM3; port++) {
            if (!open_port[port] || !(p[port].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t r = read(ports[port], buf, sizeof buf);
            if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (r <= 0) {
                open_port[port] = false;
                continue;
            }
            if (port == COM3) {
                control_bytes(&control, buf, (size_t)r);
                /* the guest runs, so QEMU has loaded the boot configuration: nothing reads it again */
                if (!config_removed) unlink(BOOT_CONFIG_FILE);
                config_removed = true;
            } else if (!write_all(port == COM1 ? 1 : 2, buf, (size_t)r)) {
                /* the container's output is gone (a closed pipe): stop the VM, as a process would die */
                die_of(SIGPIPE);
            }
        }
        /* POLLNVAL: the container has no stdin (fd 0 closed), which is an empty one */
        if (p[3].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
            ssize_t r = read(0, pending, sizeof pending);
            if (r > 0) {
                pending_length = (size_t)r;
                pending_at = 0;
            } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
                stdin_open = false;
            }
        }
        if (pending_length && com1_writable && open_port[COM1]) {
            ssize_t w = write(ports[COM1], pending + pending_at, pending_length);
            if (w > 0) {
                pending_at += (size_t)w;
                pending_length -= (size_t)w;
                stdin_sent += (unsigned long long)w;
            } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                /* the VM is ending: it reads no more input */
                com1_writable = false;
                pending_length = 0;
            }
        }
        if (p[5].revents) diagnostics_read(&diag_out);
        int status;
        if (qemu_pid > 0 && waitpid(qemu_pid, &status, WNOHANG) == qemu_pid) {
            qemu_pid = -1;
            qemu_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
    }
    if (!config_removed) unlink(BOOT_CONFIG_FILE);
    if (control.length) control_line(&control);
    if (control.exit_status >= 0) _exit(control.exit_status);
    if (diag_out.fd >= 0) diagnostics_read(&diag_out);
    message("the VM ended without reporting an exit status (QEMU exited with status %d)", qemu_status);
    show_diagnostics(diag_out.text);
    _exit(NO_EXIT_STATUS);
}
