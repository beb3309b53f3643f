/* lwIP start-up, the Ethernet interface over the platform's raw NIC, and the network event loop. */
#include "net.h"

#include "dns.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

/* frames handed to lwIP per poll, so timers and the app still run under a flood */
#define RX_BUDGET 64

static struct netif ethernet;
static bool up;
static struct boot_network active;

#define ETH_HEADER 14
#define ETHERTYPE_IPV4 0x0800
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define TCP_CHECKSUM_FIELD 16
#define UDP_CHECKSUM_FIELD 6

static bool offload_checksums;

/*
 * With checksum offload lwIP leaves TCP and UDP checksums at 0 (the netif's checksum control);
 * the device computes them from csum_start on, given the pseudo-header sum in the checksum field.
 * Returns csum_start (0: nothing for the device to do) and the field's offset in *field.
 */
static uint16_t prepare_checksum(uint8_t *frame, uint32_t len, uint16_t *field) {
    if (len < ETH_HEADER + 20 || (frame[12] << 8 | frame[13]) != ETHERTYPE_IPV4) return 0;
    const uint8_t *ip = frame + ETH_HEADER;
    uint32_t ihl = (ip[0] & 0xfu) * 4u;
    uint32_t total = (uint32_t)ip[2] << 8 | ip[3];
    bool fragment = ((ip[6] & 0x3fu) << 8 | ip[7]) != 0; /* more-fragments flag or an offset */
    if ((ip[0] >> 4) != 4 || ihl < 20 || total < ihl || ETH_HEADER + total > len || fragment) return 0;
    uint8_t proto = ip[9];
    if (proto == IP_PROTO_TCP) *field = TCP_CHECKSUM_FIELD;
    else if (proto == IP_PROTO_UDP) *field = UDP_CHECKSUM_FIELD;
    else return 0;
    uint32_t l4_len = total - ihl;
    if (l4_len < *field + 2u) return 0;
    /* one's-complement sum of source, destination, protocol and length, folded, not inverted */
    uint32_t sum = 0;
    for (int i = 12; i < 20; i += 2) sum += (uint32_t)ip[i] << 8 | ip[i + 1];
    sum += proto + l4_len;
    while (sum >> 16) sum = (sum & 0xffffu) + (sum >> 16);
    uint8_t *check = frame + ETH_HEADER + ihl + *field;
    check[0] = (uint8_t)(sum >> 8);
    check[1] = (uint8_t)sum;
    return (uint16_t)(ETH_HEADER + ihl);
}

static err_t link_output(struct netif *netif, struct pbuf *p) {
    (void)netif;
    if (p->tot_len > PLAT_NIC_MAX_FRAME) return ERR_BUF;
    uint16_t slot;
    uint8_t *frame = plat_nic_tx_buffer(&slot);
    if (!frame) return ERR_MEM; /* all transmit buffers in flight: TCP retransmits, UDP drops */
    pbuf_copy_partial(p, frame, p->tot_len, 0);
    uint16_t field = 0, start = offload_checksums ? prepare_checksum(frame, p->tot_len, &field) : 0;
    plat_nic_tx_submit(slot, p->tot_len, start, field);
    return ERR_OK;
}

static err_t ethernet_setup(struct netif *netif) {
    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->mtu = 1500;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(netif->hwaddr, plat_nic_mac(), ETH_HWADDR_LEN);
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    netif->output = etharp_output;
    netif->linkoutput = link_output;
    offload_checksums = plat_nic_tx_checksum_offload();
    if (offload_checksums) {
        NETIF_SET_CHECKSUM_CTRL(netif, NETIF_CHECKSUM_ENABLE_ALL & ~(NETIF_CHECKSUM_GEN_TCP | NETIF_CHECKSUM_GEN_UDP));
    }
    return ERR_OK;
}

static void deliver(const uint8_t *frame, uint32_t len, void *arg) {
    struct netif *netif = arg;
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (!p) return; /* pool exhausted: the frame is dropped, TCP recovers */
    pbuf_take(p, frame, (u16_t)len);
    if (netif->input(p, netif) != ERR_OK) pbuf_free(p);
}

static ip4_addr_t to_ip4(const uint8_t a[4]) {
    ip4_addr_t ip;
    IP4_ADDR(&ip, a[0], a[1], a[2], a[3]);
    return ip;
}

void net_init(const struct boot_network *config) {
    if (!config || !config->present) return;
    active = *config;
    if (!plat_nic_init()) {
        panic(
            "the boot configuration asks for a network but there is no virtio-net device (QEMU microvm: "
            "-device virtio-net-device,netdev=...; q35: -device virtio-net-pci,disable-legacy=on,netdev=...; "
            "uniwasm run adds it with --tcplisten, --publish or --net)");
    }
    lwip_init();
    ip4_addr_t address = to_ip4(config->address), netmask = to_ip4(config->netmask), gateway = to_ip4(config->gateway);
    if (!netif_add(&ethernet, &address, &netmask, &gateway, NULL, ethernet_setup, ethernet_input)) {
        panic("lwIP refused the network interface");
    }
    netif_set_default(&ethernet);
    netif_set_up(&ethernet);
    dns_setup(config->dns);
    up = true;
    console_verbose("net %u.%u.%u.%u/%u.%u.%u.%u gw %u.%u.%u.%u", config->address[0], config->address[1],
                    config->address[2], config->address[3], config->netmask[0], config->netmask[1], config->netmask[2],
                    config->netmask[3], config->gateway[0], config->gateway[1], config->gateway[2], config->gateway[3]);
}

bool net_available(void) { return up; }

const struct boot_network *net_config(void) { return &active; }

void net_poll(void) {
    if (!up) return;
    while (plat_nic_receive(deliver, &ethernet, RX_BUDGET) == RX_BUDGET) sys_check_timeouts();
    sys_check_timeouts();
}

bool net_work_pending(void) { return up && plat_nic_work_pending(); }

uint64_t net_next_timer_ns(void) {
    if (!up) return UINT64_MAX;
    u32_t sleep_ms = sys_timeouts_sleeptime();
    if (sleep_ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE) return UINT64_MAX;
    return plat_clock_monotonic_ns() + (uint64_t)sleep_ms * 1000000u;
}

void net_halt_until_event(uint64_t deadline_ns) {
    if (net_work_pending()) return;
    uint64_t now = plat_clock_monotonic_ns();
    uint64_t wake = deadline_ns;
    uint64_t timer = net_next_timer_ns();
    if (timer != UINT64_MAX && (!wake || timer < wake)) wake = timer;
    if (wake && wake <= now) return;
    plat_wait(wake ? wake : PLAT_NO_DEADLINE);
}

/* The NIC does not interrupt when it finishes sending, so the flush polls in short steps. */
#define FLUSH_POLL_NS 1000000ull

static bool nic_idle(void *arg) {
    (void)arg;
    return plat_nic_tx_idle();
}

bool net_flush_output(uint64_t deadline_ns) {
    if (!net_available()) return true;
    for (;;) {
        uint64_t now = plat_clock_monotonic_ns();
        uint64_t step = now + FLUSH_POLL_NS < deadline_ns ? now + FLUSH_POLL_NS : deadline_ns;
        if (net_wait(nic_idle, NULL, step)) return true;
        if (step >= deadline_ns) return false;
    }
}
