/* Ending the VM: "exit <status>" on the control channel, then isa-debug-exit (port 0xf4); if that
 * device is absent, a triple fault (QEMU -no-reboot turns it into an exit). */
#include "kernel/console.h"
#include "kernel/platform.h"
#include "pvh/console.h"
#include "pvh/io.h"

#define ISA_DEBUG_EXIT_PORT 0xf4

_Noreturn void plat_exit(uint32_t status) {
    irq_disable();
    /* stdout's and stderr's last bytes before the exit line, and that line before the VM ends: a
     * byte QEMU has not passed on yet would go with it (serial_drain) */
    console_drain();
    console_control("exit %u", status);
    console_drain();
    /* QEMU exits with (value << 1) | 1; the monitor reads the status from the control line instead. */
    outl(ISA_DEBUG_EXIT_PORT, status);
    /* Still running: no isa-debug-exit. An empty IDT turns the next exception into a triple fault. */
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } empty = {0, 0};
    __asm__ volatile("lidt %0; int3" : : "m"(empty));
    for (;;) __asm__ volatile("hlt");
}
