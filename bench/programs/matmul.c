/* Dense double-precision matrix multiply, C = A x B with N x N matrices filled from a fixed
 * linear congruential sequence, repeated ROUNDS times. Prints a checksum of C so that every
 * runner's result can be compared with the native one. Usage: matmul N ROUNDS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t lcg_state = 12345u;

static double next_value(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return (double)(lcg_state >> 8) / (double)(1u << 24) - 0.5;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: matmul N ROUNDS\n");
        return 2;
    }
    int n = atoi(argv[1]), rounds = atoi(argv[2]);
    if (n <= 0 || rounds <= 0) {
        fprintf(stderr, "matmul: N and ROUNDS must be positive\n");
        return 2;
    }
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n),
           *c = malloc(sizeof(double) * n * n);
    if (!a || !b || !c) {
        fprintf(stderr, "matmul: out of memory for N=%d\n", n);
        return 1;
    }
    for (int i = 0; i < n * n; i++) a[i] = next_value();
    for (int i = 0; i < n * n; i++) b[i] = next_value();
    double checksum = 0;
    for (int r = 0; r < rounds; r++) {
        /* i-k-j order: the inner loop walks rows of B and C, which vectorises */
        for (int i = 0; i < n * n; i++) c[i] = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
            }
        for (int i = 0; i < n * n; i++) checksum += c[i] * (double)((i % 7) + 1);
        a[r % (n * n)] += 1.0; /* each round differs, so no round can be skipped */
    }
    printf("matmul n=%d rounds=%d checksum=%.9e\n", n, rounds, checksum);
    free(a);
    free(b);
    free(c);
    return 0;
}
