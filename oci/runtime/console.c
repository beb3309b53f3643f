#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

bool console_open(struct console *c, unsigned rows, unsigned columns, char *err, size_t err_size) {
    c->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (c->master < 0 || grantpt(c->master) || unlockpt(c->master) || ptsname_r(c->master, c->slave, sizeof c->slave)) {
        snprintf(err, err_size, "cannot open a pseudo-terminal for process.terminal: %s", strerror(errno));
        if (c->master >= 0) close(c->master);
        return false;
    }
    if (rows && columns) {
        struct winsize size = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)columns};
        if (ioctl(c->master, TIOCSWINSZ, &size)) {
            snprintf(err, err_size, "cannot set the terminal's size (process.consoleSize): %s", strerror(errno));
            close(c->master);
            return false;
        }
    }
    return true;
}

bool console_send(const struct console *c, const char *socket_path, char *err, size_t err_size) {
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(socket_path) >= sizeof address.sun_path) {
        snprintf(err, err_size, "--console-socket %s: longer than a unix socket's %zu bytes", socket_path,
                 sizeof address.sun_path - 1);
        return false;
    }
    strcpy(address.sun_path, socket_path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&address, sizeof address)) {
        snprintf(err, err_size, "cannot connect to --console-socket %s: %s", socket_path, strerror(errno));
        if (s >= 0) close(s);
        return false;
    }
    /* the shim names the file it receives after the data */
    static char name[] = "/dev/ptmx";
    struct iovec data = {.iov_base = name, .iov_len = strlen(name)};
    union {
        struct cmsghdr header;
        char bytes[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = {
        .msg_iov = &data, .msg_iovlen = 1, .msg_control = control.bytes, .msg_controllen = sizeof control.bytes};
    struct cmsghdr *rights = CMSG_FIRSTHDR(&message);
    rights->cmsg_level = SOL_SOCKET;
    rights->cmsg_type = SCM_RIGHTS;
    rights->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(rights), &c->master, sizeof(int));
    ssize_t sent;
    do sent = sendmsg(s, &message, MSG_NOSIGNAL);
    while (sent < 0 && errno == EINTR);
    int saved = errno;
    close(s);
    if (sent < 0) {
        snprintf(err, err_size, "cannot send the terminal over --console-socket %s: %s", socket_path, strerror(saved));
        return false;
    }
    return true;
}

bool console_attach(const struct console *c, char *err, size_t err_size) {
    int slave = open(c->slave, O_RDWR | O_NOCTTY);
    if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) || dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0) {
        snprintf(err, err_size, "cannot make %s the container's terminal: %s", c->slave, strerror(errno));
        return false;
    }
    if (slave > 2) close(slave);
    close(c->master);
    return true;
}
