/*
 * A small JSON reader for what uniwasm-runtime reads: a bundle's config.json and its own state files.
 * Values are never freed: the runtime is a short-lived process.
 */
#ifndef UNIWASM_RUNTIME_JSON_H
#define UNIWASM_RUNTIME_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
    enum json_type type;
    bool boolean;
    char *text;   /* a string's UTF-8 bytes, or a number as written; NUL-terminated */
    size_t count; /* items of an array or members of an object */
    struct json **items;
    char **keys; /* an object's member names, parallel to items */
};

/* Parses the whole of text; on failure returns NULL and describes where in err. */
struct json *json_parse(const char *text, size_t length, char *err, size_t err_size);

/* The member named key of an object (the last one when repeated), or NULL. */
const struct json *json_get(const struct json *object, const char *key);
/* A string's text, or NULL when v is absent or not a string. */
const char *json_string(const struct json *v);
/* An integer's value; false when v is absent, not a number or not an integer in range. */
bool json_integer(const struct json *v, long long *out);
/* A non-negative integer's value up to 2^64 - 1 (an rlimit's RLIM_INFINITY); false as above. */
bool json_unsigned(const struct json *v, unsigned long long *out);

void json_write_string(FILE *out, const char *s);
void json_write(FILE *out, const struct json *v);

#endif
