/*
 * The binary interface between code emitted by the uniwasm compiler and the C runtime.
 * docs/ABI.md explains every field; this header is its machine-readable half and the source of the
 * facts the compiler's LLVM lowering (compiler/src/main/java/dev/uniwasm/compiler/llvm/Abi.java) and
 * README.md's exit status table repeat: wast's AbiContractTest checks them against this header, and
 * the static assertions at the end pin the offsets written in the comments. A layout change bumps
 * UW_ABI_VERSION.
 */
#ifndef UNIWASM_ABI_H
#define UNIWASM_ABI_H

#include <stddef.h>
#include <stdint.h>

#define UW_ABI_VERSION 2u

/* One reserved virtual range per 32-bit linear memory: 4 GiB of index space plus 4 GiB of offsets. */
#define UW_MEMORY_RESERVATION (8ull << 30)
#define UW_PAGE_SIZE 65536u
#define UW_NO_MAX UINT64_MAX

/* Data segments mapped rather than copied (uw_platform_map_image): the compiler places the bytes of
 * an active segment of at least UW_DATA_MAP_MIN_BYTES at an address congruent to its constant
 * offset modulo UW_HOST_PAGE_SIZE, so that its whole pages can be mapped from the executable's file
 * onto linear memory; the runtime maps a middle of at least UW_DATA_MAP_MIN_BYTES and copies the
 * rest. Smaller segments are copied: one mapping each would cost more than the copy. */
#define UW_HOST_PAGE_SIZE 4096u
#define UW_DATA_MAP_MIN_BYTES (64u << 10)

/* Trap codes; uw_trap_message() gives the spec's text for each. */
enum uw_trap_code {
    UW_TRAP_UNREACHABLE = 1,       /* "unreachable" */
    UW_TRAP_INT_DIV_BY_ZERO = 2,   /* "integer divide by zero" */
    UW_TRAP_INT_OVERFLOW = 3,      /* "integer overflow" */
    UW_TRAP_BAD_CONVERSION = 4,    /* "invalid conversion to integer" */
    UW_TRAP_MEMORY_OOB = 5,        /* "out of bounds memory access" */
    UW_TRAP_UNDEFINED_ELEMENT = 6, /* "undefined element" (call_indirect index >= table size) */
    UW_TRAP_UNINIT_ELEMENT = 7,    /* "uninitialized element" (call_indirect on null) */
    UW_TRAP_INDIRECT_TYPE = 8,     /* "indirect call type mismatch" */
    UW_TRAP_TABLE_OOB = 9,         /* "out of bounds table access" */
    UW_TRAP_STACK_EXHAUSTED = 10,  /* "call stack exhausted" */
    UW_TRAP_NULL_REFERENCE = 11,   /* "null reference" (reserved for later proposals) */
    UW_TRAP_COUNT
};

/* Value kinds as they appear in descriptors (the Wasm binary encoding of value types). */
enum uw_valtype {
    UW_I32 = 0x7f,
    UW_I64 = 0x7e,
    UW_F32 = 0x7d,
    UW_F64 = 0x7c,
    UW_V128 = 0x7b,
    UW_FUNCREF = 0x70,
    UW_EXTERNREF = 0x6f
};

enum uw_extern_kind { UW_EXTERN_FUNC = 0, UW_EXTERN_TABLE = 1, UW_EXTERN_MEMORY = 2, UW_EXTERN_GLOBAL = 3 };

struct uw_vmctx;

/* A Wasm value in the uniform "array call" convention: 16 bytes, little-endian, low bytes used. */
typedef union uw_value {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    void *ref;
    uint8_t v128[16];
} __attribute__((aligned(16))) uw_value;

/* A global's storage cell. Imported globals point at the exporter's cell. */
typedef uw_value uw_global;

/*
 * A function reference ("anyfunc"). funcref values are pointers to these; null is NULL.
 * code has the native signature  R code(struct uw_vmctx *ctx, P1, P2, ...)  where R is void, one
 * scalar, or an LLVM struct of several results (returned as the SysV ABI returns that struct).
 */
