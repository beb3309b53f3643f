/*
 * The containers bench's qemu-runc row under TCG: runs QEMU (argv[1..]) without transparent huge
 * pages, as uniwasm-runtime starts a VM container's QEMU under TCG (oci/runtime/vm.c, start_qemu;
 * docs/oci.md, "A VM container's memory"), so that the baseline differs from the uniwasm-vm row by
 * uniwasm-runtime's supervisor alone and not by 2 MiB pages. exec keeps the pid: the container's
 * process is QEMU itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: no-thp PROGRAM [ARG...]\n");
        return 2;
    }
    if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)) {
        fprintf(stderr, "no-thp: prctl(PR_SET_THP_DISABLE): %s\n", strerror(errno));
        return 1;
    }
    execvp(argv[1], argv + 1);
    fprintf(stderr, "no-thp: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
}
