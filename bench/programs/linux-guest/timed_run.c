/*
 * timed_run OUTPUT-FILE PROGRAM [ARGS...]: runs PROGRAM with its standard output in OUTPUT-FILE
 * and then prints its exit status and how long it ran, measured inside the Linux guest, so the
 * compute suite's figure for a native program in a VM leaves out the VM's boot. Standard output
 * goes to a file (in the guest's RAM) rather than the serial console so that the program writes
 * to something as cheap as the pipe a host process gets.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: timed_run OUTPUT-FILE PROGRAM [ARGS...]\n");
        return 2;
    }
    int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        perror(argv[1]);
        return 2;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        dup2(out, STDOUT_FILENO);
        close(out);
        execv(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) {
        perror("waitpid");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    long long ns = (long long)(end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("uniwasm-bench: status=%d run_ns=%lld\n", code, ns);
    return 0;
}
