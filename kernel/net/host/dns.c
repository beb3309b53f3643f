/* Name lookups on host sockets: numeric names and "localhost" only (dns_names.c); there is no
 * resolver yet, so any other name is DNS_NO_NETWORK, what the VM answers when it has no DNS server. */
#include "dns.h"

void dns_setup(const uint8_t server[4]) {
    (void)server;
}

enum dns_result dns_lookup(const char *name, uint8_t address[4]) {
    if (dns_answer_locally(name, address)) return DNS_FOUND;
    return DNS_NO_NETWORK;
}