typedef struct uw_func {
    void *code;           /* native entry */
    struct uw_vmctx *ctx; /* instance the function belongs to */
    uint32_t type_id;     /* canonical signature id (uw_type_intern) */
    uint32_t type_index;  /* index into ctx->module's types, for the array trampoline */
} uw_func;

/* The uniform entry: calls `code` (native signature of the type) reading params from io[0..n) and
 * writing results to io[0..m). One per function type, emitted by the compiler. */
typedef void (*uw_array_call)(void *code, struct uw_vmctx *ctx, uw_value *io);

typedef struct uw_memory {
    uint8_t *base;      /* start of the reservation; never moves */
    uint64_t size;      /* current size in bytes (a multiple of UW_PAGE_SIZE) */
    uint64_t max_pages; /* UW_NO_MAX when unbounded (then 65536 applies) */
    uint64_t reserved;  /* bytes reserved at base (UW_MEMORY_RESERVATION) */
} uw_memory;

typedef struct uw_table {
    void **elems; /* funcref: uw_func*; externref: opaque; NULL is null. May move on grow. */
    uint32_t size;
    uint32_t max;      /* UINT32_MAX when unbounded */
    uint8_t elem_type; /* UW_FUNCREF or UW_EXTERNREF */
} uw_table;

/* A data segment at run time; len becomes 0 on data.drop (and after active initialisation). */
typedef struct uw_data_inst {
    const uint8_t *bytes;
    uint32_t len;
} uw_data_inst;

/* An element segment at run time: evaluated references; len becomes 0 on elem.drop. */
typedef struct uw_elem_inst {
    void **items;
    uint32_t len;
} uw_elem_inst;

/*
 * Instance context: the first argument of every compiled function. Fixed header; the compiler
 * reads these fields at the offsets below (all pointers are 8 bytes).
 */
typedef struct uw_vmctx {
    uint8_t *mem0_base;                  /*  0: memory 0's base, NULL when the module has no memory */
    uw_memory **memories;                /*  8: by memory index, imported first */
    uw_table **tables;                   /* 16: by table index, imported first */
    uw_global **globals;                 /* 24: by global index, imported first */
    uw_func **funcs;                     /* 32: by function index; imported entries point at the exporter's */
    uint32_t *type_ids;                  /* 40: canonical id by type index */
    uw_data_inst *data;                  /* 48: by data segment index */
    uw_elem_inst *elems;                 /* 56: by element segment index */
    const struct uw_module_desc *module; /* 64 */
    void *host;                          /* 72: embedder's data (kernel: WASI state; harness: instance) */
} uw_vmctx;

/* Names are UTF-8 with explicit lengths (Wasm names may contain NUL); they are also NUL-terminated
 * for the convenience of C code that knows its names cannot. */
typedef struct uw_import_desc {
    const char *module;
    const char *name;
    uint32_t module_len;
    uint32_t name_len;
    uint32_t kind;  /* enum uw_extern_kind */
    uint32_t index; /* index in its kind's space */
    uint32_t type;  /* func: type index; global: valtype | (mutable << 8); table: elem type */
    uint32_t reserved;
    uint64_t min, max; /* table/memory limits; max UW_NO_MAX when absent */
} uw_import_desc;

typedef struct uw_export_desc {
    const char *name;
    uint32_t name_len;
    uint32_t kind;
    uint32_t index;
    uint32_t reserved;
} uw_export_desc;

/* Entries of hand-written descriptors (the spectest module, tests): literal names only. */
#define UW_EXPORT(name, kind, index) \
    { (name), sizeof(name) - 1, (kind), (index), 0 }
#define UW_IMPORT(module, name, kind, index, type, min, max) \
    { (module), (name), sizeof(module) - 1, sizeof(name) - 1, (kind), (index), (type), 0, (min), (max) }

typedef struct uw_limits_desc {
    uint64_t min, max;
} uw_limits_desc;

