/* lwIP includes <stdlib.h> in mem.c and netif.c; the kernel has no libc. With MEM_LIBC_MALLOC
 * mapped to the kernel heap (lwipopts.h) only atoi is used (netif_find parses "en0"). */
#ifndef UNIWASM_LWIP_COMPAT_STDLIB_H
#define UNIWASM_LWIP_COMPAT_STDLIB_H
#include <stddef.h>

static inline int atoi(const char *s) {
    int sign = 1, value = 0;
    while (*s == ' ' || (*s >= '\t' && *s <= '\r')) s++;
    if (*s == '-' || *s == '+') sign = *s++ == '-' ? -1 : 1;
    for (int digits = 0; *s >= '0' && *s <= '9' && digits < 9; digits++) value = value * 10 + (*s++ - '0');
    return sign * value;
}
#endif
