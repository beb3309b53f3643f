/*
 * What containerd-shim-runc-v2 does with an OCI runtime, for one container, so that the OCI runtime
 * tests (through e2e.support.OciShim) drive uniwasm-runtime as containerd would without containerd: be a subreaper (the
 * container's process is the runtime's child and becomes ours when `create` exits), create with a pid file and the
 * container's stdio (stdin: a pipe held open and never written, so an app that reads it waits; none at all, fd 0
 * closed, with OCI_SHIM_NO_STDIN set), start, optionally `state` and `kill`, wait for the process and report how it
 * ended, delete.
 *
 * With --console it is also the console socket's receiver, as the shim is for `ctr run -t`: it
 * listens on BUNDLE/console.sock, gives it to create, receives the terminal's master (SCM_RIGHTS),
 * types "typed" and a newline into it once the app runs, and copies what the app writes to the
 * terminal to its own stdout until the app's side closes.
 *
 * usage: oci_shim [--console] RUNTIME ROOT BUNDLE ID REPORT [SIGNAL]
 * REPORT gets one line per step: "create N", "pid N", "cgroup LINE"... (with "limit FILE VALUE" for the
 * memory and pids limits of cgroup v1), ["console NAME", "winsize ROWS COLUMNS"], "start N",
 * ["controlling-terminal yes|no"], "state JSON", "child-cgroup LINE"... (the cgroups of the container's
 * process's children: a VM container's QEMU), "kill N", "exit N" | "signal N", "delete N"
 * (N: the runtime's exit status, or the app's).
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static const char *runtime, *root, *bundle, *id;
static FILE *report;

/* Runs the runtime with the global flags the shim gives, then command and its arguments (up to a
 * NULL); out_fd, when not -1, becomes its stdout; in_fd, when not -1, its stdin (-2: none). */