typedef struct uw_table_desc {
    uint64_t min, max;
    uint32_t elem_type;
    uint32_t reserved;
} uw_table_desc;

typedef struct uw_global_desc {
    uint32_t type;
    uint32_t mutable_;
} uw_global_desc;

typedef struct uw_data_desc {
    const uint8_t *bytes;
    uint32_t len;
    uint32_t reserved;
} uw_data_desc;

typedef struct uw_elem_desc {
    uint32_t len;
    uint32_t elem_type;
} uw_elem_desc;

/*
 * Everything the runtime needs to instantiate a compiled module. Exported by every object as the
 * symbol `uw_module` (the one global symbol besides what the embedder asked for).
 */
typedef struct uw_module_desc {
    uint32_t abi_version;
    uint32_t num_types;
    const char *const *type_sigs;          /* canonical text, e.g. "il:f" (params ':' results) */
    const uw_array_call *type_array_calls; /* per type */

    uint32_t num_imports;
    const uw_import_desc *imports;
    uint32_t num_exports;
    const uw_export_desc *exports;

    uint32_t num_funcs; /* imported + defined */
    uint32_t num_imported_funcs;
    const uint32_t *func_types;    /* type index per function */
    void *const *func_code;        /* native entry per function; NULL for imported ones and for
                                      functions never referenced by address (inlined away) */
    const char *const *func_names; /* from the name section; NULL table or NULL entries */

    uint32_t num_memories, num_imported_memories;
    const uw_limits_desc *memories; /* per memory index */
    uint32_t num_tables, num_imported_tables;
    const uw_table_desc *tables; /* per table index */
    uint32_t num_globals, num_imported_globals;
    const uw_global_desc *globals; /* per global index */

    uint32_t num_data;
    const uw_data_desc *data;
    uint32_t num_elems;
    const uw_elem_desc *elems;

    /* Evaluates global initialisers and element items, then applies active element and data
     * segments in order (trapping like table.init / memory.init), then drops active and
     * declarative segments. Runs after imports are bound and before the start function. */
    void (*init)(uw_vmctx *ctx);
    int32_t start_func; /* function index, or -1 */
    uint32_t reserved;
} uw_module_desc;

/* The offsets compiled code relies on, as documented beside each field. */
_Static_assert(offsetof(uw_vmctx, mem0_base) == 0, "uw_vmctx.mem0_base");
_Static_assert(offsetof(uw_vmctx, memories) == 8, "uw_vmctx.memories");
_Static_assert(offsetof(uw_vmctx, tables) == 16, "uw_vmctx.tables");
_Static_assert(offsetof(uw_vmctx, globals) == 24, "uw_vmctx.globals");
_Static_assert(offsetof(uw_vmctx, funcs) == 32, "uw_vmctx.funcs");
_Static_assert(offsetof(uw_vmctx, type_ids) == 40, "uw_vmctx.type_ids");
_Static_assert(offsetof(uw_vmctx, data) == 48, "uw_vmctx.data");
_Static_assert(offsetof(uw_vmctx, elems) == 56, "uw_vmctx.elems");
_Static_assert(offsetof(uw_vmctx, module) == 64, "uw_vmctx.module");
_Static_assert(offsetof(uw_vmctx, host) == 72, "uw_vmctx.host");
_Static_assert(offsetof(uw_memory, base) == 0 && offsetof(uw_memory, size) == 8, "uw_memory");
_Static_assert(offsetof(uw_table, elems) == 0 && offsetof(uw_table, size) == 8, "uw_table");
_Static_assert(offsetof(uw_func, code) == 0 && offsetof(uw_func, ctx) == 8 && offsetof(uw_func, type_id) == 16,
               "uw_func");
_Static_assert(offsetof(uw_elem_inst, items) == 0 && sizeof(uw_elem_inst) == 16, "uw_elem_inst");
_Static_assert(sizeof(uw_value) == 16, "uw_value");

#endif
