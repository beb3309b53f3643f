/* The two C library functions Lua's io and os libraries call that Debian 12's wasi-libc lacks. WASI
 * preview1 can start no process and has no anonymous temporary files, so both fail as the C standard
 * allows (Lua then returns nil plus the error message to the script). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

FILE *tmpfile(void) {
    errno = ENOSYS;
    return NULL;
}

int system(const char *command) {
    if (command == NULL) return 0; /* no command processor */
    errno = ENOSYS;
    return -1;
}
