/*
 * The portable kernel's start (platform.h, kernel_main): the boot configurations, the file systems,
 * the network, then the app. Whatever came before is the platform's (kernel/plat/<name>/).
 */
#include "kernel/app.h"
#include "kernel/bootconfig.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/platform.h"
#include "fs/vfs.h"
#include "net/net.h"
#include "net/outbound.h"
#include "net/tcp_socket.h"

static struct boot_config boot_config;
static struct boot_config baked_config;

_Noreturn void kernel_main(const struct plat_start *start) {
    /* the run-time config's args and env replace the baked ones; mounts of both apply, baked first */
    bootconfig_parse(uw_baked_config, (uint64_t)(uw_baked_config_end - uw_baked_config), "baked", &baked_config);
    if (start->runtime_config) {
        bootconfig_parse(start->runtime_config, start->runtime_config_size, "run-time", &boot_config);
    } else {
        boot_config = baked_config;
        if (start->host_argv) bootconfig_add_host(&boot_config, start->host_argv, start->host_envp);
    }
    console_set_verbose(boot_config.verbose);
    vfs_init(&baked_config, start->runtime_config ? &boot_config : NULL);
    console_verbose("%s; boot config %s with %u args, %u env", start->summary, boot_config.origin, boot_config.argc,
                    boot_config.envc);

    /* the run-time config's network wins over the baked one as a whole; its outbound rules bind
     * whichever stack the platform has */
    const struct boot_network *network = boot_config.network.present ? &boot_config.network : &baked_config.network;
    outbound_configure(network);
    net_init(network);
    /* from here on the kernel opens nothing new for itself: sockets only as the rules allow */
    struct plat_confinement confinement = {
        .network = network->present,
        .outbound = outbound_any(),
        .name_lookup = outbound_name_lookup_allowed(),
    };
    plat_confine(&confinement);
    app_run(&boot_config);
}

void kernel_report_stats(void) {
    /* the counters are plain words, so a value read while the app changes it is merely a moment old */
    console_control("stats frames=%llu heap=%llu sockets=%u", (unsigned long long)plat_pages_in_use(),
                    (unsigned long long)heap_bytes_in_use(), tcp_socket_count());
}
