/* Ending the VM. */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include "kernel/types.h"

/* Writes "exit <status>" on the control channel, then stops the VM through isa-debug-exit (port
 * 0xf4); if that device is absent, through a triple fault (QEMU -no-reboot turns it into an exit). */
_Noreturn void power_off(uint32_t status);

#endif
