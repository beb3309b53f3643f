/*
 * SHA-256 (FIPS 180-4), for the digest that keys uniwasm-runtime's compile cache: the same digest as
 * `sha256sum` and the image's dev.uniwasm.module.digest label.
 */
#ifndef UNIWASM_RUNTIME_SHA256_H
#define UNIWASM_RUNTIME_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
    size_t used; /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t size);
/* Writes the digest as 64 lowercase hex digits and a NUL into hex. */
void sha256_final_hex(struct sha256 *s, char hex[65]);

#endif
