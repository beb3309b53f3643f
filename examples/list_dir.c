/* Lists directory trees with their names' exact bytes: `list_dir DIR...` prints one line per entry
 * under each DIR, sorted by name bytes, depth first:
 *   PATH dir
 *   PATH file SIZE HEAD TAIL   (HEAD, TAIL: the first and last up to 8 bytes in hex, "-" when empty)
 *   PATH link TARGET
 * PATH is relative to DIR and printed as the bytes the guest got, so a test can compare them with
 * the host's. Exits 0, or 1 when something cannot be read (the reason on stderr). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failed;

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void hex(const unsigned char *b, ssize_t n) {
    if (n <= 0) {
        fputs("-", stdout);
        return;
    }
    for (ssize_t i = 0; i < n; i++) printf("%02x", b[i]);
}

static void describe_file(const char *path, const char *shown, off_t size) {
    unsigned char head[8], tail[8];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "list_dir: %s: %s\n", shown, strerror(errno));
        failed = 1;
        return;
    }
    ssize_t h = pread(fd, head, size < 8 ? (size_t)size : 8, 0);
    off_t tail_at = size < 8 ? 0 : size - 8;
    ssize_t t = pread(fd, tail, size < 8 ? (size_t)size : 8, tail_at);
    close(fd);
    printf("%s file %lld ", shown, (long long)size);
    hex(head, h);
    putchar(' ');
    hex(tail, t);
    putchar('\n');
}

static void list(const char *dir, const char *prefix) {
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "list_dir: %s: %s\n", dir, strerror(errno));
        failed = 1;
        return;
    }
    size_t count = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (count == cap) names = realloc(names, (cap *= 2) * sizeof *names);
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    for (size_t i = 0; i < count; i++) {
        size_t plen = strlen(dir) + strlen(names[i]) + 2, slen = strlen(prefix) + strlen(names[i]) + 2;
        char *path = malloc(plen), *shown = malloc(slen);
        snprintf(path, plen, "%s/%s", dir, names[i]);
        snprintf(shown, slen, "%s%s%s", prefix, *prefix ? "/" : "", names[i]);
        struct stat st;
        if (lstat(path, &st) != 0) {
            fprintf(stderr, "list_dir: %s: %s\n", shown, strerror(errno));
            failed = 1;
        } else if (S_ISDIR(st.st_mode)) {
            printf("%s dir\n", shown);
            list(path, shown);
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t n = readlink(path, target, sizeof target - 1);
            if (n < 0) n = 0;
            target[n] = '\0';
            printf("%s link %s\n", shown, target);
        } else {
            describe_file(path, shown, st.st_size);
        }
        free(path);
        free(shown);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) list(argv[i], "");
    return failed;
}
