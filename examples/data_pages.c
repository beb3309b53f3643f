/* Large data segments, for the process platform's mapping of them from its executable
 * (kernel/README.md, "Data segments"): 4 MiB of read-only text and 4 KiB of writable text, both
 * from a 64-character pattern. Prints the FNV-1a hash of each, writes two bytes of the writable
 * one and hashes it again; with "hold" it then reads stdin to its end before exiting, so that a
 * test can look at the process's memory meanwhile. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PATTERN "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/"
#define TIMES4(s) s s s s
#define KIB4 TIMES4(TIMES4(TIMES4(PATTERN)))

static const char constant_text[] = TIMES4(TIMES4(TIMES4(TIMES4(TIMES4(KIB4)))));
static char writable_text[] = KIB4;

static uint32_t fnv1a(const volatile char *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

int main(int argc, char **argv) {
    printf("constant %zu %08x\n", sizeof constant_text - 1, fnv1a(constant_text, sizeof constant_text - 1));
    printf("writable %zu %08x\n", sizeof writable_text - 1, fnv1a(writable_text, sizeof writable_text - 1));
    writable_text[0] = '<';
    writable_text[sizeof writable_text - 2] = '>';
    printf("written %08x\n", fnv1a(writable_text, sizeof writable_text - 1));
    printf("constant again %08x\n", fnv1a(constant_text, sizeof constant_text - 1));
    if (argc > 1 && !strcmp(argv[1], "hold")) {
        printf("holding\n");
        fflush(stdout);
        while (getchar() != EOF) {
        }
    }
    return 0;
}
