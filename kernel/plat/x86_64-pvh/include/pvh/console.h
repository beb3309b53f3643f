/* The serial console's set-up; the rest is platform.h's console section (dev/console.c). */
#ifndef PVH_CONSOLE_H
#define PVH_CONSOLE_H

void console_init(void);
/* Switches stdin and the control channel to interrupt-driven receive (after the IDT and APIC). */
void console_enable_receive(void);
/* Called from the serial interrupt handler. */
void console_receive_interrupt(void);

#endif
