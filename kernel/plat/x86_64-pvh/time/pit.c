/* Measures the TSC against the i8254 PIT's 1.193182 MHz counter for 10 ms. Channel 0 is used, not
 * channel 2, because channel 2's gate (port 0x61) is missing on QEMU's microvm. */
#include "pvh/clock.h"
#include "pvh/io.h"

#define PIT_HZ 1193182ull
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_LOHI_RATE_GENERATOR 0x34
#define PIT_CH0_LATCH 0x00
#define PIT_CH0_LOHI_ONESHOT 0x30
#define MEASURE_TICKS (PIT_HZ / 100)

static uint16_t read_counter(void) {
    outb(PIT_COMMAND, PIT_CH0_LATCH);
    uint8_t lo = inb(PIT_CHANNEL0);
    uint8_t hi = inb(PIT_CHANNEL0);
    return (uint16_t)(hi << 8 | lo);
}

uint64_t pit_measure_tsc_hz(void) {
    outb(PIT_COMMAND, PIT_CH0_LOHI_RATE_GENERATOR);
    outb(PIT_CHANNEL0, 0);
    outb(PIT_CHANNEL0, 0); /* reload 0 = 65536 */

    uint16_t prev = read_counter();
    uint64_t start = rdtsc();
    uint64_t elapsed = 0;
    uint64_t unchanged = 0;
    while (elapsed < MEASURE_TICKS) {
        uint16_t now = read_counter();
        if (now == prev) {
            /* A missing PIT reads as a constant; give up after ~1e6 identical reads. */
            if (++unchanged > 1000000) return 0;
            continue;
        }
        unchanged = 0;
        elapsed += (uint16_t)(prev - now);
        prev = now;
    }
    uint64_t ticks = rdtsc() - start;
    /* Mode 0 without a count written stops the counter, so the PIT does not keep the host busy. */
    outb(PIT_COMMAND, PIT_CH0_LOHI_ONESHOT);
    return ticks * PIT_HZ / elapsed;
}
