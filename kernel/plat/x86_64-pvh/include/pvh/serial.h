/* 16550A UART on an I/O port base: polled transmit, interrupt-driven receive. */
#ifndef PVH_SERIAL_H
#define PVH_SERIAL_H

#include "kernel/types.h"

#define COM1_PORT 0x3f8
#define COM2_PORT 0x2f8
#define COM3_PORT 0x3e8

/* Programs 115200 8N1 with FIFOs; returns false when no UART answers at `port`. */
bool serial_init(uint16_t port);
void serial_write(uint16_t port, const void *buf, size_t len);
/* Waits until the UART has handed its last byte to the host (LSR's transmitter-empty bit), or until
 * the monotonic clock reaches deadline_ns; false then. THR-empty alone is not enough: QEMU sets it
 * once the byte moved to the transmit register, and a byte the host side could not take at once
 * stays there for a retry, which QEMU's exit would drop. */
bool serial_drain(uint16_t port, uint64_t deadline_ns);
/* True when a received byte is waiting. */
bool serial_rx_ready(uint16_t port);
uint8_t serial_rx_byte(uint16_t port);
/* Enables or disables the "received data available" interrupt. */
void serial_rx_interrupt(uint16_t port, bool enabled);

#endif
