/* libbz2 (Debian's bzip2 source package) compressing a generated input of MIB mebibytes with
 * 900 KB blocks, ROUNDS times, and decompressing it back; checks the round trip and prints the
 * compressed size and a checksum of the compressed bytes. Usage: bzip2_compress MIB ROUNDS */
#include <bzlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corpus.h"

int main(int argc, char **argv) {
    if (argc != 3 || atoi(argv[1]) <= 0 || atoi(argv[2]) <= 0) {
        fprintf(stderr, "usage: bzip2_compress MIB ROUNDS\n");
        return 2;
    }
    unsigned int len = (unsigned int)atoi(argv[1]) << 20;
    int rounds = atoi(argv[2]);
    unsigned int bound = len + len / 100 + 600; /* the bound bzlib's manual gives */
    char *input = malloc(len), *back = malloc(len), *packed = malloc(bound);
    if (!input || !back || !packed) {
        fprintf(stderr, "bzip2_compress: out of memory for %s MiB\n", argv[1]);
        return 1;
    }
    corpus_fill((unsigned char *)input, len);
    unsigned int packed_len = 0;
    for (int r = 0; r < rounds; r++) {
        packed_len = bound;
        int rc = BZ2_bzBuffToBuffCompress(packed, &packed_len, input, len, 9, 0, 0);
        if (rc != BZ_OK) {
            fprintf(stderr, "bzip2_compress: compression failed: %d\n", rc);
            return 1;
        }
        unsigned int back_len = len;
        rc = BZ2_bzBuffToBuffDecompress(back, &back_len, packed, packed_len, 0, 0);
        if (rc != BZ_OK || back_len != len || memcmp(back, input, len) != 0) {
            fprintf(stderr, "bzip2_compress: round trip failed (%d)\n", rc);
            return 1;
        }
    }
    uint32_t sum = 2166136261u; /* FNV-1a */
    for (unsigned int i = 0; i < packed_len; i++) sum = (sum ^ (unsigned char)packed[i]) * 16777619u;
    printf("bzip2 %s in=%u out=%u fnv1a=%08x\n", BZ2_bzlibVersion(), len, packed_len, sum);
    free(input);
    free(back);
    free(packed);
    return 0;
}
