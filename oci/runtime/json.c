#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Deeper nesting than any config.json has; the bound keeps a hostile file from exhausting the stack. */
#define MAX_DEPTH 64

struct parser {
    const char *p, *end, *start;
    char *err;
    size_t err_size;
    bool failed;
};

static void fail(struct parser *ps, const char *what) {
    if (ps->failed) return;
    ps->failed = true;
    snprintf(ps->err, ps->err_size, "%s at byte %zu", what, (size_t)(ps->p - ps->start));
}

static void *grow(void *old, size_t count, size_t size) {
    void *p = realloc(old, count * size);
    if (!p) {
        fputs("uniwasm-runtime: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static struct json *node(enum json_type type) {
    struct json *v = calloc(1, sizeof *v);
    if (!v) grow(NULL, 1, 1 << 30); /* reports and exits */
    v->type = type;
    return v;
}

static void skip_space(struct parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool read_hex4(struct parser *ps, uint32_t *out) {
    if (ps->end - ps->p < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(ps->p[i]);
        if (d < 0) return false;
        v = v << 4 | (uint32_t)d;
    }
    ps->p += 4;
    *out = v;
    return true;
}

static size_t put_utf8(char *out, uint32_t c) {
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xe0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3f));
        out[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3f));
    out[2] = (char)(0x80 | (c >> 6 & 0x3f));
    out[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

/* A string after its opening quote; escapes decoded, NUL refused (it could not be passed on). */
static char *parse_string(struct parser *ps) {
    size_t cap = 16, n = 0;
    char *s = grow(NULL, cap, 1);
    for (;;) {
        if (ps->p >= ps->end) {
            fail(ps, "unterminated string");
            return NULL;
        }
        if (n + 5 > cap) s = grow(s, cap *= 2, 1);
        unsigned char c = (unsigned char)*ps->p++;
        if (c == '"') break;
        if (c < 0x20) {
            ps->p--;
            fail(ps, "control character in a string");
            return NULL;
        }
        if (c != '\\') {
            s[n++] = (char)c;
            continue;
        }
        if (ps->p >= ps->end) {
            fail(ps, "unterminated string");
            return NULL;
        }
        char e = *ps->p++;
        switch (e) {
        case '"': s[n++] = '"'; break;
        case '\\': s[n++] = '\\'; break;
        case '/': s[n++] = '/'; break;
        case 'b': s[n++] = '\b'; break;
        case 'f': s[n++] = '\f'; break;
        case 'n': s[n++] = '\n'; break;
        case 'r': s[n++] = '\r'; break;
        case 't': s[n++] = '\t'; break;
        case 'u': {
            uint32_t c1, c2;
            if (!read_hex4(ps, &c1)) {
                fail(ps, "bad \\u escape");
                return NULL;
            }
            if (c1 >= 0xd800 && c1 < 0xdc00) {
                if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
                    fail(ps, "lone surrogate");
                    return NULL;
                }
                ps->p += 2;
                if (!read_hex4(ps, &c2) || c2 < 0xdc00 || c2 >= 0xe000) {
                    fail(ps, "lone surrogate");
                    return NULL;
                }
                c1 = 0x10000 + ((c1 - 0xd800) << 10) + (c2 - 0xdc00);
            } else if (c1 >= 0xdc00 && c1 < 0xe000) {
                fail(ps, "lone surrogate");
                return NULL;
            }
            if (c1 == 0) {
                fail(ps, "NUL character in a string");
                return NULL;
            }
            n += put_utf8(s + n, c1);
            break;
        }
        default:
            ps->p--;
            fail(ps, "bad escape");
            return NULL;
        }
    }
    s[n] = 0;
    return s;
}

static struct json *parse_value(struct parser *ps, int depth);

static struct json *parse_container(struct parser *ps, int depth, bool object) {
    struct json *v = node(object ? JSON_OBJECT : JSON_ARRAY);
    size_t cap = 0;
    char close = object ? '}' : ']';
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return v;
    }
    for (;;) {
        if (v->count == cap) {
            cap = cap ? cap * 2 : 8;
            v->items = grow(v->items, cap, sizeof *v->items);
            if (object) v->keys = grow(v->keys, cap, sizeof *v->keys);
        }
        skip_space(ps);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"') {
                fail(ps, "expected a member name");
                return NULL;
            }
            ps->p++;
            char *key = parse_string(ps);
            if (!key) return NULL;
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                fail(ps, "expected ':'");
                return NULL;
            }
            ps->p++;
            v->keys[v->count] = key;
        }
        struct json *item = parse_value(ps, depth + 1);
        if (!item) return NULL;
        v->items[v->count++] = item;
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return v;
        }
        fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
        return NULL;
    }
}

