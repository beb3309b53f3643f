/*
 * uwhost: runs compiled Wasm modules for the spec-test runner. Reads one request per line on stdin,
 * writes one reply per line on stdout; the protocol is described in protocol.md. Diagnostics and the
 * spectest print functions go to stderr.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define DEFAULT_STACK_BYTES (8u << 20)
#define MAX_TOKENS 4096

typedef struct named_instance {
    char *name;
    uw_vmctx *ctx;
} named_instance;

typedef struct instance_list {
    named_instance *items;
    size_t count, capacity;
} instance_list;

static instance_list loaded;     /* by the runner's name for each module */
static instance_list registered; /* by import module name ("spectest", names given by register) */

static void list_put(instance_list *list, const char *name, uw_vmctx *ctx) {
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 32;
        list->items = realloc(list->items, list->capacity * sizeof(named_instance));
        if (!list->items) {
            fprintf(stderr, "uwhost: out of memory\n");
            exit(2);
        }
    }
    list->items[list->count++] = (named_instance){strdup(name), ctx};
}

/* The latest instance of that name: names may be rebound, as in the spec's script semantics. */
static uw_vmctx *list_get(const instance_list *list, const char *name) {
    for (size_t i = list->count; i > 0; i--) {
        if (strcmp(list->items[i - 1].name, name) == 0) return list->items[i - 1].ctx;
    }
    return NULL;
}

/* ---- replies ---- */

static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void reply(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    putchar('\n');
    fflush(stdout);
}

/* ---- hex-encoded strings: names and paths may contain spaces or any byte ---- */

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes hex text into a fresh NUL-terminated string and, if len is given, its length (the bytes
 * may contain NUL); NULL if malformed. "-" is the empty string. */
static char *hex_decode_n(const char *hex, size_t *len) {
    if (len) *len = 0;
    if (strcmp(hex, "-") == 0) return strdup("");
    size_t n = strlen(hex);
    if (len) *len = n / 2;
    if (n % 2) return NULL;
    char *out = malloc(n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        out[i] = (char)(hi << 4 | lo);
    }
    out[n / 2] = 0;
    return out;
}

static char *hex_decode(const char *hex) { return hex_decode_n(hex, NULL); }

/* ---- values ---- */

static const char *type_name(char letter) {
    switch (letter) {
    case 'i': return "i32";
    case 'l': return "i64";
    case 'f': return "f32";
    case 'd': return "f64";
    case 'v': return "v128";
    case 'r': return "funcref";
    case 'x': return "externref";
    default: return NULL;
    }
}

static char letter_of_valtype(uint32_t valtype) {
    switch (valtype) {
    case UW_I32: return 'i';
    case UW_I64: return 'l';
    case UW_F32: return 'f';
    case UW_F64: return 'd';
    case UW_V128: return 'v';
    case UW_FUNCREF: return 'r';
    case UW_EXTERNREF: return 'x';
    default: return '?';
    }
}

static int parse_hex_u64(const char *text, size_t max_digits, uint64_t *out) {
    size_t n = strlen(text);
    if (n == 0 || n > max_digits) return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hex_digit(text[i]);
        if (d < 0) return -1;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return 0;
}

/* Parses "TYPE:BITS" for a parameter of type `letter`; returns NULL or an error message. */
static const char *parse_value(const char *token, char letter, uw_value *out) {
    const char *name = type_name(letter);
    if (!name) return "unsupported parameter type in signature";
    size_t name_len = strlen(name);
    if (strncmp(token, name, name_len) != 0 || token[name_len] != ':')
        return "argument type does not match the signature";
    const char *bits = token + name_len + 1;
    memset(out, 0, sizeof *out);
    uint64_t v;
    switch (letter) {
    case 'i':
    case 'f':
        if (parse_hex_u64(bits, 8, &v)) return "malformed 32-bit value";
        out->i32 = (int32_t)(uint32_t)v;
        return NULL;
    case 'l':
    case 'd':
        if (parse_hex_u64(bits, 16, &v)) return "malformed 64-bit value";
        out->i64 = (int64_t)v;
        return NULL;
    case 'v':
        if (strlen(bits) != 32) return "malformed v128 value (need 32 hex digits, byte 0 first)";
        for (int i = 0; i < 16; i++) {
            int hi = hex_digit(bits[2 * i]), lo = hex_digit(bits[2 * i + 1]);
            if (hi < 0 || lo < 0) return "malformed v128 value";
            out->v128[i] = (uint8_t)(hi << 4 | lo);
        }
        return NULL;
    case 'r':
    case 'x':
        if (strcmp(bits, "null") == 0) {
            out->ref = NULL;
            return NULL;
        }
        if (parse_hex_u64(bits, 16, &v)) return "malformed reference value";
        /* externref N is represented by the pointer value N + 1, so that extern 0 is not null. */
        out->ref = (void *)(uintptr_t)(letter == 'x' ? v + 1 : v);
        return NULL;
    }
    return "unsupported parameter type";
}

