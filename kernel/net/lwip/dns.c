/* Name lookups through lwIP's DNS resolver (raw API, NO_SYS) on the network event loop. */
#include "dns.h"

#include "kernel/platform.h"
#include "kernel/heap.h"
#include "kernel/string.h"
#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "net.h"

/* One lookup in flight. It lives on the heap, not the waiter's stack: if the waiter stops waiting
 * (its own timeout) lwIP still calls back later, and then frees it. */
struct lookup {
    bool done, found, abandoned;
    uint8_t address[4];
};

static void on_found(const char *name, const ip_addr_t *ip, void *arg) {
    (void)name;
    struct lookup *l = arg;
    if (l->abandoned) {
        heap_free(l);
        return;
    }
    l->done = true;
    if (ip && IP_IS_V4(ip)) {
        uint32_t a = ip4_addr_get_u32(ip_2_ip4(ip)); /* network order in memory */
        memcpy(l->address, &a, 4);
        l->found = true;
    }
}

static bool lookup_done(void *arg) { return ((struct lookup *)arg)->done; }

void dns_setup(const uint8_t server[4]) {
    ip_addr_t ip;
    IP_ADDR4(&ip, server[0], server[1], server[2], server[3]);
    dns_setserver(0, &ip);
}

enum dns_result dns_lookup(const char *name, uint8_t address[4]) {
    if (dns_answer_locally(name, address)) return DNS_FOUND;
    if (!net_available()) return DNS_NO_NETWORK;
    if (!*name || strlen(name) >= DNS_MAX_NAME_LENGTH) return DNS_NOT_FOUND;
    struct lookup *l = heap_alloc(sizeof *l);
    if (!l) return DNS_NO_MEMORY;
    memset(l, 0, sizeof *l);
    ip_addr_t ip;
    err_t err = dns_gethostbyname(name, &ip, on_found, l);
    if (err == ERR_OK) { /* cached */
        uint32_t a = ip4_addr_get_u32(ip_2_ip4(&ip));
        memcpy(address, &a, 4);
        heap_free(l);
        return DNS_FOUND;
    }
    if (err != ERR_INPROGRESS) {
        heap_free(l);
        return err == ERR_MEM ? DNS_NO_MEMORY : DNS_NOT_FOUND;
    }
    net_wait(lookup_done, l, plat_clock_monotonic_ns() + DNS_LOOKUP_TIMEOUT_NS);
    if (!l->done) {
        l->abandoned = true; /* on_found frees it */
        return DNS_NOT_FOUND;
    }
    enum dns_result result = l->found ? DNS_FOUND : DNS_NOT_FOUND;
    if (l->found) memcpy(address, l->address, 4);
    heap_free(l);
    return result;
}
