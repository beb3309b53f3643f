/*
 * The container's terminal (process.terminal with --console-socket, `ctr run -t`), as runc makes it:
 * a pseudo-terminal whose slave is the app's stdin, stdout, stderr and controlling terminal, and
 * whose master goes to the shim over the console socket (SCM_RIGHTS).
 */
#ifndef UNIWASM_RUNTIME_CONSOLE_H
#define UNIWASM_RUNTIME_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

struct console {
    int master;
    char slave[64]; /* /dev/pts/N */
};

/* Opens a pseudo-terminal of rows x columns (0: left as the kernel makes it). */
bool console_open(struct console *c, unsigned rows, unsigned columns, char *err, size_t err_size);
/* Hands the master to whoever listens on the unix socket at socket_path, as runc does: one message
 * whose data is the master's name and whose SCM_RIGHTS carries its descriptor. */
bool console_send(const struct console *c, const char *socket_path, char *err, size_t err_size);
/* In the container's process, a session leader: the slave becomes fds 0-2 and the controlling terminal. */
bool console_attach(const struct console *c, char *err, size_t err_size);

#endif