static int run(int in_fd, int out_fd, const char *command, ...) {
    char log[4096];
    snprintf(log, sizeof log, "%s/log.json", bundle);
    const char *argv[20] = {runtime, "--root", root, "--log", log, "--log-format", "json", command};
    int n = 8;
    va_list ap;
    va_start(ap, command);
    for (const char *a; n < 19 && (a = va_arg(ap, const char *));) argv[n++] = a;
    va_end(ap);
    fflush(report);
    pid_t pid = fork();
    if (pid == 0) {
        if (in_fd >= 0) dup2(in_fd, 0);
        if (in_fd == -2) close(0);
        if (out_fd >= 0) dup2(out_fd, 1);
        execv(runtime, (char **)argv);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The terminal's master, as containerd's console.RecvFd takes it: one message, the name as data. */
static int receive_master(int listener) {
    int s = accept(listener, NULL, NULL);
    if (s < 0) return -1;
    char name[256] = {0};
    union {
        struct cmsghdr header;
        char bytes[CMSG_SPACE(sizeof(int))];
    } control;
    struct iovec data = {.iov_base = name, .iov_len = sizeof name - 1};
    struct msghdr message = {
        .msg_iov = &data, .msg_iovlen = 1, .msg_control = control.bytes, .msg_controllen = sizeof control.bytes};
    ssize_t n = recvmsg(s, &message, 0);
    close(s);
    struct cmsghdr *rights = n > 0 ? CMSG_FIRSTHDR(&message) : NULL;
    if (!rights || rights->cmsg_level != SOL_SOCKET || rights->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(rights), sizeof fd);
    fprintf(report, "console %s\n", name);
    return fd;
}

/* Field 7 of /proc/PID/stat: the device of the process's controlling terminal (0: none). */
static long controlling_terminal(int pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    long tty = -1;
    if (p && sscanf(p + 2, "%*c %*d %*d %*d %ld", &tty) != 1) tty = -1;
    return tty;
}

int main(int argc, char **argv) {
    bool console = argc > 1 && !strcmp(argv[1], "--console");
    if (console) argc--, argv++;
    if (argc < 6) {
        fprintf(stderr, "usage: oci_shim [--console] RUNTIME ROOT BUNDLE ID REPORT [SIGNAL]\n");
        return 2;
    }
    runtime = argv[1], root = argv[2], bundle = argv[3], id = argv[4];
    report = fopen(argv[5], "w");
    if (!report || prctl(PR_SET_CHILD_SUBREAPER, 1)) return 2;
    /* every wait here is bounded: a hung runtime or app ends the test with SIGALRM */
    alarm(300);
    int in[2];
    if (pipe(in)) return 2;

    char pid_file[4096];
    snprintf(pid_file, sizeof pid_file, "%s/init.pid", bundle);
    int listener = -1, master = -1;
    int stdin_fd = getenv("OCI_SHIM_NO_STDIN") ? -2 : in[0];
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (console) {
        snprintf(address.sun_path, sizeof address.sun_path, "%s/console.sock", bundle);
        listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 1))
            return 2;
    }
    int status = console ? run(stdin_fd, -1, "create", "--bundle", bundle, "--pid-file", pid_file, "--console-socket",
                               address.sun_path, id, NULL)
                         : run(stdin_fd, -1, "create", "--bundle", bundle, "--pid-file", pid_file, id, NULL);
    close(in[0]);
    fprintf(report, "create %d\n", status);
    if (status != 0) return 0;
    if (console) {
        /* create has sent it and ended: it waits in the socket's queue */
        master = receive_master(listener);
        if (master < 0) return 5;
        struct winsize size;
        if (ioctl(master, TIOCGWINSZ, &size) == 0) fprintf(report, "winsize %d %d\n", size.ws_row, size.ws_col);
    }
    FILE *f = fopen(pid_file, "r");
    int pid = 0;
    if (!f || fscanf(f, "%d", &pid) != 1) return 3;
    fclose(f);
    fprintf(report, "pid %d\n", pid);
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
    f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
        fprintf(report, "cgroup %s", line);
        /* the limits the runtime set, as "limit FILE VALUE" */
        char *controller = strchr(line, ':'), *path = controller ? strchr(controller + 1, ':') : NULL;
        if (!path) continue;
        *path++ = 0;
        path[strcspn(path, "\n")] = 0;
        const char *file = !strcmp(controller + 1, "memory") ? "memory.limit_in_bytes"
                           : !strcmp(controller + 1, "pids") ? "pids.max"
                                                             : NULL;
        if (!file) continue;
        char limit_path[1024], value[64];
        snprintf(limit_path, sizeof limit_path, "/sys/fs/cgroup/%s%s/%s", controller + 1, path, file);
        FILE *l = fopen(limit_path, "r");
        if (l && fgets(value, sizeof value, l)) fprintf(report, "limit %s %s", file, value);
        if (l) fclose(l);
    }
    if (f) fclose(f);

    fprintf(report, "start %d\n", run(-1, -1, "start", id, NULL));
    fflush(report); /* a test may wait for the start to talk to the app */
    if (console) {
        /* the app waits for a line of its terminal: meanwhile its controlling terminal is ours */
        usleep(200 * 1000);
        struct stat pts;
        char name[128];
        bool ours = ptsname_r(master, name, sizeof name) == 0 && stat(name, &pts) == 0 &&
                    controlling_terminal(pid) == (long)pts.st_rdev;
        fprintf(report, "controlling-terminal %s\n", ours ? "yes" : "no");
        fflush(report);
        if (write(master, "typed\n", 6) != 6) return 6;
        char buf[4096];
        for (;;) {
            ssize_t n = read(master, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            /* EIO: every descriptor of the app's side is closed */
            if (n <= 0) break;
            fwrite(buf, 1, (size_t)n, stdout);
        }
        fflush(stdout);
    }
    if (argc > 6) {
        /* the app reads stdin now or very soon: let it get there */
        usleep(200 * 1000);
        fprintf(report, "state ");
        fflush(report);
        run(-1, fileno(report), "state", id, NULL);
        snprintf(path, sizeof path, "/proc/%d/task/%d/children", pid, pid);
        f = fopen(path, "r");
        int child;
        while (f && fscanf(f, "%d", &child) == 1) {
            char child_path[64];
            snprintf(child_path, sizeof child_path, "/proc/%d/cgroup", child);
            FILE *c = fopen(child_path, "r");
            while (c && fgets(line, sizeof line, c)) fprintf(report, "child-cgroup %s", line);
            if (c) fclose(c);
        }
        if (f) fclose(f);
        fprintf(report, "kill %d\n", run(-1, -1, "kill", id, argv[6], NULL));
    }
    int ended;
    if (waitpid(pid, &ended, 0) != pid) return 4;
    if (WIFEXITED(ended)) fprintf(report, "exit %d\n", WEXITSTATUS(ended));
    else fprintf(report, "signal %d\n", WTERMSIG(ended));
    fprintf(report, "delete %d\n", run(-1, -1, "delete", id, NULL));
    close(in[1]);
    fclose(report);
    return 0;
}
