/*
 * The x86-64 PVH platform's entry after boot/pvh.S: bring up the machine in dependency order, then
 * hand over to the portable kernel (platform.h, kernel_main).
 */
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/platform.h"
#include "pvh/apic.h"
#include "pvh/bootinfo.h"
#include "pvh/clock.h"
#include "pvh/console.h"
#include "pvh/cpu.h"
#include "pvh/interrupts.h"
#include "pvh/io.h"
#include "pvh/paging.h"
#include "pvh/pmm.h"

#define COM1_COM3_IRQ 4

struct boot_info pvh_boot_info;

_Noreturn void pvh_main(uint32_t start_info_paddr);

_Noreturn void pvh_main(uint32_t start_info_paddr) {
    console_init();
    console_control("boot tsc=%llu", (unsigned long long)boot_tsc);

    gdt_init();
    idt_init();
    fpu_init();
    bootinfo_parse(start_info_paddr, &pvh_boot_info);
    pmm_init(&pvh_boot_info);
    paging_init();
    clock_init();

    bool stdin_polled = false;
    if (apic_init() && ioapic_route_isa_irq(COM1_COM3_IRQ)) {
        interrupts_set_irq_handler(COM1_COM3_IRQ, console_receive_interrupt);
        console_enable_receive();
    } else {
        stdin_polled = true;
    }
    char summary[128];
    format(summary, sizeof summary, "tsc %llu Hz from %s; %llu MiB free%s", (unsigned long long)clock_tsc_hz(),
           clock_tsc_source(), (unsigned long long)(pmm_free_frames() * PAGE_SIZE >> 20),
           stdin_polled ? "; no APIC/I/O APIC: stdin is polled" : "");
    irq_enable();

    struct plat_start start = {
        .runtime_config = pvh_boot_info.runtime_config,
        .runtime_config_size = pvh_boot_info.runtime_config_size,
        .summary = summary,
    };
    kernel_main(&start);
}
