/*
 * lwIP configuration for the unikernel: no OS (NO_SYS), raw API only, IPv4 with TCP and UDP, a
 * static address from the boot configuration (no DHCP), DNS through the configuration's server.
 * Everything runs in the kernel's main context (the network event loop in net/net.c); interrupt
 * handlers never enter lwIP, so no locking is needed.
 *
 * Sizing, for at least 1000 concurrent TCP connections without large static pools: the control
 * blocks and segment descriptors are static pools (a few hundred bytes per connection), packet
 * data lives in the PBUF_POOL (received frames) and in the kernel heap (everything lwIP allocates
 * with mem_malloc: outgoing segments), so data memory grows with traffic, not with the limits.
 * The resulting .bss is reported by `llvm-size` on the kernel archive (see the final report).
 */
#ifndef UNIWASM_LWIPOPTS_H
#define UNIWASM_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_RAW 0
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_TCP 1
#define LWIP_UDP 1
#define LWIP_ICMP 1
#define LWIP_ARP 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 1
/* one server (the boot configuration's), a few names in flight, lwIP's retry schedule (about 7 s
 * until a lookup without an answer fails) */
#define DNS_MAX_SERVERS 1
#define DNS_TABLE_SIZE 4
#define DNS_MAX_RETRIES 4
#define DNS_MAX_NAME_LENGTH 256
#define LWIP_DNS_SUPPORT_MDNS_QUERIES 0
/* SO_REUSEADDR on TCP and UDP pcbs (sock_setsockopt; the pre-opened listeners set it) */
#define SO_REUSE 1
/* a SYN reusing the 4-tuple of a connection in TIME-WAIT (net/tcp_timewait.c) */
#define LWIP_HOOK_FILENAME "lwip_hooks.h"
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
    tcp_timewait_inpacket_hook(pcb, hdr, optlen, opt1len, opt2, p)
/* TIME-WAIT lasts 2 * TCP_MSL: 60 s, as on Linux (lwIP's default is 120 s) */
#define TCP_MSL 30000UL
#define LWIP_STATS 0
#define LWIP_NETIF_HOSTNAME 0
#define LWIP_NETIF_LOOPBACK 0
#define LWIP_HAVE_LOOPIF 0
#define IP_REASSEMBLY 0
#define IP_FRAG 0
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define LWIP_TIMEVAL_PRIVATE 0

/* heap: the kernel's allocator (size classes up to 2 KiB fit a full frame) */
#define MEM_LIBC_MALLOC 1
#define mem_clib_malloc uw_lwip_malloc
#define mem_clib_calloc uw_lwip_calloc
#define mem_clib_free uw_lwip_free
#define MEM_ALIGNMENT 8

/* connections */
#define MEMP_NUM_TCP_PCB 1100
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define MEMP_NUM_UDP_PCB 32 /* the app's UDP sockets and DNS */
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 255

/* segments: a connection's unacknowledged and queued send segments draw on this pool */
#define TCP_MSS 1460
#define TCP_WND (16 * TCP_MSS)
#define TCP_SND_BUF (16 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF) / TCP_MSS)
#define MEMP_NUM_TCP_SEG 8192
#define MEMP_NUM_REASSDATA 0
#define MEMP_NUM_FRAG_PBUF 0
#define MEMP_NUM_ARP_QUEUE 64
#define ARP_TABLE_SIZE 32
#define ARP_QUEUEING 1
#define MEMP_NUM_PBUF 256
#define LWIP_TCP_SACK_OUT 0
#define TCP_QUEUE_OOSEQ 1
#define TCP_OOSEQ_MAX_PBUFS 8

/* received frames: one copy from the virtio RX buffer into a pool pbuf */
#define PBUF_POOL_SIZE 1024
#define PBUF_POOL_BUFSIZE 1536
#define PBUF_LINK_HLEN 14
#define ETH_PAD_SIZE 0

/* Checksums: lwIP checks received ones in software; for sent TCP and UDP segments it skips them
 * when the device offers VIRTIO_NET_F_CSUM (per-netif control; net/net.c supplies the pseudo-header
 * sum and the device completes the checksum). */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_UDP 1
#define LWIP_CHKSUM_ALGORITHM 3

#define LWIP_DEBUG 0

#endif
