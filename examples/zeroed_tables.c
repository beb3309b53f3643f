/* Zeroed memory, for the process platform's idle reclaim (kernel/README.md, "Idle reclaim"): a
 * 4 MiB table from calloc (which wasi-libc clears byte by byte, dirtying every page) with a marker
 * byte on every 16th page, and a 96 KiB writable data segment (large enough to be mapped from the
 * executable) that the app clears itself. It prints "holding" and reads stdin to its end, waiting
 * (a test looks at its memory meanwhile); then it checks that both still read as it left them,
 * writes every byte of both and checks again. Prints one line per check and exits 0 when all hold. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096
#define TABLE_BYTES (4u << 20)
#define MARKER_EVERY (16 * PAGE)
#define PATTERN "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/"
#define TIMES4(s) s s s s
#define KIB4 TIMES4(TIMES4(TIMES4(PATTERN)))
#define KIB96 TIMES4(TIMES4(KIB4)) TIMES4(KIB4) TIMES4(KIB4)

static char data_run[] = KIB96;

static uint8_t marker(size_t at) { return (uint8_t)(at / MARKER_EVERY) | 1; }

/* Bytes of the table that differ from what the app wrote: markers, zero elsewhere. */
static size_t table_differences(const volatile uint8_t *table) {
    size_t wrong = 0;
    for (size_t i = 0; i < TABLE_BYTES; i++) {
        uint8_t expected = i % MARKER_EVERY == 7 ? marker(i - 7) : 0;
        wrong += table[i] != expected;
    }
    return wrong;
}

static size_t nonzero(const volatile char *p, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += p[i] != 0;
    return count;
}

static size_t differing(const volatile uint8_t *p, size_t n, uint8_t value) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += p[i] != value;
    return count;
}

int main(void) {
    uint8_t *table = calloc(TABLE_BYTES, 1);
    if (!table) {
        printf("calloc failed\n");
        return 1;
    }
    for (size_t at = 0; at < TABLE_BYTES; at += MARKER_EVERY) table[at + 7] = marker(at);
    printf("data run %zu bytes, %zu nonzero\n", sizeof data_run - 1, nonzero(data_run, sizeof data_run - 1));
    memset(data_run, 0, sizeof data_run);
    printf("holding\n");
    fflush(stdout);
    while (getchar() != EOF) {
    }
    size_t table_wrong = table_differences(table), data_wrong = nonzero(data_run, sizeof data_run);
    printf("table after the wait: %zu bytes differ\n", table_wrong);
    printf("data run after the wait: %zu bytes differ\n", data_wrong);
    memset(table, 0x5a, TABLE_BYTES);
    memset(data_run, 0xa5, sizeof data_run);
    size_t rewritten_wrong =
        differing(table, TABLE_BYTES, 0x5a) + differing((const uint8_t *)data_run, sizeof data_run, 0xa5);
    printf("rewritten: %zu bytes differ\n", rewritten_wrong);
    return table_wrong || data_wrong || rewritten_wrong ? 1 : 0;
}