static struct json *parse_number(struct parser *ps) {
    const char *from = ps->p;
    if (ps->p < ps->end && *ps->p == '-') ps->p++;
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
        fail(ps, "bad number");
        return NULL;
    }
    if (*ps->p == '0') ps->p++;
    else
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
            fail(ps, "bad number");
            return NULL;
        }
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
            fail(ps, "bad number");
            return NULL;
        }
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    struct json *v = node(JSON_NUMBER);
    size_t n = (size_t)(ps->p - from);
    v->text = grow(NULL, n + 1, 1);
    memcpy(v->text, from, n);
    v->text[n] = 0;
    return v;
}

static bool literal(struct parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n)) return false;
    ps->p += n;
    return true;
}

static struct json *parse_value(struct parser *ps, int depth) {
    if (depth > MAX_DEPTH) {
        fail(ps, "nested too deeply");
        return NULL;
    }
    skip_space(ps);
    if (ps->p >= ps->end) {
        fail(ps, "unexpected end");
        return NULL;
    }
    char c = *ps->p;
    if (c == '{' || c == '[') {
        ps->p++;
        return parse_container(ps, depth, c == '{');
    }
    if (c == '"') {
        ps->p++;
        char *s = parse_string(ps);
        if (!s) return NULL;
        struct json *v = node(JSON_STRING);
        v->text = s;
        return v;
    }
    if (literal(ps, "true")) {
        struct json *v = node(JSON_BOOL);
        v->boolean = true;
        return v;
    }
    if (literal(ps, "false")) return node(JSON_BOOL);
    if (literal(ps, "null")) return node(JSON_NULL);
    return parse_number(ps);
}

struct json *json_parse(const char *text, size_t length, char *err, size_t err_size) {
    struct parser ps = {.p = text, .end = text + length, .start = text, .err = err, .err_size = err_size};
    struct json *v = parse_value(&ps, 0);
    if (v) {
        skip_space(&ps);
        if (ps.p != ps.end) {
            fail(&ps, "text after the value");
            v = NULL;
        }
    }
    return ps.failed ? NULL : v;
}

const struct json *json_get(const struct json *object, const char *key) {
    if (!object || object->type != JSON_OBJECT) return NULL;
    const struct json *found = NULL;
    for (size_t i = 0; i < object->count; i++) {
        if (!strcmp(object->keys[i], key)) found = object->items[i];
    }
    return found;
}

const char *json_string(const struct json *v) { return v && v->type == JSON_STRING ? v->text : NULL; }

bool json_integer(const struct json *v, long long *out) {
    if (!v || v->type != JSON_NUMBER) return false;
    char *end;
    errno = 0;
    long long n = strtoll(v->text, &end, 10);
    if (errno || *end) return false;
    *out = n;
    return true;
}

bool json_unsigned(const struct json *v, unsigned long long *out) {
    if (!v || v->type != JSON_NUMBER || v->text[0] == '-') return false;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v->text, &end, 10);
    if (errno || *end) return false;
    *out = n;
    return true;
}

void json_write_string(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p == '\n') fputs("\\n", out);
        else if (*p == '\t') fputs("\\t", out);
        else if (*p < 0x20 || *p == 0x7f) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

void json_write(FILE *out, const struct json *v) {
    switch (v->type) {
    case JSON_NULL: fputs("null", out); break;
    case JSON_BOOL: fputs(v->boolean ? "true" : "false", out); break;
    case JSON_NUMBER: fputs(v->text, out); break;
    case JSON_STRING: json_write_string(out, v->text); break;
    case JSON_ARRAY:
    case JSON_OBJECT:
        fputc(v->type == JSON_OBJECT ? '{' : '[', out);
        for (size_t i = 0; i < v->count; i++) {
            if (i) fputc(',', out);
            if (v->type == JSON_OBJECT) {
                json_write_string(out, v->keys[i]);
                fputc(':', out);
            }
            json_write(out, v->items[i]);
        }
        fputc(v->type == JSON_OBJECT ? '}' : ']', out);
        break;
    }
}