static void print_value(char letter, const uw_value *v) {
    switch (letter) {
    case 'i': printf(" i32:%08" PRIx32, (uint32_t)v->i32); break;
    case 'f': printf(" f32:%08" PRIx32, (uint32_t)v->i32); break;
    case 'l': printf(" i64:%016" PRIx64, (uint64_t)v->i64); break;
    case 'd': printf(" f64:%016" PRIx64, (uint64_t)v->i64); break;
    case 'v':
        printf(" v128:");
        for (int i = 0; i < 16; i++) printf("%02x", v->v128[i]);
        break;
    case 'r':
        if (v->ref) printf(" funcref:%" PRIxPTR, (uintptr_t)v->ref);
        else printf(" funcref:null");
        break;
    case 'x':
        if (v->ref) printf(" externref:%" PRIxPTR, (uintptr_t)v->ref - 1);
        else printf(" externref:null");
        break;
    default: printf(" unknown:?"); break;
    }
}

/* ---- linking ---- */

static int resolve_import(void *data, const uw_import_desc *imp, uw_extern *out) {
    (void)data;
    uw_vmctx *exporter = list_get(&registered, imp->module);
    if (!exporter) return -1;
    return uw_instance_export_n(exporter, imp->name, imp->name_len, out);
}

/* ---- protected calls ---- */

typedef struct pending_call {
    uw_func *func;
    uw_value *io;
} pending_call;

static void run_call(void *arg) {
    pending_call *c = arg;
    uw_invoke(c->func, c->io);
}

static void run_start(void *arg) { uw_instance_start(arg); }

static void reply_trap(uint32_t code) { reply("trap %s", uw_trap_message(code)); }

/* ---- commands ---- */

static void cmd_load(char **argv, int argc) {
    if (argc != 3) {
        reply("error usage: load NAME HEXPATH");
        return;
    }
    char *path = hex_decode(argv[2]);
    if (!path) {
        reply("error malformed hex path");
        return;
    }
    void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        reply("error dlopen: %s", dlerror());
        free(path);
        return;
    }
    free(path);
    const uw_module_desc *module = dlsym(so, "uw_module");
    if (!module) {
        reply("error the object defines no uw_module symbol");
        return;
    }
    char err[512];
    uw_vmctx *ctx = uw_instance_new(module, resolve_import, NULL, NULL, err, sizeof err);
    if (!ctx) {
        int link_error = strncmp(err, "unknown import", 14) == 0 || strncmp(err, "incompatible import type", 24) == 0;
        reply("%s %s", link_error ? "unlinkable" : "error", err);
        return;
    }
    uint32_t trap = uwh_run_protected(run_start, ctx);
    if (trap) {
        reply_trap(trap);
        return;
    }
    list_put(&loaded, argv[1], ctx);
    reply("ok");
}

static void cmd_register(char **argv, int argc) {
    if (argc != 3) {
        reply("error usage: register NAME HEXAS");
        return;
    }
    uw_vmctx *ctx = list_get(&loaded, argv[1]);
    if (!ctx) {
        reply("error no module named %s", argv[1]);
        return;
    }
    char *as = hex_decode(argv[2]);
    if (!as) {
        reply("error malformed hex name");
        return;
    }
    list_put(&registered, as, ctx);
    free(as);
    reply("ok");
}

