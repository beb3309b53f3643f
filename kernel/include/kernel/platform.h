/*
 * The platform interface: what the portable kernel (WASI, file systems, sockets, the app's instance
 * and the runtime's hooks) needs from the machine it runs on, and the few entry points a platform
 * calls in the portable kernel. Each platform implements it in its own folder, kernel/plat/<name>/
 * (kernel/README.md, "Platforms"). KernelBuild compiles the portable sources without any platform's
 * include directory, so this header is the only way from portable code to a platform.
 *
 * Platforms may call the portable kernel's library (heap.h, console.h, panic.h, format.h,
 * string.h) and the kernel_* entry points below; nothing else of it.
 *
 * Every platform checks PLATFORM_INTERFACE_VERSION with a _Static_assert, so a change to this
 * interface (which bumps the version) stops each platform's build until it has been brought along.
 */
#ifndef KERNEL_PLATFORM_H
#define KERNEL_PLATFORM_H

#include "kernel/types.h"

#define PLATFORM_INTERFACE_VERSION 4

/* ==== the platform calls the portable kernel ==== */

struct plat_start {
    /* a boot configuration handed in at run time (kernel/README.md, "Boot configuration"), or NULL;
     * it stays alive */
    const uint8_t *runtime_config;
    uint64_t runtime_config_size;
    /* one line about the machine for the verbose log, e.g. "tsc 2000000000 Hz from kvm; 100 MiB free" */
    const char *summary;
    /* Arguments and environment the host gave a platform that has its own (a Linux process run by
     * itself), or host_argv NULL. Ignored when there is a run-time config; otherwise combined with
     * the baked config (kernel/README.md, "Boot configuration"). Both arrays end with NULL. */
    const char *const *host_argv;
    const char *const *host_envp;
};

/* The portable kernel's start, once the console, clocks, memory and event delivery work (and
 * events are released): reads the boot configurations, mounts the file systems, brings up the
 * network, runs the app and ends through plat_exit. */
_Noreturn void kernel_main(const struct plat_start *start);

/* A memory access fault (page fault, SIGSEGV/SIGBUS) at `address` by the instruction at `pc`. If it
 * is the app's to answer for (in a linear memory's reservation, or in the app stack's guard while
 * the app runs) it ends the app with the Wasm trap and does not return; otherwise it returns and
 * the platform reports the crash. */
void kernel_memory_fault(uint64_t address, uint64_t pc);

/* What the app may do on the network once it runs, for plat_confine. */
struct plat_confinement {
    /* The boot configuration has a network: the app may use the sockets the stack has or makes. */
    bool network;
    /* The outbound rules allow something (a destination or name lookups): the app may open sockets
     * of its own and connect or send first (the portable kernel checks each destination). */
    bool outbound;
    /* The app may have names looked up: a platform whose stack is net/host reads the host's
     * resolver configuration now (plat_resolver_config), while it may still open files. */
    bool name_lookup;
};

/* Called by kernel_main once, after the boot configuration is read, the file systems are mounted
 * and the network stack is up (pre-opened listeners included), before the app is instantiated. A
 * platform that confines the kernel (the process platform's seccomp sandbox) does it here, allowing
 * the network only what `c` says; a VM has nothing to do. */
void plat_confine(const struct plat_confinement *c);

/* Writes the "stats" control line (kernel/README.md, "Console protocol") when the host asks. */
void kernel_report_stats(void);

/* ==== console ==== */

enum plat_stream {
    PLAT_STDOUT,  /* the app's fd 1 */
    PLAT_STDERR,  /* the app's fd 2, trap and panic reports */
    PLAT_CONTROL, /* control lines to the host; each write is one whole line ending in '\n' */
};

/* Writes all of buf; a stream the host did not connect swallows it. Safe from interrupt or signal
 * context, and a control line is never interleaved with another. */
void plat_console_write(enum plat_stream stream, const void *buf, size_t len);

/* Up to len bytes of the app's stdin, waiting until at least one byte has arrived or input has
 * ended; 0 only at the end of input. */
size_t plat_stdin_read(void *buf, size_t len);
/* True when a read would return bytes at once. */
bool plat_stdin_ready(void);
/* True when input has ended and every byte has been read: a read returns 0. */
bool plat_stdin_at_eof(void);

/* ==== clocks ==== */

/* Nanoseconds since the platform started. */
uint64_t plat_clock_monotonic_ns(void);
/* Nanoseconds since 1970-01-01T00:00:00Z; counts from 0 when the platform has no wall clock. */
uint64_t plat_clock_realtime_ns(void);
/* Smallest step of both clocks, in nanoseconds (at least 1). */
uint64_t plat_clock_resolution_ns(void);

/* ==== waiting for events ==== */

/* Events are what can make a waiter's condition true: console input, a device, a timer. A waiter
 * holds events, checks its condition, and if it must wait calls plat_wait before releasing them, so
 * an event arriving between the check and the wait still ends the wait. */
#define PLAT_NO_DEADLINE UINT64_MAX

