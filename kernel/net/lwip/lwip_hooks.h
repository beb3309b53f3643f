/*
 * The lwIP hooks the kernel installs (lwipopts.h names this file as LWIP_HOOK_FILENAME).
 */
#ifndef KERNEL_NET_LWIP_HOOKS_H
#define KERNEL_NET_LWIP_HOOKS_H

#include "lwip/arch.h"
#include "lwip/err.h"

struct tcp_pcb;
struct tcp_hdr;
struct pbuf;

/* LWIP_HOOK_TCP_INPACKET_PCB: every segment matched to a connection, before lwIP processes it;
 * anything but ERR_OK drops the segment (net/tcp_timewait.c). */
err_t tcp_timewait_inpacket_hook(struct tcp_pcb *pcb, struct tcp_hdr *hdr, u16_t optlen, u16_t opt1len, u8_t *opt2,
                                 struct pbuf *p);

#endif