static int find_export(const char *instance, const char *hex_field, uint32_t kind, uw_extern *out) {
    uw_vmctx *ctx = list_get(&loaded, instance);
    if (!ctx) {
        reply("error no module named %s", instance);
        return -1;
    }
    size_t field_len;
    char *field = hex_decode_n(hex_field, &field_len);
    if (!field) {
        reply("error malformed hex export name");
        return -1;
    }
    int found = uw_instance_export_n(ctx, field, field_len, out);
    if (found != 0 || out->kind != kind) {
        reply("error %s has no %s export named \"%s\"", instance, kind == UW_EXTERN_FUNC ? "function" : "global",
              field);
        free(field);
        return -1;
    }
    free(field);
    return 0;
}

static void cmd_invoke(char **argv, int argc) {
    if (argc < 3) {
        reply("error usage: invoke NAME HEXFIELD ARGS...");
        return;
    }
    uw_extern ext;
    if (find_export(argv[1], argv[2], UW_EXTERN_FUNC, &ext) != 0) return;
    uw_func *f = ext.u.func;
    const char *sig = f->ctx->module->type_sigs[f->type_index];
    const char *colon = strchr(sig, ':');
    size_t params = (size_t)(colon - sig), results = strlen(colon + 1);
    if ((size_t)argc - 3 != params) {
        reply("error expected %zu arguments for signature %s, got %d", params, sig, argc - 3);
        return;
    }
    size_t slots = params > results ? params : results;
    uw_value *io = aligned_alloc(16, (slots ? slots : 1) * sizeof(uw_value));
    for (size_t i = 0; i < params; i++) {
        const char *problem = parse_value(argv[3 + i], sig[i], &io[i]);
        if (problem) {
            reply("error argument %zu (%s): %s", i, argv[3 + i], problem);
            free(io);
            return;
        }
    }
    pending_call call = {f, io};
    uint32_t trap = uwh_run_protected(run_call, &call);
    if (trap) {
        reply_trap(trap);
        free(io);
        return;
    }
    printf("ok");
    for (size_t i = 0; i < results; i++) print_value(colon[1 + i], &io[i]);
    putchar('\n');
    fflush(stdout);
    free(io);
}

static void cmd_get(char **argv, int argc) {
    if (argc != 3) {
        reply("error usage: get NAME HEXFIELD");
        return;
    }
    uw_extern ext;
    if (find_export(argv[1], argv[2], UW_EXTERN_GLOBAL, &ext) != 0) return;
    printf("ok");
    print_value(letter_of_valtype(ext.global_type), ext.u.global);
    putchar('\n');
    fflush(stdout);
}

static int split(char *line, char **argv) {
    int argc = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok && argc < MAX_TOKENS; tok = strtok(NULL, " \t\r\n"))
        argv[argc++] = tok;
    return argc;
}

int main(int argc, char **argv) {
    size_t stack_bytes = DEFAULT_STACK_BYTES;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stack-size") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (errno || *end || v < 65536) {
                fprintf(stderr, "uwhost: --stack-size needs a byte count of at least 65536, got %s\n", argv[i]);
                return 2;
            }
            stack_bytes = (size_t)v;
        } else {
            fprintf(stderr, "uwhost: unknown argument %s (usage: uwhost [--stack-size BYTES])\n", argv[i]);
            return 2;
        }
    }
    uwh_traps_init(stack_bytes);
    char err[256];
    uw_vmctx *spectest = uwh_spectest_new(err, sizeof err);
    if (!spectest) {
        fprintf(stderr, "uwhost: cannot instantiate spectest: %s\n", err);
        return 2;
    }
    list_put(&registered, "spectest", spectest);

    static char *tokens[MAX_TOKENS];
    char *line = NULL;
    size_t capacity = 0;
    while (getline(&line, &capacity, stdin) > 0) {
        int n = split(line, tokens);
        if (n == 0) continue;
        if (strcmp(tokens[0], "load") == 0) cmd_load(tokens, n);
        else if (strcmp(tokens[0], "register") == 0) cmd_register(tokens, n);
        else if (strcmp(tokens[0], "invoke") == 0) cmd_invoke(tokens, n);
        else if (strcmp(tokens[0], "get") == 0) cmd_get(tokens, n);
        else if (strcmp(tokens[0], "ping") == 0) reply("ok");
        else if (strcmp(tokens[0], "quit") == 0) break;
        else reply("error unknown command %s", tokens[0]);
    }
    free(line);
    return 0;
}