/* Defers event delivery (interrupts, signals); returns the previous state for plat_events_release. */
uint64_t plat_events_hold(void);
void plat_events_release(uint64_t held);
/* Called with events held: waits until an event arrives or the monotonic time `deadline_ns`
 * (PLAT_NO_DEADLINE: none) passes, and returns with events held again. May return early; callers
 * check their condition again. */
void plat_wait(uint64_t deadline_ns);

/* ==== memory ==== */

/* `count` contiguous 4 KiB pages for the kernel (heap, file contents), or NULL; contents undefined. */
void *plat_pages_alloc(uint64_t count);
/* `count` contiguous zeroed pages, or NULL. Where fresh pages are zero already (a process's
 * anonymous mappings), the platform does not write them: a large heap block the kernel never
 * fills stays untouched, and costs no memory. */
void *plat_pages_alloc_zeroed(uint64_t count);
void plat_pages_free(void *pages, uint64_t count);
/* Pages plat_pages_alloc could still hand out. */
uint64_t plat_pages_free_count(void);
/* Pages of memory in use since start (kernel pages, app memory, page tables), for "stats". */
uint64_t plat_pages_in_use(void);

/* For linear memories (runtime.h section 3): an inaccessible range of `bytes` (rounded up to the
 * platform's granule), never returned; NULL when address space is exhausted. */
void *plat_memory_reserve(uint64_t bytes);
/* Makes [base + old_size, base + new_size) of a reservation readable, writable and zero; 0 on
 * success, -1 (nothing changed) when out of memory. */
int plat_memory_commit(uint8_t *base, uint64_t old_size, uint64_t new_size);
/* Makes the committed [dst, dst + n) read as [src, src + n), which lies in the image's read-only
 * data, by mapping the image's pages copy-on-write (runtime.h, uw_platform_map_image); page-aligned
 * arguments. 0 when done; -1 when the platform cannot (nothing changed), and the caller copies. */
int plat_memory_map_image(uint8_t *dst, const uint8_t *src, uint64_t n);

/* ==== the app's execution ==== */

/* The app stack's usable size on every platform, so that a program that fits on one fits on all. */
#define PLAT_APP_STACK_SIZE MiB(8)

/* The app stack: [low, top) holds it, [guard_low, low) below it is never accessible (a fault there
 * is "call stack exhausted"). Fixed for the platform's lifetime. */
struct plat_stack {
    uint64_t guard_low, low, top;
};
const struct plat_stack *plat_app_stack(void);

/* Runs fn(arg) on the app stack; returns 0 when fn returns, or the value passed to plat_app_leave. */
uint64_t plat_app_enter(void (*fn)(void *arg), void *arg);
/* From anywhere below plat_app_enter (app code, a WASI call, a fault handler): abandons the app's
 * stack and makes plat_app_enter return `value` (nonzero). */
_Noreturn void plat_app_leave(uint64_t value);
/* Called right before the app's _start runs: the platform marks the moment for the host (x86-64
 * PVH: the "start" control line). */
void plat_app_starting(void);

/* Bounds of the kernel archive's code in the linked image (every platform's linker script defines
 * them): a return address outside is the app's. */
extern char __kernel_text_start[], __kernel_text_end[];

/* ==== entropy ==== */

/* Fills buf with random bytes from the platform's entropy source. Never fails: a platform without
 * a usable source panics saying so. */
void plat_entropy(void *buf, size_t len);

/* ==== the end ==== */

/* Ends the platform with the app's exit status (kernel/README.md, "Exit statuses"). */
_Noreturn void plat_exit(uint32_t status);

/* ==== a raw Ethernet NIC (for platforms whose network stack is net/lwip) ==== */

#define PLAT_NIC_MAX_FRAME 1514 /* Ethernet header + 1500-byte MTU, no FCS */

/* Finds and starts the NIC; false when there is none. */
bool plat_nic_init(void);
const uint8_t *plat_nic_mac(void);
/* True when the NIC completes TCP/UDP checksums of sent frames (see plat_nic_tx_submit). */
bool plat_nic_tx_checksum_offload(void);
/* Hands each received frame (Ethernet header first) to `deliver`, at most `budget` of them, and
 * gives the buffers back to the NIC. Returns the number delivered. */
typedef void (*plat_nic_deliver)(const uint8_t *frame, uint32_t len, void *arg);
unsigned plat_nic_receive(plat_nic_deliver deliver, void *arg, unsigned budget);
/* A free transmit buffer of PLAT_NIC_MAX_FRAME bytes, or NULL when all are in flight. */
uint8_t *plat_nic_tx_buffer(uint16_t *slot);
/* Sends the frame of `len` bytes written into slot's buffer. With `csum_start` nonzero the NIC
 * completes a checksum: it sums the frame from csum_start to the end (the field at csum_start +
 * csum_offset holding the pseudo-header sum) and stores the result in that field. Only when
 * plat_nic_tx_checksum_offload() said yes. */
