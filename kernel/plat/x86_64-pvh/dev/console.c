/*
 * The x86-64 PVH platform's console (kernel/README.md, "Console protocol"): COM1 carries the app's
 * stdout and stdin, COM2 its stderr, COM3 the control channel.
 */
#include "kernel/console.h"
#include "kernel/platform.h"
#include "pvh/console.h"
#include "pvh/io.h"
#include "pvh/serial.h"

#define STDIN_RING_SIZE 4096u
#define CONTROL_LINE_MAX 64u

static bool have_com1, have_com2, have_com3;
static bool receive_by_interrupt;

/* Bytes received on COM1 and not yet read by the app. Filled by the interrupt handler, drained by
 * plat_stdin_read with interrupts off; when full, COM1's receive interrupt is switched off so the
 * UART's FIFO (and then the host side) holds further input instead of losing it. */
static uint8_t stdin_ring[STDIN_RING_SIZE];
static uint32_t stdin_head, stdin_count;
static bool stdin_paused;
static bool stdin_eof;
/* "eof <n>" names the total number of stdin bytes the host sent, so end of input is reported only
 * after all of them arrived, however far the UART lags behind the control channel. */
static uint64_t stdin_received, stdin_eof_after;

static char control_line[CONTROL_LINE_MAX];
static uint32_t control_len;
static bool control_line_overflow;

void console_init(void) {
    have_com1 = serial_init(COM1_PORT);
    have_com2 = serial_init(COM2_PORT);
    have_com3 = serial_init(COM3_PORT);
}

/* Without a second UART, stderr shares COM1 rather than vanishing. */
void plat_console_write(enum plat_stream stream, const void *buf, size_t len) {
    switch (stream) {
    case PLAT_STDOUT:
        if (have_com1) serial_write(COM1_PORT, buf, len);
        break;
    case PLAT_STDERR:
        if (have_com2) serial_write(COM2_PORT, buf, len);
        else if (have_com1) serial_write(COM1_PORT, buf, len);
        break;
    case PLAT_CONTROL: {
        if (!have_com3) break;
        /* whole lines only: the receive interrupt answers "stats" on this port too */
        uint64_t flags = irq_save();
        serial_write(COM3_PORT, buf, len);
        irq_restore(flags);
        break;
    }
    }
}

/* How long the VM's end waits for the host to take the console's last bytes: the output was written,
 * so only a host that stopped reading makes it wait (it is then stopping the VM anyway). */
#define CONSOLE_DRAIN_NS (2ull * 1000 * 1000 * 1000)

void console_drain(void) {
    uint64_t deadline = plat_clock_monotonic_ns() + CONSOLE_DRAIN_NS;
    if (have_com1) serial_drain(COM1_PORT, deadline);
    if (have_com2) serial_drain(COM2_PORT, deadline);
    if (have_com3) serial_drain(COM3_PORT, deadline);
}

static void control_line_complete(void) {
    control_line[control_len] = '\0';
    if (control_line_overflow) {
        console_verbose("ignored an over-long control line");
    } else if (control_len >= 3 && control_line[0] == 'e' && control_line[1] == 'o' && control_line[2] == 'f' &&
               (control_len == 3 || control_line[3] == ' ')) {
        uint64_t total = 0;
        for (uint32_t i = 4; i < control_len && control_line[i] >= '0' && control_line[i] <= '9'; i++) {
            total = total * 10 + (uint64_t)(control_line[i] - '0');
        }
        stdin_eof_after = total;
        stdin_eof = true;
    } else if (control_len == 5 && control_line[0] == 's' && control_line[1] == 't' && control_line[2] == 'a' &&
               control_line[3] == 't' && control_line[4] == 's') {
        kernel_report_stats(); /* from the interrupt: the app may be busy or halted for long */
    } else if (control_len) {
        console_verbose("ignored unknown control line \"%s\"", control_line);
    }
    control_len = 0;
    control_line_overflow = false;
}

static bool drain_control(void) {
    bool got = false;
    while (have_com3 && serial_rx_ready(COM3_PORT)) {
        char c = (char)serial_rx_byte(COM3_PORT);
        got = true;
        if (c == '\n') control_line_complete();
        else if (c == '\r') continue;
        else if (control_len + 1 < CONTROL_LINE_MAX) control_line[control_len++] = c;
        else control_line_overflow = true;
    }
    return got;
}

static bool drain_stdin(void) {
    bool got = false;
    while (have_com1 && serial_rx_ready(COM1_PORT)) {
        if (stdin_count == STDIN_RING_SIZE) {
            stdin_paused = true;
            if (receive_by_interrupt) serial_rx_interrupt(COM1_PORT, false);
            break;
        }
        stdin_ring[(stdin_head + stdin_count) % STDIN_RING_SIZE] = serial_rx_byte(COM1_PORT);
        stdin_count++;
        stdin_received++;
        got = true;
    }
    return got;
}

/* COM1 and COM3 share ISA IRQ 4, and QEMU models a shared ISA line as "last writer wins": one UART
 * can lower the line while the other still has data. So every interrupt drains both until a full
 * pass finds nothing; anything arriving after that raises the line again and interrupts anew. */
void console_receive_interrupt(void) {
    bool got;
    do {
        got = drain_stdin();
        got |= drain_control();
    } while (got);
}

void console_enable_receive(void) {
    receive_by_interrupt = true;
    if (have_com1) serial_rx_interrupt(COM1_PORT, true);
    if (have_com3) serial_rx_interrupt(COM3_PORT, true);
}

bool plat_stdin_ready(void) {
    uint64_t flags = irq_save();
    if (!receive_by_interrupt) console_receive_interrupt();
    bool available = stdin_count != 0;
    irq_restore(flags);
    return available;
}

bool plat_stdin_at_eof(void) {
    uint64_t flags = irq_save();
    if (!receive_by_interrupt) console_receive_interrupt();
    bool eof = !stdin_count && ((stdin_eof && stdin_received >= stdin_eof_after) || !have_com1);
    irq_restore(flags);
    return eof;
}

size_t plat_stdin_read(void *buf, size_t len) {
    if (len == 0) return 0;
    for (;;) {
        uint64_t flags = irq_save();
        if (!receive_by_interrupt) console_receive_interrupt();
        if (stdin_count) {
            size_t n = len < stdin_count ? len : stdin_count;
            uint8_t *out = buf;
            for (size_t i = 0; i < n; i++) out[i] = stdin_ring[(stdin_head + i) % STDIN_RING_SIZE];
            stdin_head = (stdin_head + (uint32_t)n) % STDIN_RING_SIZE;
            stdin_count -= (uint32_t)n;
            if (stdin_paused) {
                stdin_paused = false;
                if (receive_by_interrupt) serial_rx_interrupt(COM1_PORT, true);
                console_receive_interrupt();
            }
            irq_restore(flags);
            return n;
        }
        if ((stdin_eof && stdin_received >= stdin_eof_after) || !have_com1) {
            irq_restore(flags);
            return 0;
        }
        if (receive_by_interrupt) irq_enable_and_halt();
        else __builtin_ia32_pause(); /* no interrupt controller: polling is all we can do */
        irq_restore(flags);
    }
}
