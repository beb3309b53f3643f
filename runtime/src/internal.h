/*
 * Helpers shared by the runtime's source files. Not part of the ABI: nothing outside runtime/src
 * includes this header.
 */
#ifndef UNIWASM_RUNTIME_INTERNAL_H
#define UNIWASM_RUNTIME_INTERNAL_H

#include "uniwasm/runtime.h"

/* Hard limit on table sizes: a table never grows beyond this many elements even when its maximum
 * allows more (10,000,000 pointers = 80 MB), so a runaway table.grow fails with -1 instead of
 * exhausting the embedder's heap. */
#define UW_TABLE_ELEMENT_CAP 10000000u

/* Memories never exceed 65536 pages (4 GiB), whatever their declared maximum. */
#define UW_MEMORY_PAGE_CAP 65536u

int uw_rt_streq(const char *a, const char *b);
size_t uw_rt_strlen(const char *s);

/* Appends formatted pieces to an error buffer; always NUL-terminates and never overflows. */
typedef struct uw_rt_errbuf {
    char *buf;
    size_t cap;
    size_t len;
} uw_rt_errbuf;
void uw_rt_err_str(uw_rt_errbuf *e, const char *s);
void uw_rt_err_u64(uw_rt_errbuf *e, uint64_t v);

/* Largest number of pages memory `m` may grow to. */
uint64_t uw_rt_memory_page_limit(const uw_memory *m);
/* Creates a memory of `min` pages that may grow to `max` pages; NULL when out of resources. */
uw_memory *uw_rt_memory_new(uint64_t min_pages, uint64_t max_pages);
/* Creates a null-filled table; NULL when out of resources or min exceeds the element cap. */
uw_table *uw_rt_table_new(uint64_t min, uint64_t max, uint32_t elem_type);

#endif
