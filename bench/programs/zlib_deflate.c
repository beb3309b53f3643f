/* zlib (Debian's source package) compressing a generated input of MIB mebibytes at LEVEL, ROUNDS
 * times, and inflating it back; checks the round trip and prints the compressed size and CRC-32.
 * Usage: zlib_deflate MIB LEVEL ROUNDS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "corpus.h"

int main(int argc, char **argv) {
    if (argc != 4 || atoi(argv[1]) <= 0 || atoi(argv[2]) < 0 || atoi(argv[2]) > 9 || atoi(argv[3]) <= 0) {
        fprintf(stderr, "usage: zlib_deflate MIB LEVEL(0-9) ROUNDS\n");
        return 2;
    }
    uLong len = (uLong)atoi(argv[1]) << 20;
    int level = atoi(argv[2]), rounds = atoi(argv[3]);
    unsigned char *input = malloc(len), *back = malloc(len);
    uLong bound = compressBound(len);
    unsigned char *packed = malloc(bound);
    if (!input || !back || !packed) {
        fprintf(stderr, "zlib_deflate: out of memory for %s MiB\n", argv[1]);
        return 1;
    }
    corpus_fill(input, len);
    uLongf packed_len = 0;
    for (int r = 0; r < rounds; r++) {
        packed_len = bound;
        int rc = compress2(packed, &packed_len, input, len, level);
        if (rc != Z_OK) {
            fprintf(stderr, "zlib_deflate: compress2 failed: %d\n", rc);
            return 1;
        }
        uLongf back_len = len;
        rc = uncompress(back, &back_len, packed, packed_len);
        if (rc != Z_OK || back_len != len || memcmp(back, input, len) != 0) {
            fprintf(stderr, "zlib_deflate: round trip failed (%d)\n", rc);
            return 1;
        }
    }
    printf("zlib %s level=%d in=%lu out=%lu crc32=%08lx\n", zlibVersion(), level, len, (unsigned long)packed_len,
           crc32(0L, packed, (uInt)packed_len));
    free(input);
    free(back);
    free(packed);
    return 0;
}
