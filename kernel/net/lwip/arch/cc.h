/*
 * lwIP's platform header for the freestanding kernel: fixed-width types from the compiler's own
 * headers, no libc (no stdio, inttypes or ctype), diagnostics on the kernel's stderr and panic on
 * a failed assertion.
 */
#ifndef UNIWASM_LWIP_ARCH_CC_H
#define UNIWASM_LWIP_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>

#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_CTYPE_H 1
#define LWIP_NO_UNISTD_H 1
#define BYTE_ORDER LITTLE_ENDIAN

#define X8_F "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "lu"

#define LWIP_RAND() uw_lwip_rand()
uint32_t uw_lwip_rand(void);

void uw_lwip_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void uw_lwip_assert(const char *message, const char *file, int line);
#define LWIP_PLATFORM_DIAG(x) \
    do {                      \
        uw_lwip_diag x;       \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x) uw_lwip_assert((x), __FILE__, __LINE__)

void *uw_lwip_malloc(size_t size);
void *uw_lwip_calloc(size_t count, size_t size);
void uw_lwip_free(void *p);

#endif
