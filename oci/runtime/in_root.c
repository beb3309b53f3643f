#include "in_root.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

int in_root_open(int root, const char *path, int flags) {
    while (*path == '/') path++;
    /* magic links (/proc/self/...) would leave the root however it is resolved */
    struct open_how how = {.flags = (unsigned long long)(flags | O_CLOEXEC),
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    int fd = -1;
    /* EAGAIN: a rename elsewhere in the root raced the lookup, which the kernel then refuses */
    for (int attempt = 0; attempt < 100; attempt++) {
        fd = (int)syscall(SYS_openat2, root, *path ? path : ".", &how, sizeof how);
        if (fd >= 0 || (errno != EINTR && errno != EAGAIN)) break;
    }
    return fd;
}

bool in_root_exists(int root, const char *path) {
    int fd = in_root_open(root, path, O_PATH | O_NOFOLLOW);
    if (fd < 0) return false;
    close(fd);
    return true;
}
