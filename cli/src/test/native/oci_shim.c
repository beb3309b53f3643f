/*
 * What containerd-shim-runc-v2 does with an OCI runtime, for one container, so that OciRuntimeTest
 * drives uniwasm-runtime as containerd would without containerd: be a subreaper (the container's
 * process is the runtime's child and becomes ours when `create` exits), create with a pid file and
 * the container's stdio (stdin: a pipe held open and never written, so an app that reads it waits),
 * start, optionally `state` and `kill`, wait for the process and report how it ended, delete.
 *
 * usage: oci_shim RUNTIME ROOT BUNDLE ID REPORT [SIGNAL]
 * REPORT gets one line per step: "create N", "pid N", "cgroup LINE"... (with "limit FILE VALUE" for the
 * memory and pids limits of cgroup v1), "start N", "state JSON",
 * "kill N", "exit N" | "signal N", "delete N" (N: the runtime's exit status, or the app's).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *runtime, *root, *bundle, *id;
static FILE *report;

/* Runs the runtime with the global flags the shim gives; out_fd, when not -1, becomes its stdout. */
static int run(int in_fd, int out_fd, const char *command, const char *a, const char *b, const char *c,
               const char *d, const char *e) {
    char log[4096];
    snprintf(log, sizeof log, "%s/log.json", bundle);
    const char *argv[16] = {runtime, "--root", root, "--log", log, "--log-format", "json", command};
    int n = 8;
    const char *extra[] = {a, b, c, d, e};
    for (int i = 0; i < 5 && extra[i]; i++) argv[n++] = extra[i];
    fflush(report);
    pid_t pid = fork();
    if (pid == 0) {
        if (in_fd >= 0) dup2(in_fd, 0);
        if (out_fd >= 0) dup2(out_fd, 1);
        execv(runtime, (char **)argv);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: oci_shim RUNTIME ROOT BUNDLE ID REPORT [SIGNAL]\n");
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
    int status = run(in[0], -1, "create", "--bundle", bundle, "--pid-file", pid_file, id);
    close(in[0]);
    fprintf(report, "create %d\n", status);
    if (status != 0) return 0;
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
                         : !strcmp(controller + 1, "pids") ? "pids.max" : NULL;
        if (!file) continue;
        char limit_path[1024], value[64];
        snprintf(limit_path, sizeof limit_path, "/sys/fs/cgroup/%s%s/%s", controller + 1, path, file);
        FILE *l = fopen(limit_path, "r");
        if (l && fgets(value, sizeof value, l)) fprintf(report, "limit %s %s", file, value);
        if (l) fclose(l);
    }
    if (f) fclose(f);

    fprintf(report, "start %d\n", run(-1, -1, "start", id, NULL, NULL, NULL, NULL));
    if (argc > 6) {
        /* the app reads stdin now or very soon: let it get there */
        usleep(200 * 1000);
        fprintf(report, "state ");
        fflush(report);
        run(-1, fileno(report), "state", id, NULL, NULL, NULL, NULL);
        fprintf(report, "kill %d\n", run(-1, -1, "kill", id, argv[6], NULL, NULL, NULL));
    }
    int ended;
    if (waitpid(pid, &ended, 0) != pid) return 4;
    if (WIFEXITED(ended)) fprintf(report, "exit %d\n", WEXITSTATUS(ended));
    else fprintf(report, "signal %d\n", WTERMSIG(ended));
    fprintf(report, "delete %d\n", run(-1, -1, "delete", id, NULL, NULL, NULL, NULL));
    close(in[1]);
    fclose(report);
    return 0;
}
