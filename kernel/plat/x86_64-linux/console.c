/*
 * The process platform's console: the app's stdout and stderr are the process's fds 1 and 2, its
 * stdin fd 0, all inherited as they are (a terminal, a pipe, a file). Control lines go to the run
 * file's descriptor when `uniwasm run` passed one, else nowhere.
 */
#include "kernel/platform.h"
#include "kernel/string.h"
#include "process/process.h"
#include "process/sys.h"

#define STDIN_BUFFER_SIZE 4096u

static int control_fd = -1;

/* Bytes plat_wait or plat_stdin_ready read ahead of the app (they must find out whether input
 * has ended, which only a read tells), handed out before fd 0 is read again. */
static uint8_t stdin_buffer[STDIN_BUFFER_SIZE] LARGE_STATIC;
static uint32_t stdin_head, stdin_count;
static bool stdin_eof;

void process_console_init(int fd) { control_fd = fd; }

static void write_all(int fd, const uint8_t *p, size_t len) {
    while (len) {
        int64_t n = sys3(SYS_write, (uint64_t)fd, (uint64_t)(uintptr_t)p, len);
        if (n == -LINUX_EINTR) continue;
        if (n == -LINUX_EAGAIN) {
            /* a non-blocking stdout someone else set up: wait until it drains */
            struct linux_pollfd pfd = {.fd = fd, .events = 0x004 /* POLLOUT */};
            sys4(SYS_ppoll, (uint64_t)(uintptr_t)&pfd, 1, 0, 0);
            continue;
        }
        if (n <= 0) return; /* a closed stream swallows output, as an unconnected serial port does */
        p += n;
        len -= (size_t)n;
    }
}

void plat_console_write(enum plat_stream stream, const void *buf, size_t len) {
    switch (stream) {
    case PLAT_STDOUT: write_all(1, buf, len); break;
    case PLAT_STDERR: write_all(2, buf, len); break;
    case PLAT_CONTROL:
        /* one write per line, on an O_APPEND descriptor: lines never interleave */
        if (control_fd >= 0) write_all(control_fd, buf, len);
        break;
    }
}

/* Reads what fd 0 has into the buffer; `wait` blocks until something arrives or input ends. */
static void stdin_fill(bool wait) {
    if (stdin_count || stdin_eof) return;
    if (wait) {
        /* a read that may block is a wait as plat_wait's is */
        process_memory_reclaim_idle();
    } else {
        struct linux_pollfd pfd = {.fd = 0, .events = POLLIN};
        struct linux_timespec zero = {0, 0};
        int64_t r = sys4(SYS_ppoll, (uint64_t)(uintptr_t)&pfd, 1, (uint64_t)(uintptr_t)&zero, 0);
        if (r <= 0) return;
    }
    for (;;) {
        int64_t n = sys3(SYS_read, 0, (uint64_t)(uintptr_t)stdin_buffer, STDIN_BUFFER_SIZE);
        if (n == -LINUX_EINTR) continue;
        if (n == -LINUX_EAGAIN) {
            if (!wait) return;
            struct linux_pollfd pfd = {.fd = 0, .events = POLLIN};
            sys4(SYS_ppoll, (uint64_t)(uintptr_t)&pfd, 1, 0, 0);
            continue;
        }
        /* end of input, or an error (a closed or unreadable fd 0): either way nothing more comes */
        if (n <= 0) stdin_eof = true;
        else {
            stdin_head = 0;
            stdin_count = (uint32_t)n;
        }
        return;
    }
}

size_t plat_stdin_read(void *buf, size_t len) {
    if (!len) return 0;
    stdin_fill(true);
    size_t n = len < stdin_count ? len : stdin_count;
    memcpy(buf, stdin_buffer + stdin_head, n);
    stdin_head += (uint32_t)n;
    stdin_count -= (uint32_t)n;
    return n;
}

bool plat_stdin_ready(void) {
    stdin_fill(false);
    return stdin_count != 0;
}

bool plat_stdin_at_eof(void) {
    stdin_fill(false);
    return !stdin_count && stdin_eof;
}

/* Called by plat_wait: fd 0 is worth waiting on only while nothing is buffered and input goes on. */
bool process_stdin_pollable(void) { return !stdin_count && !stdin_eof; }

void process_stdin_readable(void) { stdin_fill(false); }
