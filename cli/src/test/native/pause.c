/*
 * The sandbox ("pause") container of CriTest's pods: containerd's CRI plugin starts one per pod from
 * its sandbox_image, before the pod's containers, and stops it with SIGTERM (then SIGKILL) when the
 * pod stops. The usual image (registry.k8s.io/pause) is out of reach here, so the test builds this
 * one, statically linked, into a scratch linux/amd64 image.
 *
 * It is its pid namespace's first process, to which Linux delivers no signal left at its default
 * action: so it waits for SIGTERM and SIGINT itself (and exits 0 on either), reaping any child that
 * ends meanwhile, as pause does. So that a pod a failed test left behind does not wait for ever, it
 * also exits (status 2) after an hour.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

#define LIFETIME_SECONDS 3600

int main(void) {
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &wanted, NULL) != 0) {
        perror("pause: sigprocmask");
        return 1;
    }
    struct timespec now, end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += LIFETIME_SECONDS;
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec >= end.tv_sec) return 2;
        struct timespec left = {end.tv_sec - now.tv_sec, 0};
        int sig = sigtimedwait(&wanted, NULL, &left);
        if (sig == SIGTERM || sig == SIGINT) return 0;
        if (sig == SIGCHLD) {
            while (waitpid(-1, NULL, WNOHANG) > 0) {
            }
        }
    }
}
