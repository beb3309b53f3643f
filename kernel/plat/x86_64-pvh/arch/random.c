/* plat_entropy from the CPU's generator: RDSEED when present (a true-entropy source), else RDRAND.
 * There is no fallback to a fixed or time-based seed: without either instruction the kernel panics. */
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "pvh/io.h"

#define RDRAND_RETRIES 10   /* Intel's guidance: 10 failures in a row mean a broken generator */
#define RDSEED_RETRIES 1000 /* RDSEED may legitimately run dry for a while */

static int have_rdrand = -1, have_rdseed = -1;

static bool rdseed64(uint64_t *v) {
    for (int i = 0; i < RDSEED_RETRIES; i++) {
        unsigned char ok;
        __asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
        if (ok) return true;
        __builtin_ia32_pause();
    }
    return false;
}

static bool rdrand64(uint64_t *v) {
    for (int i = 0; i < RDRAND_RETRIES; i++) {
        unsigned char ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
        if (ok) return true;
    }
    return false;
}

static uint64_t random_u64(void) {
    if (have_rdrand < 0) {
        have_rdrand = cpuid(1, 0).ecx >> 30 & 1;
        have_rdseed = cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx >> 18 & 1);
    }
    uint64_t v;
    if (have_rdseed == 1 && rdseed64(&v)) return v;
    if (have_rdrand == 1 && rdrand64(&v)) return v;
    if (have_rdrand != 1 && have_rdseed != 1) {
        panic("random_get: the CPU has neither RDRAND nor RDSEED (QEMU: use -cpu host or -cpu max)");
    }
    panic("random_get: the CPU's random generator keeps failing");
}

void plat_entropy(void *buf, size_t len) {
    uint8_t *out = buf;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t v = random_u64();
        size_t n = len - i < 8 ? len - i : 8;
        __builtin_memcpy(out + i, &v, n);
    }
}
