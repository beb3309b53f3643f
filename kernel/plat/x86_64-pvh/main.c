/*
 * Kernel entry after boot/pvh.S: bring up the machine in dependency order, then run the app.
 */
#include "kernel/apic.h"
#include "kernel/app.h"
#include "kernel/bootconfig.h"
#include "kernel/bootinfo.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/interrupts.h"
#include "kernel/io.h"
#include "kernel/paging.h"
#include "kernel/pmm.h"
#include "kernel/serial.h"
#include "fs/vfs.h"
#include "net/net.h"

#define COM1_COM3_IRQ 4

static struct boot_info boot_info;
static struct boot_config boot_config;
static struct boot_config baked_config;

_Noreturn void kernel_main(uint32_t start_info_paddr);

_Noreturn void kernel_main(uint32_t start_info_paddr) {
    console_init();
    console_control("boot tsc=%llu", (unsigned long long)boot_tsc);

    gdt_init();
    idt_init();
    fpu_init();
    bootinfo_parse(start_info_paddr, &boot_info);
    pmm_init(&boot_info);
    paging_init();

    /* the run-time config's args and env replace the baked ones; mounts of both apply, baked first */
    bootconfig_parse(uw_baked_config, (uint64_t)(uw_baked_config_end - uw_baked_config), "baked", &baked_config);
    if (boot_info.runtime_config) {
        bootconfig_parse(boot_info.runtime_config, boot_info.runtime_config_size, "run-time", &boot_config);
    } else {
        boot_config = baked_config;
    }
    console_set_verbose(boot_config.verbose);
    vfs_init(&baked_config, boot_info.runtime_config ? &boot_config : NULL);

    clock_init();
    console_verbose("tsc %llu Hz from %s; %llu MiB free; boot config %s with %u args, %u env",
                    (unsigned long long)clock_tsc_hz(), clock_tsc_source(),
                    (unsigned long long)(pmm_free_frames() * PAGE_SIZE >> 20), boot_config.origin,
                    boot_config.argc, boot_config.envc);

    if (apic_init() && ioapic_route_isa_irq(COM1_COM3_IRQ)) {
        interrupts_set_irq_handler(COM1_COM3_IRQ, console_receive_interrupt);
        console_enable_receive();
    } else {
        console_verbose("no APIC/I/O APIC: stdin is polled");
    }
    /* the run-time config's network wins over the baked one as a whole */
    net_init(boot_info.cmdline,
             boot_config.network.present ? &boot_config.network : &baked_config.network);
    irq_enable();

    app_run(&boot_config);
}
