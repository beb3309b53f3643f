/* random_get from the CPU's generator: RDSEED when present (a true-entropy source), else RDRAND.
 * There is no fallback to a fixed or time-based seed: without either instruction the kernel panics. */
#include "kernel/io.h"
#include "kernel/panic.h"
#include "wasi.h"

#define RDRAND_RETRIES 10     /* Intel's guidance: 10 failures in a row mean a broken generator */
#define RDSEED_RETRIES 1000   /* RDSEED may legitimately run dry for a while */

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

int32_t wasi_random_get(uw_vmctx *ctx, int32_t buf, int32_t buf_len) {
    uint8_t *out = guest_range(ctx, (uint32_t)buf, (uint32_t)buf_len);
    if (!out) return WASI_EFAULT;
    for (uint32_t i = 0; i < (uint32_t)buf_len; i += 8) {
        uint64_t v = random_u64();
        uint32_t n = (uint32_t)buf_len - i < 8 ? (uint32_t)buf_len - i : 8;
        __builtin_memcpy(out + i, &v, n);
    }
    return WASI_ESUCCESS;
}
