/*
 * Regular-file contents as a sparse two-level page table: chunks of 512 page pointers (2 MiB of
 * data each) hung from a small growable array. Only single 4 KiB pages are ever allocated, so a
 * file of hundreds of MB needs no contiguous memory. Pages come from the platform's page allocator
 * and count against the mount's size limit; a reserve of pages is always left for the kernel.
 */
#include "kernel/heap.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "vfs.h"

#define MAX_FILE_SIZE (1ull << 40)
/* Pages kept free for the kernel heap and the app's memory.grow when files fill the RAM. */
#define RESERVED_PAGES 512u

static uint8_t *page_at(struct vnode *f, uint64_t page) {
    uint64_t c = page / FILE_CHUNK_PAGES;
    if (c >= f->file.chunk_count || !f->file.chunks[c]) return NULL;
    return f->file.chunks[c][page % FILE_CHUNK_PAGES];
}

static bool charge(struct mount *m) {
    if (m->size_limit && m->bytes_used + PAGE_SIZE > m->size_limit) return false;
    if (plat_pages_free_count() <= RESERVED_PAGES) return false;
    return true;
}

/* The page for `page`, allocated (zeroed) when absent; NULL when out of space. */
static uint8_t *page_for_write(struct vnode *f, uint64_t page) {
    uint64_t c = page / FILE_CHUNK_PAGES;
    if (c >= f->file.chunk_count) {
        uint64_t count = f->file.chunk_count ? f->file.chunk_count : 1;
        while (count <= c) count *= 2;
        uint8_t ***grown = heap_realloc(f->file.chunks, sizeof(uint8_t **) * count);
        if (!grown) return NULL;
        f->file.chunks = grown;
        f->file.chunk_count = count;
    }
    if (!f->file.chunks[c]) {
        if (plat_pages_free_count() <= RESERVED_PAGES) return NULL;
        uint8_t **index = plat_pages_alloc_zeroed(1);
        if (!index) return NULL;
        f->file.chunks[c] = index;
    }
    uint8_t **slot = &f->file.chunks[c][page % FILE_CHUNK_PAGES];
    if (!*slot) {
        if (!charge(f->mount)) return NULL;
        uint8_t *p = plat_pages_alloc_zeroed(1);
        if (!p) return NULL;
        *slot = p;
        f->mount->bytes_used += PAGE_SIZE;
    }
    return *slot;
}

static void free_page(struct vnode *f, uint64_t page) {
    uint64_t c = page / FILE_CHUNK_PAGES;
    if (c >= f->file.chunk_count || !f->file.chunks[c]) return;
    uint8_t **slot = &f->file.chunks[c][page % FILE_CHUNK_PAGES];
    if (!*slot) return;
    plat_pages_free(*slot, 1);
    *slot = NULL;
    f->mount->bytes_used -= PAGE_SIZE;
}

/* Frees pages from `first` on, and chunk index pages left empty. */
static void free_from(struct vnode *f, uint64_t first) {
    for (uint64_t c = first / FILE_CHUNK_PAGES; c < f->file.chunk_count; c++) {
        if (!f->file.chunks[c]) continue;
        uint64_t start = c * FILE_CHUNK_PAGES < first ? first : c * FILE_CHUNK_PAGES;
        for (uint64_t p = start; p < (c + 1) * FILE_CHUNK_PAGES; p++) free_page(f, p);
        if (start == c * FILE_CHUNK_PAGES) {
            plat_pages_free(f->file.chunks[c], 1);
            f->file.chunks[c] = NULL;
        }
    }
}

void file_free_pages(struct vnode *f) {
    free_from(f, 0);
    heap_free(f->file.chunks);
    f->file.chunks = NULL;
    f->file.chunk_count = 0;
}

/* Copy on write: moves image bytes into pages before the first change. All or nothing. */
static int32_t materialize(struct vnode *f) {
    if (!f->file.in_place) return WASI_ESUCCESS;
    const uint8_t *src = f->file.in_place;
    for (uint64_t off = 0; off < f->file.size; off += PAGE_SIZE) {
        uint8_t *page = page_for_write(f, off / PAGE_SIZE);
        if (!page) {
            file_free_pages(f);
            return WASI_ENOSPC;
        }
        uint64_t n = f->file.size - off < PAGE_SIZE ? f->file.size - off : PAGE_SIZE;
        memcpy(page, src + off, n);
    }
    f->file.in_place = NULL;
    return WASI_ESUCCESS;
}

uint64_t file_read(struct vnode *f, uint64_t offset, void *buf, uint64_t len) {
    if (offset >= f->file.size) return 0;
    if (len > f->file.size - offset) len = f->file.size - offset;
    if (f->file.in_place) {
        memcpy(buf, f->file.in_place + offset, len);
        return len;
    }
    uint8_t *out = buf;
    uint64_t done = 0;
    while (done < len) {
        uint64_t pos = offset + done;
        uint64_t in_page = pos % PAGE_SIZE;
        uint64_t n = PAGE_SIZE - in_page < len - done ? PAGE_SIZE - in_page : len - done;
        uint8_t *page = page_at(f, pos / PAGE_SIZE);
        if (page) memcpy(out + done, page + in_page, n);
        else memset(out + done, 0, n);
        done += n;
    }
    return len;
}

int32_t file_write(struct vnode *f, uint64_t offset, const void *buf, uint64_t len, uint64_t *written) {
    *written = 0;
    if (offset > MAX_FILE_SIZE || len > MAX_FILE_SIZE - offset) return WASI_EFBIG;
    if (!len) return WASI_ESUCCESS;
    int32_t err = materialize(f);
    if (err) return err;
    const uint8_t *in = buf;
    uint64_t done = 0;
    while (done < len) {
        uint64_t pos = offset + done;
        uint64_t in_page = pos % PAGE_SIZE;
        uint64_t n = PAGE_SIZE - in_page < len - done ? PAGE_SIZE - in_page : len - done;
        uint8_t *page = page_for_write(f, pos / PAGE_SIZE);
        if (!page) break;
        memcpy(page + in_page, in + done, n);
        done += n;
    }
    /* the size covers only bytes that were stored: a short write leaves no unwritten tail */
    if (done && offset + done > f->file.size) f->file.size = offset + done;
    *written = done;
    if (done) f->mtim = f->ctim = vfs_now();
    return done ? WASI_ESUCCESS : WASI_ENOSPC;
}

int32_t file_set_size(struct vnode *f, uint64_t size) {
    if (size > MAX_FILE_SIZE) return WASI_EFBIG;
    if (f->file.in_place) {
        if (size <= f->file.size) {
            /* a shorter view of the image needs no copy */
            f->file.size = size;
            f->mtim = f->ctim = vfs_now();
            return WASI_ESUCCESS;
        }
        int32_t err = materialize(f);
        if (err) return err;
    }
    if (size < f->file.size) {
        free_from(f, ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
        /* the tail of the last page must read as zeros if the file grows again */
        uint8_t *last = size % PAGE_SIZE ? page_at(f, size / PAGE_SIZE) : NULL;
        if (last) memset(last + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
    }
    f->file.size = size;
    f->mtim = f->ctim = vfs_now();
    return WASI_ESUCCESS;
}
