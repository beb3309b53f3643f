#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/string.h"

#define HEADER_SIZE 16u
#define HEADER_MAGIC 0x75776865u /* "uwhe" */
#define MIN_CLASS_SHIFT 5u       /* 32 bytes */
#define MAX_CLASS_SHIFT 11u      /* 2 KiB */
#define CLASS_COUNT (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)
#define LARGE_CLASS 0xffu

struct header {
    uint32_t magic;
    uint32_t size_class; /* class index, or LARGE_CLASS */
    uint64_t usable;     /* bytes the caller may use */
};

struct free_block {
    struct free_block *next;
};

static struct free_block *free_lists[CLASS_COUNT];
/* bytes of the blocks handed out and not freed, headers included: the control channel's "stats" */
static uint64_t bytes_in_use;

uint64_t heap_bytes_in_use(void) { return bytes_in_use; }

static unsigned class_for(size_t total) {
    unsigned c = 0;
    while ((1ull << (MIN_CLASS_SHIFT + c)) < total) c++;
    return c;
}

/* A refill's blocks: at least REFILL_BYTES, carved from a page that every class shares, rather than
 * a page per class. A process touches each page it is given, so an app that uses each of the seven
 * classes a little (an idle one) holds two pages of heap instead of seven. */
#define REFILL_BYTES 1024u
static uint8_t *carve_next, *carve_end;

/* `bytes`, a multiple of REFILL_BYTES no larger than a page, from the shared page (a new one when
 * the rest of it is too small: that rest stays unused, and a process never touches it). */
static uint8_t *carve(size_t bytes) {
    if ((size_t)(carve_end - carve_next) < bytes) {
        uint8_t *page = plat_pages_alloc(1);
        if (!page) return NULL;
        carve_next = page;
        carve_end = page + PAGE_SIZE;
    }
    uint8_t *chunk = carve_next;
    carve_next += bytes;
    return chunk;
}

static bool refill(unsigned c) {
    size_t block = 1ull << (MIN_CLASS_SHIFT + c);
    size_t bytes = block > REFILL_BYTES ? block : REFILL_BYTES;
    uint8_t *chunk = carve(bytes);
    if (!chunk) return false;
    for (size_t off = 0; off + block <= bytes; off += block) {
        struct free_block *b = (struct free_block *)(chunk + off);
        b->next = free_lists[c];
        free_lists[c] = b;
    }
    return true;
}

void *heap_alloc(size_t bytes) {
    if (bytes > (1ull << 40)) return NULL;
    size_t total = bytes + HEADER_SIZE;
    struct header *h;
    if (total <= (1ull << MAX_CLASS_SHIFT)) {
        unsigned c = class_for(total);
        if (!free_lists[c] && !refill(c)) return NULL;
        h = (struct header *)free_lists[c];
        free_lists[c] = free_lists[c]->next;
        memset(h, 0, 1ull << (MIN_CLASS_SHIFT + c));
        h->size_class = c;
        h->usable = (1ull << (MIN_CLASS_SHIFT + c)) - HEADER_SIZE;
        bytes_in_use += 1ull << (MIN_CLASS_SHIFT + c);
    } else {
        uint64_t pages = ALIGN_UP(total, PAGE_SIZE) / PAGE_SIZE;
        h = plat_pages_alloc_zeroed(pages);
        if (!h) return NULL;
        h->size_class = LARGE_CLASS;
        h->usable = pages * PAGE_SIZE - HEADER_SIZE;
        bytes_in_use += pages * PAGE_SIZE;
    }
    h->magic = HEADER_MAGIC;
    return (uint8_t *)h + HEADER_SIZE;
}

static struct header *header_of(void *p) {
    struct header *h = (struct header *)((uint8_t *)p - HEADER_SIZE);
    if (h->magic != HEADER_MAGIC || (h->size_class >= CLASS_COUNT && h->size_class != LARGE_CLASS)) {
        panic("heap: %p is not a live heap block (double free or corruption)", p);
    }
    return h;
}

void heap_free(void *p) {
    if (!p) return;
    struct header *h = header_of(p);
    h->magic = 0;
    bytes_in_use -= h->usable + HEADER_SIZE;
    if (h->size_class == LARGE_CLASS) {
        plat_pages_free(h, (h->usable + HEADER_SIZE) / PAGE_SIZE);
        return;
    }
    /* read the class before the link overwrites the header it lives in */
    uint32_t c = h->size_class;
    struct free_block *b = (struct free_block *)h;
    b->next = free_lists[c];
    free_lists[c] = b;
}

void *heap_realloc(void *p, size_t new_bytes) {
    if (!p) return heap_alloc(new_bytes);
    struct header *h = header_of(p);
    if (new_bytes <= h->usable) {
        /* Shrinking or growing within the block: the tail past new_bytes must read as zero later. */
        memset((uint8_t *)p + new_bytes, 0, h->usable - new_bytes);
        return p;
    }
    void *q = heap_alloc(new_bytes);
    if (!q) return NULL;
    memcpy(q, p, h->usable);
    heap_free(p);
    return q;
}
