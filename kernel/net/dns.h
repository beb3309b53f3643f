/*
 * Host name lookups for the WASI layer: numeric IPv4 addresses and "localhost" are answered
 * locally (dns_names.c, the same for every stack), everything else by the stack: lwIP's DNS
 * resolver, which asks the DNS server of the boot configuration on the kernel's network event loop,
 * or net/host's, which asks the host's resolver (/etc/resolv.conf) over a host UDP socket.
 */
#ifndef KERNEL_NET_DNS_H
#define KERNEL_NET_DNS_H

#include "kernel/types.h"

/* How long a lookup waits for lwIP's resolver at most. lwIP gives up by itself sooner (about 7 s:
 * DNS_MAX_RETRIES tries at growing intervals); this bound only guards against a lost callback. */
#define DNS_LOOKUP_TIMEOUT_NS (10ull * 1000000000ull)

enum dns_result {
    DNS_FOUND,
    DNS_NOT_FOUND,  /* a negative answer, no answer within the retries, or an invalid name */
    DNS_NO_NETWORK, /* the VM has no network (no DNS server to ask) */
    DNS_NO_MEMORY,
};

/* Points the stack's resolver at the boot configuration's server (net_init calls it). */
void dns_setup(const uint8_t server[4]);
/* Resolves `name` (NUL-terminated) to an IPv4 address in wire order, blocking until lwIP answers. */
enum dns_result dns_lookup(const char *name, uint8_t address[4]);
/* Numeric IPv4 addresses and "localhost" (127.0.0.1): true with the address, asking no server. */
bool dns_answer_locally(const char *name, uint8_t address[4]);
/* Parses a dotted-quad IPv4 address (exactly four decimal parts 0..255); false for anything else. */
bool dns_parse_ipv4(const char *text, uint8_t address[4]);

#endif
