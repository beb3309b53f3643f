#include "kernel/format.h"

typedef struct sink {
    char *buf;
    size_t size;
    size_t len;
} sink;

static void put(sink *s, char c) {
    if (s->len + 1 < s->size) s->buf[s->len++] = c;
}

static void put_number(sink *s, uint64_t v, unsigned base, bool negative, unsigned width, char pad) {
    char digits[24];
    unsigned n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    unsigned total = n + (negative ? 1 : 0);
    if (negative && pad == '0') put(s, '-');
    for (; total < width; total++) put(s, pad);
    if (negative && pad != '0') put(s, '-');
    while (n) put(s, digits[--n]);
}

size_t format_v(char *buf, size_t size, const char *fmt, va_list ap) {
    sink s = {buf, size, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&s, *p);
            continue;
        }
        p++;
        char pad = ' ';
        unsigned width = 0;
        if (*p == '0') {
            pad = '0';
            p++;
        }
        while (*p >= '0' && *p <= '9') width = width * 10 + (unsigned)(*p++ - '0');
        unsigned longs = 0;
        while (*p == 'l') {
            longs++;
            p++;
        }
        switch (*p) {
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str) str = "(null)";
            size_t len = 0;
            while (str[len]) len++;
            for (; len < width; width--) put(&s, ' ');
            while (*str) put(&s, *str++);
            break;
        }
        case 'c': put(&s, (char)va_arg(ap, int)); break;
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            put_number(&s, mag, 10, v < 0, width, pad);
            break;
        }
        case 'u': put_number(&s, longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, false, width, pad); break;
        case 'x': put_number(&s, longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, false, width, pad); break;
        case 'p':
            put(&s, '0');
            put(&s, 'x');
            put_number(&s, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, false, 16, '0');
            break;
        case '%': put(&s, '%'); break;
        case '\0': p--; break;
        default:
            put(&s, '%');
            put(&s, *p);
            break;
        }
    }
    if (size) buf[s.len] = '\0';
    return s.len;
}

size_t format(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t n = format_v(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
