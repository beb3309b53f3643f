/*
 * A stand-in guest for the monitor's tests: a 32-bit PVH kernel that speaks the guest <-> monitor
 * protocol (kernel/README.md) without the real kernel, so the monitor can be tested on its own.
 * It runs the script it finds in its first PVH module (the monitor's -initrd), one command a line:
 *   cat            copy COM1 input to COM1 output until the monitor's "eof <n>" on COM3
 *   big N          write N bytes of a known pattern (line i is "line <i>\n") to COM1
 *   err TEXT       write TEXT and a newline to COM2
 *   out TEXT       write TEXT and a newline to COM1
 *   exit N         send "exit N" on COM3 and stop the VM
 *   halt           stop the VM through isa-debug-exit without saying "exit"
 *   crash          triple-fault (empty IDT, then a breakpoint)
 * Built with the bundled clang: --target=i386-unknown-none -ffreestanding -nostdlib.
 */
#include <stdint.h>

#define COM1 0x3f8
#define COM2 0x2f8
#define COM3 0x3e8
#define LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define DEBUG_EXIT_PORT 0xf4

struct hvm_start_info {
    uint32_t magic, version, flags, nr_modules;
    uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
};

struct hvm_modlist_entry {
    uint64_t paddr, size, cmdline_paddr, reserved;
};

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static void put(uint16_t port, char c) {
    while (!(inb(port + LSR) & LSR_THR_EMPTY)) {
    }
    outb(port, (uint8_t)c);
}

static void puts_n(uint16_t port, const char *s, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) put(port, s[i]);
}

static void put_str(uint16_t port, const char *s) {
    while (*s) put(port, *s++);
}

/* 64-bit decimal without libgcc: i386 has no native 64-bit division. */
static void put_u64(uint16_t port, uint64_t n) {
    char digits[21];
    int len = 0;
    do {
        uint64_t q = 0, r = 0;
        for (int bit = 63; bit >= 0; bit--) {
            r = (r << 1) | ((n >> bit) & 1);
            if (r >= 10) {
                r -= 10;
                q |= 1ull << bit;
            }
        }
        digits[len++] = (char)('0' + r);
        n = q;
    } while (n);
    while (len) put(port, digits[--len]);
}

static uint32_t parse_u32(const char *s, const char *end) {
    uint32_t v = 0;
    while (s < end && *s >= '0' && *s <= '9') v = v * 10 + (uint32_t)(*s++ - '0');
    return v;
}

static int starts_with(const char *s, const char *end, const char *word) {
    while (*word) {
        if (s >= end || *s != *word) return 0;
        s++, word++;
    }
    return 1;
}

static _Noreturn void stop(void) {
    outb(DEBUG_EXIT_PORT, 0);
    for (;;) __asm__ volatile("cli; hlt");
}

/* Echoes COM1 to COM1 until the control channel has said "eof [n]" and all n bytes have come. */
static void cat(void) {
    char line[32];
    uint32_t len = 0, received = 0, expected = 0;
    int saw_eof = 0;
    for (;;) {
        if (inb(COM1 + LSR) & LSR_DATA_READY) {
            put(COM1, (char)inb(COM1));
            received++;
            continue;
        }
        if (saw_eof && received >= expected) return;
        if (inb(COM3 + LSR) & LSR_DATA_READY) {
            char c = (char)inb(COM3);
            if (c != '\n') {
                if (len < sizeof line) line[len++] = c;
                continue;
            }
            if (len >= 3 && starts_with(line, line + len, "eof")) {
                saw_eof = 1;
                expected = len > 4 ? parse_u32(line + 4, line + len) : 0;
            }
            len = 0;
        }
    }
}

static void big(uint32_t bytes) {
    uint32_t written = 0, line = 0;
    char buf[24];
    while (written < bytes) {
        /* "line <i>\n", truncated at the byte count */
        int n = 0;
        const char *prefix = "line ";
        while (prefix[n]) buf[n] = prefix[n], n++;
        uint32_t v = line++, start = (uint32_t)n;
        do buf[n++] = (char)('0' + v % 10), v /= 10;
        while (v);
        for (uint32_t a = start, b = (uint32_t)n - 1; a < b; a++, b--) {
            char t = buf[a];
            buf[a] = buf[b];
            buf[b] = t;
        }
        buf[n++] = '\n';
        uint32_t take = bytes - written < (uint32_t)n ? bytes - written : (uint32_t)n;
        puts_n(COM1, buf, take);
        written += take;
    }
}

void fixture_main(struct hvm_start_info *info) {
    put_str(COM3, "boot tsc=");
    put_u64(COM3, rdtsc());
    put(COM3, '\n');
    if (info->nr_modules == 0) {
        put_str(COM2, "fixture: no script module\n");
        stop();
    }
    struct hvm_modlist_entry *mod = (struct hvm_modlist_entry *)(uintptr_t)info->modlist_paddr;
    const char *p = (const char *)(uintptr_t)mod->paddr, *end = p + (uint32_t)mod->size;
    put_str(COM3, "start tsc=");
    put_u64(COM3, rdtsc());
    put(COM3, '\n');
    while (p < end) {
        const char *eol = p;
        while (eol < end && *eol != '\n') eol++;
        if (starts_with(p, eol, "cat")) {
            cat();
        } else if (starts_with(p, eol, "big ")) {
            big(parse_u32(p + 4, eol));
        } else if (starts_with(p, eol, "err ")) {
            puts_n(COM2, p + 4, (uint32_t)(eol - p - 4));
            put(COM2, '\n');
        } else if (starts_with(p, eol, "out ")) {
            puts_n(COM1, p + 4, (uint32_t)(eol - p - 4));
            put(COM1, '\n');
        } else if (starts_with(p, eol, "exit ")) {
            put_str(COM3, "exit ");
            puts_n(COM3, p + 5, (uint32_t)(eol - p - 5));
            put(COM3, '\n');
            stop();
        } else if (starts_with(p, eol, "halt")) {
            stop();
        } else if (starts_with(p, eol, "crash")) {
            static const struct __attribute__((packed)) {
                uint16_t limit;
                uint32_t base;
            } no_idt = {0, 0};
            __asm__ volatile("lidt %0; int3" ::"m"(no_idt));
        }
        p = eol + 1;
    }
    stop();
}

/* PVH enters here in 32-bit protected mode, paging off, with the start info's address in %ebx. */
__asm__(
    ".section .text.entry, \"ax\"\n"
    ".globl fixture_entry\n"
    "fixture_entry:\n"
    "  mov $stack_top, %esp\n"
    "  push %ebx\n"
    "  call fixture_main\n"
    "1: hlt\n"
    "  jmp 1b\n"
    ".section .bss\n"
    ".balign 16\n"
    "  .skip 16384\n"
    "stack_top:\n");

/* XEN_ELFNOTE_PHYS32_ENTRY (18): where a PVH loader starts us. */
__asm__(
    ".section .note.pvh, \"a\", @note\n"
    ".balign 4\n"
    ".long 4\n"
    ".long 4\n"
    ".long 18\n"
    ".asciz \"Xen\"\n"
    ".balign 4\n"
    ".long fixture_entry\n"
    ".balign 4\n");
