/* A multi-MB round trip through wasi-libc's stdio on a tmpfs mounted at /tmp: writes N MiB
 * (argument, default 8) of a pattern with fwrite, reads it back with fread and compares, then
 * lists the directory with opendir/readdir and removes the file. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 8;
    size_t block = 1 << 16;
    uint32_t *buf = malloc(block);
    FILE *f = fopen("/tmp/big.bin", "wb");
    if (!f) {
        perror("fopen for writing");
        return 1;
    }
    uint32_t word = 0;
    for (long i = 0; i < mib * 16; i++) {
        for (size_t j = 0; j < block / 4; j++) buf[j] = word++ * 2654435761u;
        if (fwrite(buf, 1, block, f) != block) {
            perror("fwrite");
            return 1;
        }
    }
    if (fclose(f)) {
        perror("fclose");
        return 1;
    }
    struct stat st;
    if (stat("/tmp/big.bin", &st)) {
        perror("stat");
        return 1;
    }
    printf("size %lld\n", (long long)st.st_size);
    f = fopen("/tmp/big.bin", "rb");
    if (!f) {
        perror("fopen for reading");
        return 1;
    }
    word = 0;
    long mismatches = 0;
    for (long i = 0; i < mib * 16; i++) {
        if (fread(buf, 1, block, f) != block) {
            perror("fread");
            return 1;
        }
        for (size_t j = 0; j < block / 4; j++)
            if (buf[j] != word++ * 2654435761u) mismatches++;
    }
    char extra;
    printf("eof %s\n", fread(&extra, 1, 1, f) == 0 && feof(f) ? "yes" : "no");
    fclose(f);
    printf("mismatches %ld\n", mismatches);
    DIR *d = opendir("/tmp");
    if (!d) {
        perror("opendir");
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d))) printf("entry %s\n", e->d_name);
    closedir(d);
    if (unlink("/tmp/big.bin")) {
        perror("unlink");
        return 1;
    }
    printf("exists after unlink: %s\n", access("/tmp/big.bin", F_OK) == 0 ? "yes" : "no");
    return mismatches ? 1 : 0;
}
