/*
 * The executable's own file, so that a data segment's whole pages can be mapped from it onto linear
 * memory copy-on-write (plat_memory_map_image) instead of copied: every instance of one executable
 * (400 containers of one image) then shares the pages its app only reads, as processes of one
 * native program share their read-only data. CPython's 7 MB of data segments are the case that
 * made this worth it.
 *
 * The file is found before the sandbox goes up: /proc/self/exe where /proc is mounted; else, when
 * the process was started with execveat on a descriptor it inherited (uniwasm-runtime does, in a
 * container without /proc), the kernel names the program "/dev/fd/N" (AT_EXECFN) and N is that
 * very file. Either way it is the file the kernel mapped, not a path looked up again. Without one,
 * segments are copied, as on the VM.
 */
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "process/process.h"
#include "process/sys.h"

#define ELF_HEADER_SIZE 64
#define PT_LOAD 1
#define PF_W 2
#define MAX_SEGMENTS 16
#define PAGE_MASK (PAGE_SIZE - 1)
/* above any descriptor the start opens (run file, control), below RLIMIT_NOFILE's usual 1024 */
#define PARKED_FD_FLOOR 100

/* the read-only PT_LOAD segments: their bytes in memory are the file's, unchanged */
struct segment {
    uint64_t vaddr, filesz, offset;
};
static struct segment segments[MAX_SEGMENTS];
static uint32_t segment_count;
static int image_fd = -1;

static uint16_t u16_at(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t u32_at(const uint8_t *p) { return (uint32_t)u16_at(p) | (uint32_t)u16_at(p + 2) << 16; }
static uint64_t u64_at(const uint8_t *p) { return (uint64_t)u32_at(p) | (uint64_t)u32_at(p + 4) << 32; }

static bool read_at(int fd, void *buffer, uint64_t size, uint64_t offset) {
    return sys4(SYS_pread64, (uint64_t)fd, (uint64_t)(uintptr_t)buffer, size, offset) == (int64_t)size;
}

/* The /dev/fd/N of an execveat, or -1. */
static int exec_descriptor(const char *execfn) {
    static const char prefix[] = "/dev/fd/";
    if (!execfn || memcmp(execfn, prefix, sizeof prefix - 1)) return -1;
    int n = 0;
    const char *p = execfn + sizeof prefix - 1;
    if (!*p) return -1;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || n > 100000) return -1; /* "/dev/fd/N/path": a script's, not ours */
        n = n * 10 + (*p - '0');
    }
    return n;
}

/* Reads the program headers and checks that what memory holds at the start and end of each
 * read-only segment is what the file holds there: a descriptor of some other file maps nothing. */
static bool learn_segments(int fd) {
    uint8_t header[ELF_HEADER_SIZE];
    if (!read_at(fd, header, sizeof header, 0) || memcmp(header, "\177ELF", 4)) return false;
    uint64_t phoff = u64_at(header + 32);
    uint16_t phentsize = u16_at(header + 54), phnum = u16_at(header + 56);
    if (phentsize != 56 || phnum > 32) return false;
    segment_count = 0;
    for (uint16_t i = 0; i < phnum; i++) {
        uint8_t ph[56];
        if (!read_at(fd, ph, sizeof ph, phoff + (uint64_t)i * phentsize)) return false;
        if (u32_at(ph) != PT_LOAD || (u32_at(ph + 4) & PF_W) || !u64_at(ph + 32)) continue;
        if (segment_count == MAX_SEGMENTS) return false;
        struct segment s = {.offset = u64_at(ph + 8), .vaddr = u64_at(ph + 16), .filesz = u64_at(ph + 32)};
        if ((s.offset & PAGE_MASK) != (s.vaddr & PAGE_MASK)) return false;
        uint8_t probe[64];
        uint64_t n = s.filesz < sizeof probe ? s.filesz : sizeof probe;
        if (!read_at(fd, probe, n, s.offset) || memcmp(probe, (const void *)(uintptr_t)s.vaddr, n)) return false;
        if (!read_at(fd, probe, n, s.offset + s.filesz - n) ||
            memcmp(probe, (const void *)(uintptr_t)(s.vaddr + s.filesz - n), n))
            return false;
        segments[segment_count++] = s;
    }
    return segment_count > 0;
}

void process_image_find(const char *execfn) {
    int inherited = exec_descriptor(execfn);
    int fd = (int)sys4(SYS_openat, (uint64_t)AT_FDCWD, (uint64_t)(uintptr_t) "/proc/self/exe", O_RDONLY | O_CLOEXEC, 0);
    /* with /proc, the exec's descriptor is of no use: it is closed, as it is once parked below */
    if (fd >= 0 && inherited >= 0 && inherited != fd) sys1(SYS_close, (uint64_t)inherited);
    if (fd < 0) {
        fd = inherited;
        /* open and readable: O_PATH descriptors cannot be mapped */
        int64_t flags = fd >= 0 ? sys2(SYS_fcntl, (uint64_t)fd, F_GETFL) : -1;
        if (sys_failed(flags) || (flags & O_PATH) || (flags & O_ACCMODE) == 1 /* O_WRONLY */) return;
    }
    /* parked high until process_image_place, so that the run file and control descriptor keep
     * their numbers; an inherited one leaves its number too */
    int64_t parked = sys3(SYS_fcntl, (uint64_t)fd, F_DUPFD_CLOEXEC, PARKED_FD_FLOOR);
    sys1(SYS_close, (uint64_t)fd);
    if (sys_failed(parked)) return;
    if (!learn_segments((int)parked)) {
        sys1(SYS_close, (uint64_t)parked);
        return;
    }
    image_fd = (int)parked;
}

int process_image_place(int slot) {
    if (image_fd < 0) return -1;
    if (image_fd != slot) {
        if (sys_failed(sys2(SYS_dup2, (uint64_t)image_fd, (uint64_t)slot))) {
            sys1(SYS_close, (uint64_t)image_fd);
            image_fd = -1;
            return -1;
        }
        sys1(SYS_close, (uint64_t)image_fd);
        image_fd = slot;
    }
    return image_fd;
}

int process_image_fd(void) { return image_fd; }

int plat_memory_map_image(uint8_t *dst, const uint8_t *src, uint64_t n) {
    uint64_t from = (uint64_t)(uintptr_t)src;
    if (image_fd < 0 || !n || (from | (uint64_t)(uintptr_t)dst | n) & PAGE_MASK) return -1;
    for (uint32_t i = 0; i < segment_count; i++) {
        const struct segment *s = &segments[i];
        if (from < s->vaddr || from - s->vaddr > s->filesz || n > s->filesz - (from - s->vaddr)) continue;
        uint64_t offset = s->offset + (from - s->vaddr);
        /* MAP_FIXED replaces the committed pages in place: the same count against the limit */
        int64_t r = sys6(SYS_mmap, (uint64_t)(uintptr_t)dst, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
                         (uint64_t)image_fd, offset);
        if (sys_failed(r)) return -1;
        if (!memcmp(dst, src, 64) && !memcmp(dst + n - 64, src + n - 64, 64)) {
            process_memory_mapped_from_image((uint64_t)(uintptr_t)dst, n);
            return 0;
        }
        /* the file changed under us: give the pages back as zeroed anonymous ones, and copy */
        r = sys6(SYS_mmap, (uint64_t)(uintptr_t)dst, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
                 (uint64_t)-1, 0);
        if (sys_failed(r)) panic("cannot restore linear memory after a failed image mapping");
        return -1;
    }
    return -1;
}
