/* The outbound policy (outbound.h): the boot configuration's rules, and the peers replies may go to. */
#include "outbound.h"

#include "kernel/errno.h"
#include "kernel/console.h"
#include "kernel/string.h"

static struct boot_network policy; /* present = false: nothing allowed */

struct peer {
    uint8_t address[4];
    uint16_t port;
};
/* The most recent distinct senders the rules alone would not let the app answer: a ring, so a
 * flood of new senders costs no memory, only the oldest ones' replies. */
static struct peer peers[OUTBOUND_REPLY_PEERS];
static uint32_t peer_count, next_peer;

static uint32_t as_u32(const uint8_t a[4]) {
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static uint32_t prefix_mask(uint8_t prefix) { return prefix ? ~0u << (32 - prefix) : 0; }

void outbound_configure(const struct boot_network *config) {
    if (config && config->present) policy = *config;
    else memset(&policy, 0, sizeof policy);
    peer_count = next_peer = 0;
}

/* An address that leads to the host itself, which only an exact rule may open. */
static bool host_address(uint32_t a) {
    uint8_t top = (uint8_t)(a >> 24);
    if (top == 0 || top == 127) return true;
    if (!(policy.flags & BOOTCONFIG_NET_SUBNET_IS_HOST)) return false;
    uint32_t mask = as_u32(policy.netmask), guest = as_u32(policy.address);
    return (a & mask) == (guest & mask) && a != guest;
}

static bool rules_allow(uint32_t a, uint16_t port) {
    bool host = host_address(a);
    for (uint32_t i = 0; i < policy.outbound_count; i++) {
        const struct boot_outbound_rule *r = &policy.outbound[i];
        if (r->port && r->port != port) continue;
        if ((a ^ as_u32(r->address)) & prefix_mask(r->prefix)) continue;
        if (host && r->prefix != 32) continue;
        return true;
    }
    return false;
}

static bool is_peer(const uint8_t address[4], uint16_t port) {
    for (uint32_t i = 0; i < peer_count; i++) {
        if (peers[i].port == port && memcmp(peers[i].address, address, 4) == 0) return true;
    }
    return false;
}

int32_t outbound_check(const uint8_t address[4], uint16_t port) {
    if (policy.present && rules_allow(as_u32(address), port)) return WASI_ESUCCESS;
    if (is_peer(address, port)) return WASI_ESUCCESS;
    console_verbose("outbound %u.%u.%u.%u:%u refused: no --allow-outbound rule allows it", address[0], address[1],
                    address[2], address[3], port);
    return WASI_EACCES;
}

bool outbound_any(void) {
    return policy.present && (policy.outbound_count || (policy.flags & BOOTCONFIG_NET_NAME_LOOKUP));
}

bool outbound_name_lookup_allowed(void) { return policy.present && (policy.flags & BOOTCONFIG_NET_NAME_LOOKUP); }

void outbound_note_peer(const uint8_t address[4], uint16_t port) {
    if (policy.present && rules_allow(as_u32(address), port)) return; /* nothing to remember */
    if (is_peer(address, port)) return;
    memcpy(peers[next_peer].address, address, 4);
    peers[next_peer].port = port;
    next_peer = (next_peer + 1) % OUTBOUND_REPLY_PEERS;
    if (peer_count < OUTBOUND_REPLY_PEERS) peer_count++;
}
