/* Tiny string helpers: the runtime is freestanding and the kernel offers no libc. */
#include "internal.h"

int uw_rt_streq(const char *a, const char *b) {
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

size_t uw_rt_strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

void uw_rt_err_str(uw_rt_errbuf *e, const char *s) {
    if (!e->buf || e->cap == 0) return;
    while (*s && e->len + 1 < e->cap) e->buf[e->len++] = *s++;
    e->buf[e->len] = 0;
}

void uw_rt_err_u64(uw_rt_errbuf *e, uint64_t v) {
    char digits[21];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char text[21];
    for (int i = 0; i < n; i++) text[i] = digits[n - 1 - i];
    text[n] = 0;
    uw_rt_err_str(e, text);
}
