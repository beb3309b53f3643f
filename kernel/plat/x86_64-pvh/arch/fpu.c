#include "pvh/cpu.h"
#include "pvh/io.h"
#include "kernel/panic.h"
#include "kernel/string.h"

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE (1ull << 18)
#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)
#define MXCSR_DEFAULT 0x1f80u /* all exceptions masked, round to nearest: what Wasm requires */

void fpu_init(void) {
    struct cpuid_regs f = cpuid(1, 0);
    if (!(f.edx >> 25 & 1) || !(f.edx >> 26 & 1)) panic("cpu: SSE and SSE2 are required");
    if (!(f.ecx >> 20 & 1) || !(f.ecx >> 23 & 1)) {
        panic("cpu: the app is built for x86-64-v2, but this CPU lacks %s%s (QEMU: use -cpu max or -cpu host)",
              (f.ecx >> 20 & 1) ? "" : "SSE4.2 ", (f.ecx >> 23 & 1) ? "" : "POPCNT");
    }

    uint64_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));

    uint64_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
    bool xsave = f.ecx >> 26 & 1;
    if (xsave) cr4 |= CR4_OSXSAVE;
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));

    if (xsave) {
        /* Enable exactly the state components the CPU supports among x87, SSE and AVX; AVX-512 state
         * stays off because the app code is never built for it. */
        uint64_t supported = cpuid(0xd, 0).eax;
        uint64_t xcr0 = XCR0_X87 | XCR0_SSE | (supported & XCR0_AVX);
        __asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)));
    }
    uint32_t mxcsr = MXCSR_DEFAULT;
    __asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
}

bool cpu_is_kvm(void) {
    struct cpuid_regs r = cpuid(0x40000000, 0);
    char sig[13];
    memcpy(sig, &r.ebx, 4);
    memcpy(sig + 4, &r.ecx, 4);
    memcpy(sig + 8, &r.edx, 4);
    sig[12] = '\0';
    return memcmp(sig, "KVMKVMKVM\0\0\0", 12) == 0;
}
