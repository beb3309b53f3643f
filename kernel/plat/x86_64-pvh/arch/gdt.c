#include "pvh/cpu.h"

#define IST_STACK_SIZE 16384

struct __attribute__((packed)) tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};

static uint8_t ist_stacks[4][IST_STACK_SIZE] __attribute__((aligned(16)));
static struct tss tss;
static uint64_t gdt[5];

struct __attribute__((packed)) descriptor_pointer {
    uint16_t limit;
    uint64_t base;
};

void gdt_init(void) {
    for (unsigned i = 0; i < 4; i++) tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK_SIZE);
    tss.iomap_base = sizeof tss; /* no I/O permission bitmap */

    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof tss - 1;
    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffull;                                     /* 64-bit code, DPL 0 */
    gdt[2] = 0x00cf92000000ffffull;                                     /* data, DPL 0 */
    gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 /* present, 64-bit TSS */
             | ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    gdt[4] = base >> 32;

    struct descriptor_pointer ptr = {sizeof gdt - 1, (uint64_t)(uintptr_t)gdt};
    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "mov %2, %%eax\n\t"
        "mov %%eax, %%ds\n\t"
        "mov %%eax, %%es\n\t"
        "mov %%eax, %%ss\n\t"
        "ltr %w3"
        :
        : "m"(ptr), "i"(KERNEL_CODE_SELECTOR), "i"(KERNEL_DATA_SELECTOR), "r"((uint16_t)TSS_SELECTOR)
        : "rax", "memory");
}
