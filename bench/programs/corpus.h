/* A generated, moderately compressible input for the compression benchmarks: lines of words drawn
 * from a fixed vocabulary by a xorshift generator, with numbers mixed in, so that every runner
 * compresses the same bytes without reading a file. */
#ifndef UNIWASM_BENCH_CORPUS_H
#define UNIWASM_BENCH_CORPUS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const corpus_words[] = {
    "unikernel", "webassembly", "module", "memory", "table",  "function", "export", "import",
    "guest",     "host",        "virtio", "queue",  "packet", "socket",   "listen", "accept",
    "compile",   "link",        "image",  "boot",   "trap",   "stack",    "page",   "fault",
    "timer",     "interrupt",   "the",    "a",      "of",     "and",      "to",     "in",
};

/* Fills buf with len bytes of text. */
static void corpus_fill(unsigned char *buf, size_t len) {
    uint32_t x = 88172645u;
    size_t i = 0;
    while (i < len) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        char piece[32];
        int n;
        if (x % 11 == 0) n = snprintf(piece, sizeof piece, "%u ", x % 100000);
        else if (x % 13 == 0) n = snprintf(piece, sizeof piece, ".\n");
        else
            n = snprintf(piece, sizeof piece, "%s ",
                         corpus_words[(x >> 8) % (sizeof corpus_words / sizeof corpus_words[0])]);
        for (int k = 0; k < n && i < len; k++) buf[i++] = (unsigned char)piece[k];
    }
}
#endif
