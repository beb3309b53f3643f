#include "kernel/app.h"
#include "kernel/console.h"
#include "kernel/funcmap.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "../net/net.h"
#include "../net/tcp_socket.h"

/* How long an ending app's TCP data may take to be acknowledged before the VM stops anyway
 * (kernel/README.md, "Exit statuses"): long enough for a window's worth to a slow peer, short
 * enough that a VM whose peer has gone away still stops promptly. */
#define EXIT_FLUSH_LIMIT_NS (2ull * 1000000000ull)

extern const uw_module_desc uw_module;

enum outcome { OUTCOME_RETURNED, OUTCOME_EXITED, OUTCOME_TRAPPED };

static bool running;
static enum outcome outcome;
static uint32_t outcome_value;
static uint64_t trap_pc;
static const struct boot_config *config;

struct app_start {
    uw_vmctx *ctx;
};

bool app_is_running(void) { return running; }
const struct boot_config *app_config(void) { return config; }

static _Noreturn void end_app(enum outcome how, uint32_t value) {
    if (!running) panic("app_exit/app_trap called while no app is running");
    outcome = how;
    outcome_value = value;
    plat_app_leave(1);
}

_Noreturn void app_exit(uint32_t status) { end_app(OUTCOME_EXITED, status); }

_Noreturn void app_trap(uint32_t code, uint64_t pc) {
    trap_pc = pc;
    end_app(OUTCOME_TRAPPED, code);
}

/* "trap: <message>[ in function <name>|#<index>]". Written in pieces: a Wasm name may be longer
 * than a formatted line. */
static void report_trap(uint32_t code, uint64_t pc) {
    console_errorf("trap: %s", uw_trap_message(code));
    uint32_t index;
    const char *name;
    if (pc && function_map_lookup(pc, &index, &name)) {
        if (name) {
            console_errorf(" in function ");
            plat_console_write(PLAT_STDERR, name, strlen(name));
        } else {
            console_errorf(" in function #%u", index);
        }
    }
    console_errorf("\n");
}

/* The app ended normally (proc_exit or a return from _start): deliver what it sent before the VM
 * stops, as a process's sockets outlive it on other systems. Not after a trap, which may have
 * struck inside a WASI call with lwIP half-way through a change, nor after a panic. */
static void flush_network(void) {
    if (!net_available()) return;
    uint64_t start = plat_clock_monotonic_ns();
    uint32_t undelivered;
    if (tcp_socket_flush_all(start + EXIT_FLUSH_LIMIT_NS, &undelivered)) {
        console_verbose("exit: TCP data delivered after %llu ms",
                        (unsigned long long)((plat_clock_monotonic_ns() - start) / 1000000u));
    } else {
        console_verbose("exit: %u TCP connections still had unacknowledged data after %llu ms; stopping anyway",
                        undelivered, (unsigned long long)(EXIT_FLUSH_LIMIT_NS / 1000000u));
    }
    /* UDP has no acknowledgement to wait for: at least let the last datagrams leave */
    if (!net_flush_output(start + EXIT_FLUSH_LIMIT_NS))
        console_verbose("exit: frames still queued at the device; stopping anyway");
}

/* Runs on the app stack. */
static void enter_app(void *arg) {
    struct app_start *start = arg;
    uw_instance_start(start->ctx);
    uw_extern entry;
    if (uw_instance_export(start->ctx, "_start", &entry) != 0 || entry.kind != UW_EXTERN_FUNC) {
        console_errorf("error: the module exports no function \"_start\"\n");
        app_exit(EXIT_STATUS_PANIC);
    }
    uw_value io[1] = {0};
    plat_app_starting();
    uw_invoke(entry.u.func, io);
}

_Noreturn void app_run(const struct boot_config *cfg) {
    config = cfg;
    char err[256] = "";
    uw_vmctx *ctx = uw_instance_new(&uw_module, app_resolve_import, NULL, NULL, err, sizeof err);
    if (!ctx) {
        const char *why = app_import_error();
        console_errorf("error: cannot instantiate the module: %s%s%s\n", err, why ? ": " : "", why ? why : "");
        plat_exit(EXIT_STATUS_PANIC);
    }
    app_bind_import_instance(ctx);
    const struct plat_stack *stack = plat_app_stack();
    console_verbose("instantiated; running _start on a %llu KiB stack",
                    (unsigned long long)((stack->top - stack->low) >> 10));

    struct app_start start = {ctx};
    running = true;
    plat_app_enter(enter_app, &start);
    running = false;

    switch (outcome) {
    case OUTCOME_RETURNED: flush_network(); break;
    case OUTCOME_EXITED:
        console_verbose("proc_exit(%u)", outcome_value);
        flush_network();
        plat_exit(outcome_value);
    case OUTCOME_TRAPPED: report_trap(outcome_value, trap_pc); plat_exit(EXIT_STATUS_TRAP_BASE + outcome_value);
    }
    plat_exit(0);
}
