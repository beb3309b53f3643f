/* The serial console's set-up; the rest is platform.h's console section (dev/console.c). */
#ifndef PVH_CONSOLE_H
#define PVH_CONSOLE_H

void console_init(void);
/* Switches stdin and the control channel to interrupt-driven receive (after the IDT and APIC). */
void console_enable_receive(void);
/* Before the VM ends: waits (bounded) until the host took every byte written to the console's ports. */
void console_drain(void);
/* Called from the serial interrupt handler. */
void console_receive_interrupt(void);

#endif