void plat_nic_tx_submit(uint16_t slot, uint32_t len, uint16_t csum_start, uint16_t csum_offset);
/* True when every frame handed to plat_nic_tx_submit has left (the NIC gave its buffer back). The
 * NIC need not signal this: callers poll. */
bool plat_nic_tx_idle(void);
/* True when the NIC has signalled work (received frames, finished sends) not yet handled; call with
 * events held right before plat_wait. */
bool plat_nic_work_pending(void);

/* ==== host sockets (for platforms whose network stack is net/host) ==== */

/* The host's own IPv4 sockets, for a platform that runs on a host with a network of its own (a
 * Linux process). A handle is the platform's number for one socket (>= 0). Every call is
 * non-blocking: waiting is the stack's business (net_wait, plat_wait). Results are 0 or a WASI
 * errno (kernel/errno.h; EAGAIN when a call would block). */

#define PLAT_SOCK_READ 0x1   /* data, a connection to accept, the end of the stream, an error */
#define PLAT_SOCK_WRITE 0x2  /* room to send, a connect that ended (either way), an error */
#define PLAT_SOCK_HANGUP 0x4 /* the peer ended its stream or the connection failed */
#define PLAT_SOCK_ERROR 0x8  /* an error is pending (plat_sock_option PLAT_SOCK_OPT_ERROR) */

enum plat_sock_type { PLAT_SOCK_STREAM, PLAT_SOCK_DGRAM };

/* An IPv4 endpoint: address bytes in wire order and a host-order port. */
struct plat_sockaddr {
    uint8_t address[4];
    uint16_t port;
};

struct plat_sock_part {
    uint8_t *data;
    uint32_t len;
};

enum plat_sock_option {
    PLAT_SOCK_OPT_REUSEADDR,
    PLAT_SOCK_OPT_KEEPALIVE,
    PLAT_SOCK_OPT_NODELAY,
    PLAT_SOCK_OPT_ERROR,  /* read only; reading clears it */
    PLAT_SOCK_OPT_SNDBUF, /* read only here */
    PLAT_SOCK_OPT_RCVBUF, /* read only here */
};

/* How many sockets may be open at once (EMFILE beyond). */
uint32_t plat_sock_limit(void);
int plat_sock_open(enum plat_sock_type type, int32_t *handle);
int plat_sock_bind(int32_t h, const struct plat_sockaddr *local);
int plat_sock_listen(int32_t h, int32_t backlog);
/* The next connection, EAGAIN when none is waiting. */
int plat_sock_accept(int32_t h, int32_t *out);
/* EINPROGRESS while the handshake goes on: PLAT_SOCK_WRITE says when it ended, the error option how. */
int plat_sock_connect(int32_t h, const struct plat_sockaddr *remote);
/* Sends the parts as one write (a datagram, to `to` or the connected peer when NULL); a stream may
 * take fewer bytes (*sent). Never raises SIGPIPE: EPIPE instead. */
int plat_sock_send(int32_t h, const struct plat_sock_part *parts, uint32_t count, const struct plat_sockaddr *to,
                   size_t *sent);
/* Receives into the parts: a stream what is there (*received 0 at its end), a datagram one whole
 * (*truncated when it was longer; the sender in *from when not NULL). `peek` leaves it queued. */
int plat_sock_recv(int32_t h, const struct plat_sock_part *parts, uint32_t count, bool peek, size_t *received,
                   bool *truncated, struct plat_sockaddr *from);
int plat_sock_shutdown(int32_t h, bool read, bool write);
void plat_sock_close(int32_t h);
int plat_sock_name(int32_t h, bool peer, struct plat_sockaddr *out);
int plat_sock_set_option(int32_t h, enum plat_sock_option option, int32_t value);
int plat_sock_option(int32_t h, enum plat_sock_option option, int32_t *value);
/* Bytes a read would return now (a datagram: the first one's size), and bytes sent but not yet
 * acknowledged by the peer (streams). */
int plat_sock_queued(int32_t h, bool output, uint32_t *bytes);

/* The host's resolver configuration (the text of /etc/resolv.conf, at most PLAT_RESOLVER_CONFIG_MAX
 * bytes), read by plat_confine before the sandbox when the app may have names looked up; its
 * length, 0 when there is none (not read, missing or empty). */
#define PLAT_RESOLVER_CONFIG_MAX 4096
size_t plat_resolver_config(const char **text);

/* Asks the host which sockets are ready now (never waits) and forgets every waiter's interest:
 * after it, plat_sock_ready answers from this reading. */
void plat_sock_refresh(void);
/* PLAT_SOCK_* bits of the last refresh, less what a call has since found not to hold (a read that
 * would block clears PLAT_SOCK_READ, a send that would block PLAT_SOCK_WRITE). */
uint32_t plat_sock_ready(int32_t h);
/* Makes the next plat_wait also end when the socket becomes ready for `events` (PLAT_SOCK_READ,
 * PLAT_SOCK_WRITE); interest lasts until the next plat_sock_refresh. */
void plat_sock_watch(int32_t h, uint32_t events);

#endif
