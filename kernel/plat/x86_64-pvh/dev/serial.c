#include "pvh/serial.h"
#include "pvh/io.h"
#include "kernel/platform.h"

enum {
    UART_DATA = 0, /* RBR/THR; DLL when DLAB is set */
    UART_IER = 1,  /* interrupt enable; DLM when DLAB is set */
    UART_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_SCRATCH = 7,
};
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
/* FIFOs stay off: switching them on flushes the receiver (QEMU does so too), which would drop input
 * the host sent before the kernel booted. Without the FIFO each received byte interrupts once. */
#define FCR_FIFO_OFF 0x00
#define MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the UART's interrupt line on PC hardware */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LSR_TRANSMITTER_EMPTY 0x40
#define IER_RX_AVAILABLE 0x01

bool serial_init(uint16_t port) {
    /* A missing UART reads as all ones; a present one keeps what we write into its scratch register. */
    outb(port + UART_SCRATCH, 0x5a);
    if (inb(port + UART_SCRATCH) != 0x5a) return false;
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, LCR_DLAB);
    outb(port + UART_DATA, 1); /* divisor 1: 115200 baud */
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, LCR_8N1);
    outb(port + UART_FCR, FCR_FIFO_OFF);
    outb(port + UART_MCR, MCR_DTR_RTS_OUT2);
    return true;
}

void serial_write(uint16_t port, const void *buf, size_t len) {
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++) {
        while (!(inb(port + UART_LSR) & LSR_THR_EMPTY)) __builtin_ia32_pause();
        outb(port + UART_DATA, p[i]);
    }
}

/* A bound that holds before the clock is calibrated (a panic that early reads it as 0): each port read
 * is a VM exit, some microseconds. */
#define DRAIN_POLLS_MAX (1u << 20)

bool serial_drain(uint16_t port, uint64_t deadline_ns) {
    for (uint32_t polls = 0; !(inb(port + UART_LSR) & LSR_TRANSMITTER_EMPTY); polls++) {
        if (polls >= DRAIN_POLLS_MAX || plat_clock_monotonic_ns() >= deadline_ns) return false;
        __builtin_ia32_pause();
    }
    return true;
}

bool serial_rx_ready(uint16_t port) { return inb(port + UART_LSR) & LSR_DATA_READY; }

uint8_t serial_rx_byte(uint16_t port) { return inb(port + UART_DATA); }

void serial_rx_interrupt(uint16_t port, bool enabled) { outb(port + UART_IER, enabled ? IER_RX_AVAILABLE : 0); }
