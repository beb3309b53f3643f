package dev.uniwasm.wasm;

import static dev.uniwasm.wasm.Opcode.Constant.*;
import static dev.uniwasm.wasm.Opcode.Family.*;
import static dev.uniwasm.wasm.Opcode.Immediates.*;
import static dev.uniwasm.wasm.Proposal.*;

/**
 * Every instruction the compiler knows, one row each: Wasm 2.0 plus the tail-call proposal's
 * {@code return_call} and {@code return_call_indirect}. This table is the one place for an
 * instruction's facts; the decoder ({@link InstructionReader}), the validator
 * ({@code FunctionValidator}) and the LLVM lowering read them from here. A row gives:
 * <ul>
 *   <li>the encoding: the opcode byte, or the prefix byte (0xFC misc, 0xFD SIMD) and the u32
 *       sub-opcode that follows it;</li>
 *   <li>the text-format name (the constant is that name upper-cased with {@code .} and {@code /}
 *       turned into {@code _}; the typed {@code select} is {@link #SELECT_T});</li>
 *   <li>the {@link Family}: which lowering compiles the instruction;</li>
 *   <li>the {@link Immediates}: what follows the opcode and which reader fields hold it;</li>
 *   <li>the type signature as operand letters, a colon and the result letter ({@link ValType#letter}:
 *       i = i32, l = i64, f = f32, d = f64, v = v128, r = funcref), operands in push order, so the last
 *       is the top of the stack; {@code "special"} where the types depend on the module or the
 *       context (control, variables, calls, typed tables and references), which the validator
 *       types one by one;</li>
 *   <li>the access width in bytes of a load or store (0 for everything else): its natural
 *       alignment, and how much a load reads or a store writes;</li>
 *   <li>last, only on the rows it concerns: the {@link Proposal} that adds the instruction (the
 *       reader refuses it unless {@link Features} enable it), or whether the instruction may
 *       stand in a constant expression ({@link Constant}: always, or with extended-const), which
 *       the validator checks and the init function's code generator compiles.</li>
 * </ul>
 */
public enum Opcode {
    // One-byte instructions: control, parametric, variable, table, memory, numeric, reference.
    UNREACHABLE(0x00,                         "unreachable",                   CONTROL,         NONE,             "special", 0),
    NOP(0x01,                                 "nop",                           CONTROL,         NONE,             ":",       0),
    BLOCK(0x02,                               "block",                         CONTROL,         BLOCK_TYPE,       "special", 0),
    LOOP(0x03,                                "loop",                          CONTROL,         BLOCK_TYPE,       "special", 0),
    IF(0x04,                                  "if",                            CONTROL,         BLOCK_TYPE,       "special", 0),
    ELSE(0x05,                                "else",                          CONTROL,         NONE,             "special", 0),
    END(0x0B,                                 "end",                           CONTROL,         NONE,             "special", 0),
    BR(0x0C,                                  "br",                            CONTROL,         LABEL_DEPTH,      "special", 0),
    BR_IF(0x0D,                               "br_if",                         CONTROL,         LABEL_DEPTH,      "special", 0),
    BR_TABLE(0x0E,                            "br_table",                      CONTROL,         BR_TABLE_TARGETS, "special", 0),
    RETURN(0x0F,                              "return",                        CONTROL,         NONE,             "special", 0),
    CALL(0x10,                                "call",                          CONTROL,         FUNC_INDEX,       "special", 0),
    CALL_INDIRECT(0x11,                       "call_indirect",                 TABLE,           TYPE_AND_TABLE,   "special", 0),
    RETURN_CALL(0x12,                         "return_call",                   CONTROL,         FUNC_INDEX,       "special", 0, TAIL_CALL),
    RETURN_CALL_INDIRECT(0x13,                "return_call_indirect",          TABLE,           TYPE_AND_TABLE,   "special", 0, TAIL_CALL),
    DROP(0x1A,                                "drop",                          PARAMETRIC,      NONE,             "special", 0),
    SELECT(0x1B,                              "select",                        PARAMETRIC,      NONE,             "special", 0),
    SELECT_T(0x1C,                            "select",                        PARAMETRIC,      SELECT_TYPES,     "special", 0),
    LOCAL_GET(0x20,                           "local.get",                     VARIABLE,        LOCAL_INDEX,      "special", 0),
    LOCAL_SET(0x21,                           "local.set",                     VARIABLE,        LOCAL_INDEX,      "special", 0),
    LOCAL_TEE(0x22,                           "local.tee",                     VARIABLE,        LOCAL_INDEX,      "special", 0),
    GLOBAL_GET(0x23,                          "global.get",                    VARIABLE,        GLOBAL_INDEX,     "special", 0, CONSTANT),
    GLOBAL_SET(0x24,                          "global.set",                    VARIABLE,        GLOBAL_INDEX,     "special", 0),
    TABLE_GET(0x25,                           "table.get",                     TABLE,           TABLE_INDEX,      "special", 0),
    TABLE_SET(0x26,                           "table.set",                     TABLE,           TABLE_INDEX,      "special", 0),
    I32_LOAD(0x28,                            "i32.load",                      MEMORY,          MEMARG,           "i:i",     4),
    I64_LOAD(0x29,                            "i64.load",                      MEMORY,          MEMARG,           "i:l",     8),
    F32_LOAD(0x2A,                            "f32.load",                      MEMORY,          MEMARG,           "i:f",     4),
    F64_LOAD(0x2B,                            "f64.load",                      MEMORY,          MEMARG,           "i:d",     8),
    I32_LOAD8_S(0x2C,                         "i32.load8_s",                   MEMORY,          MEMARG,           "i:i",     1),
    I32_LOAD8_U(0x2D,                         "i32.load8_u",                   MEMORY,          MEMARG,           "i:i",     1),
    I32_LOAD16_S(0x2E,                        "i32.load16_s",                  MEMORY,          MEMARG,           "i:i",     2),
    I32_LOAD16_U(0x2F,                        "i32.load16_u",                  MEMORY,          MEMARG,           "i:i",     2),
    I64_LOAD8_S(0x30,                         "i64.load8_s",                   MEMORY,          MEMARG,           "i:l",     1),
    I64_LOAD8_U(0x31,                         "i64.load8_u",                   MEMORY,          MEMARG,           "i:l",     1),
    I64_LOAD16_S(0x32,                        "i64.load16_s",                  MEMORY,          MEMARG,           "i:l",     2),
    I64_LOAD16_U(0x33,                        "i64.load16_u",                  MEMORY,          MEMARG,           "i:l",     2),
    I64_LOAD32_S(0x34,                        "i64.load32_s",                  MEMORY,          MEMARG,           "i:l",     4),
    I64_LOAD32_U(0x35,                        "i64.load32_u",                  MEMORY,          MEMARG,           "i:l",     4),
    I32_STORE(0x36,                           "i32.store",                     MEMORY,          MEMARG,           "ii:",     4),
    I64_STORE(0x37,                           "i64.store",                     MEMORY,          MEMARG,           "il:",     8),
    F32_STORE(0x38,                           "f32.store",                     MEMORY,          MEMARG,           "if:",     4),
    F64_STORE(0x39,                           "f64.store",                     MEMORY,          MEMARG,           "id:",     8),
    I32_STORE8(0x3A,                          "i32.store8",                    MEMORY,          MEMARG,           "ii:",     1),
    I32_STORE16(0x3B,                         "i32.store16",                   MEMORY,          MEMARG,           "ii:",     2),
    I64_STORE8(0x3C,                          "i64.store8",                    MEMORY,          MEMARG,           "il:",     1),
    I64_STORE16(0x3D,                         "i64.store16",                   MEMORY,          MEMARG,           "il:",     2),
    I64_STORE32(0x3E,                         "i64.store32",                   MEMORY,          MEMARG,           "il:",     4),
    MEMORY_SIZE(0x3F,                         "memory.size",                   MEMORY,          MEMORY_INDEX,     ":i",      0),
    MEMORY_GROW(0x40,                         "memory.grow",                   MEMORY,          MEMORY_INDEX,     "i:i",     0),
    I32_CONST(0x41,                           "i32.const",                     NUMERIC,         CONST_I32,        ":i",      0, CONSTANT),
    I64_CONST(0x42,                           "i64.const",                     NUMERIC,         CONST_I64,        ":l",      0, CONSTANT),
    F32_CONST(0x43,                           "f32.const",                     NUMERIC,         CONST_F32,        ":f",      0, CONSTANT),
    F64_CONST(0x44,                           "f64.const",                     NUMERIC,         CONST_F64,        ":d",      0, CONSTANT),
    I32_EQZ(0x45,                             "i32.eqz",                       NUMERIC,         NONE,             "i:i",     0),
    I32_EQ(0x46,                              "i32.eq",                        NUMERIC,         NONE,             "ii:i",    0),
    I32_NE(0x47,                              "i32.ne",                        NUMERIC,         NONE,             "ii:i",    0),
    I32_LT_S(0x48,                            "i32.lt_s",                      NUMERIC,         NONE,             "ii:i",    0),
    I32_LT_U(0x49,                            "i32.lt_u",                      NUMERIC,         NONE,             "ii:i",    0),
    I32_GT_S(0x4A,                            "i32.gt_s",                      NUMERIC,         NONE,             "ii:i",    0),
    I32_GT_U(0x4B,                            "i32.gt_u",                      NUMERIC,         NONE,             "ii:i",    0),
    I32_LE_S(0x4C,                            "i32.le_s",                      NUMERIC,         NONE,             "ii:i",    0),
    I32_LE_U(0x4D,                            "i32.le_u",                      NUMERIC,         NONE,             "ii:i",    0),
    I32_GE_S(0x4E,                            "i32.ge_s",                      NUMERIC,         NONE,             "ii:i",    0),
    I32_GE_U(0x4F,                            "i32.ge_u",                      NUMERIC,         NONE,             "ii:i",    0),
    I64_EQZ(0x50,                             "i64.eqz",                       NUMERIC,         NONE,             "l:i",     0),
    I64_EQ(0x51,                              "i64.eq",                        NUMERIC,         NONE,             "ll:i",    0),
    I64_NE(0x52,                              "i64.ne",                        NUMERIC,         NONE,             "ll:i",    0),
    I64_LT_S(0x53,                            "i64.lt_s",                      NUMERIC,         NONE,             "ll:i",    0),
    I64_LT_U(0x54,                            "i64.lt_u",                      NUMERIC,         NONE,             "ll:i",    0),
    I64_GT_S(0x55,                            "i64.gt_s",                      NUMERIC,         NONE,             "ll:i",    0),
    I64_GT_U(0x56,                            "i64.gt_u",                      NUMERIC,         NONE,             "ll:i",    0),
    I64_LE_S(0x57,                            "i64.le_s",                      NUMERIC,         NONE,             "ll:i",    0),
    I64_LE_U(0x58,                            "i64.le_u",                      NUMERIC,         NONE,             "ll:i",    0),
    I64_GE_S(0x59,                            "i64.ge_s",                      NUMERIC,         NONE,             "ll:i",    0),
    I64_GE_U(0x5A,                            "i64.ge_u",                      NUMERIC,         NONE,             "ll:i",    0),
    F32_EQ(0x5B,                              "f32.eq",                        NUMERIC,         NONE,             "ff:i",    0),
    F32_NE(0x5C,                              "f32.ne",                        NUMERIC,         NONE,             "ff:i",    0),
    F32_LT(0x5D,                              "f32.lt",                        NUMERIC,         NONE,             "ff:i",    0),
    F32_GT(0x5E,                              "f32.gt",                        NUMERIC,         NONE,             "ff:i",    0),
    F32_LE(0x5F,                              "f32.le",                        NUMERIC,         NONE,             "ff:i",    0),
    F32_GE(0x60,                              "f32.ge",                        NUMERIC,         NONE,             "ff:i",    0),
    F64_EQ(0x61,                              "f64.eq",                        NUMERIC,         NONE,             "dd:i",    0),
    F64_NE(0x62,                              "f64.ne",                        NUMERIC,         NONE,             "dd:i",    0),
    F64_LT(0x63,                              "f64.lt",                        NUMERIC,         NONE,             "dd:i",    0),
    F64_GT(0x64,                              "f64.gt",                        NUMERIC,         NONE,             "dd:i",    0),
    F64_LE(0x65,                              "f64.le",                        NUMERIC,         NONE,             "dd:i",    0),
    F64_GE(0x66,                              "f64.ge",                        NUMERIC,         NONE,             "dd:i",    0),
    I32_CLZ(0x67,                             "i32.clz",                       NUMERIC,         NONE,             "i:i",     0),
    I32_CTZ(0x68,                             "i32.ctz",                       NUMERIC,         NONE,             "i:i",     0),
    I32_POPCNT(0x69,                          "i32.popcnt",                    NUMERIC,         NONE,             "i:i",     0),
    I32_ADD(0x6A,                             "i32.add",                       NUMERIC,         NONE,             "ii:i",    0, EXTENDED_CONSTANT),
    I32_SUB(0x6B,                             "i32.sub",                       NUMERIC,         NONE,             "ii:i",    0, EXTENDED_CONSTANT),
    I32_MUL(0x6C,                             "i32.mul",                       NUMERIC,         NONE,             "ii:i",    0, EXTENDED_CONSTANT),
    I32_DIV_S(0x6D,                           "i32.div_s",                     NUMERIC,         NONE,             "ii:i",    0),
    I32_DIV_U(0x6E,                           "i32.div_u",                     NUMERIC,         NONE,             "ii:i",    0),
    I32_REM_S(0x6F,                           "i32.rem_s",                     NUMERIC,         NONE,             "ii:i",    0),
    I32_REM_U(0x70,                           "i32.rem_u",                     NUMERIC,         NONE,             "ii:i",    0),
    I32_AND(0x71,                             "i32.and",                       NUMERIC,         NONE,             "ii:i",    0),
    I32_OR(0x72,                              "i32.or",                        NUMERIC,         NONE,             "ii:i",    0),
    I32_XOR(0x73,                             "i32.xor",                       NUMERIC,         NONE,             "ii:i",    0),
    I32_SHL(0x74,                             "i32.shl",                       NUMERIC,         NONE,             "ii:i",    0),
    I32_SHR_S(0x75,                           "i32.shr_s",                     NUMERIC,         NONE,             "ii:i",    0),
    I32_SHR_U(0x76,                           "i32.shr_u",                     NUMERIC,         NONE,             "ii:i",    0),
    I32_ROTL(0x77,                            "i32.rotl",                      NUMERIC,         NONE,             "ii:i",    0),
    I32_ROTR(0x78,                            "i32.rotr",                      NUMERIC,         NONE,             "ii:i",    0),
    I64_CLZ(0x79,                             "i64.clz",                       NUMERIC,         NONE,             "l:l",     0),
    I64_CTZ(0x7A,                             "i64.ctz",                       NUMERIC,         NONE,             "l:l",     0),
    I64_POPCNT(0x7B,                          "i64.popcnt",                    NUMERIC,         NONE,             "l:l",     0),
    I64_ADD(0x7C,                             "i64.add",                       NUMERIC,         NONE,             "ll:l",    0, EXTENDED_CONSTANT),
    I64_SUB(0x7D,                             "i64.sub",                       NUMERIC,         NONE,             "ll:l",    0, EXTENDED_CONSTANT),
    I64_MUL(0x7E,                             "i64.mul",                       NUMERIC,         NONE,             "ll:l",    0, EXTENDED_CONSTANT),
    I64_DIV_S(0x7F,                           "i64.div_s",                     NUMERIC,         NONE,             "ll:l",    0),
    I64_DIV_U(0x80,                           "i64.div_u",                     NUMERIC,         NONE,             "ll:l",    0),
    I64_REM_S(0x81,                           "i64.rem_s",                     NUMERIC,         NONE,             "ll:l",    0),
    I64_REM_U(0x82,                           "i64.rem_u",                     NUMERIC,         NONE,             "ll:l",    0),
    I64_AND(0x83,                             "i64.and",                       NUMERIC,         NONE,             "ll:l",    0),
    I64_OR(0x84,                              "i64.or",                        NUMERIC,         NONE,             "ll:l",    0),
    I64_XOR(0x85,                             "i64.xor",                       NUMERIC,         NONE,             "ll:l",    0),
    I64_SHL(0x86,                             "i64.shl",                       NUMERIC,         NONE,             "ll:l",    0),
    I64_SHR_S(0x87,                           "i64.shr_s",                     NUMERIC,         NONE,             "ll:l",    0),
    I64_SHR_U(0x88,                           "i64.shr_u",                     NUMERIC,         NONE,             "ll:l",    0),
    I64_ROTL(0x89,                            "i64.rotl",                      NUMERIC,         NONE,             "ll:l",    0),
    I64_ROTR(0x8A,                            "i64.rotr",                      NUMERIC,         NONE,             "ll:l",    0),
    F32_ABS(0x8B,                             "f32.abs",                       NUMERIC,         NONE,             "f:f",     0),
    F32_NEG(0x8C,                             "f32.neg",                       NUMERIC,         NONE,             "f:f",     0),
    F32_CEIL(0x8D,                            "f32.ceil",                      NUMERIC,         NONE,             "f:f",     0),
    F32_FLOOR(0x8E,                           "f32.floor",                     NUMERIC,         NONE,             "f:f",     0),
    F32_TRUNC(0x8F,                           "f32.trunc",                     NUMERIC,         NONE,             "f:f",     0),
    F32_NEAREST(0x90,                         "f32.nearest",                   NUMERIC,         NONE,             "f:f",     0),
    F32_SQRT(0x91,                            "f32.sqrt",                      NUMERIC,         NONE,             "f:f",     0),
    F32_ADD(0x92,                             "f32.add",                       NUMERIC,         NONE,             "ff:f",    0),
    F32_SUB(0x93,                             "f32.sub",                       NUMERIC,         NONE,             "ff:f",    0),
    F32_MUL(0x94,                             "f32.mul",                       NUMERIC,         NONE,             "ff:f",    0),
    F32_DIV(0x95,                             "f32.div",                       NUMERIC,         NONE,             "ff:f",    0),
    F32_MIN(0x96,                             "f32.min",                       NUMERIC,         NONE,             "ff:f",    0),
    F32_MAX(0x97,                             "f32.max",                       NUMERIC,         NONE,             "ff:f",    0),
    F32_COPYSIGN(0x98,                        "f32.copysign",                  NUMERIC,         NONE,             "ff:f",    0),
    F64_ABS(0x99,                             "f64.abs",                       NUMERIC,         NONE,             "d:d",     0),
    F64_NEG(0x9A,                             "f64.neg",                       NUMERIC,         NONE,             "d:d",     0),
    F64_CEIL(0x9B,                            "f64.ceil",                      NUMERIC,         NONE,             "d:d",     0),
    F64_FLOOR(0x9C,                           "f64.floor",                     NUMERIC,         NONE,             "d:d",     0),
    F64_TRUNC(0x9D,                           "f64.trunc",                     NUMERIC,         NONE,             "d:d",     0),
    F64_NEAREST(0x9E,                         "f64.nearest",                   NUMERIC,         NONE,             "d:d",     0),
    F64_SQRT(0x9F,                            "f64.sqrt",                      NUMERIC,         NONE,             "d:d",     0),
    F64_ADD(0xA0,                             "f64.add",                       NUMERIC,         NONE,             "dd:d",    0),
    F64_SUB(0xA1,                             "f64.sub",                       NUMERIC,         NONE,             "dd:d",    0),
    F64_MUL(0xA2,                             "f64.mul",                       NUMERIC,         NONE,             "dd:d",    0),
    F64_DIV(0xA3,                             "f64.div",                       NUMERIC,         NONE,             "dd:d",    0),
    F64_MIN(0xA4,                             "f64.min",                       NUMERIC,         NONE,             "dd:d",    0),
    F64_MAX(0xA5,                             "f64.max",                       NUMERIC,         NONE,             "dd:d",    0),
    F64_COPYSIGN(0xA6,                        "f64.copysign",                  NUMERIC,         NONE,             "dd:d",    0),
    I32_WRAP_I64(0xA7,                        "i32.wrap_i64",                  NUMERIC,         NONE,             "l:i",     0),
    I32_TRUNC_F32_S(0xA8,                     "i32.trunc_f32_s",               NUMERIC,         NONE,             "f:i",     0),
    I32_TRUNC_F32_U(0xA9,                     "i32.trunc_f32_u",               NUMERIC,         NONE,             "f:i",     0),
    I32_TRUNC_F64_S(0xAA,                     "i32.trunc_f64_s",               NUMERIC,         NONE,             "d:i",     0),
    I32_TRUNC_F64_U(0xAB,                     "i32.trunc_f64_u",               NUMERIC,         NONE,             "d:i",     0),
    I64_EXTEND_I32_S(0xAC,                    "i64.extend_i32_s",              NUMERIC,         NONE,             "i:l",     0),
    I64_EXTEND_I32_U(0xAD,                    "i64.extend_i32_u",              NUMERIC,         NONE,             "i:l",     0),
    I64_TRUNC_F32_S(0xAE,                     "i64.trunc_f32_s",               NUMERIC,         NONE,             "f:l",     0),
    I64_TRUNC_F32_U(0xAF,                     "i64.trunc_f32_u",               NUMERIC,         NONE,             "f:l",     0),
    I64_TRUNC_F64_S(0xB0,                     "i64.trunc_f64_s",               NUMERIC,         NONE,             "d:l",     0),
    I64_TRUNC_F64_U(0xB1,                     "i64.trunc_f64_u",               NUMERIC,         NONE,             "d:l",     0),
    F32_CONVERT_I32_S(0xB2,                   "f32.convert_i32_s",             NUMERIC,         NONE,             "i:f",     0),
    F32_CONVERT_I32_U(0xB3,                   "f32.convert_i32_u",             NUMERIC,         NONE,             "i:f",     0),
    F32_CONVERT_I64_S(0xB4,                   "f32.convert_i64_s",             NUMERIC,         NONE,             "l:f",     0),
    F32_CONVERT_I64_U(0xB5,                   "f32.convert_i64_u",             NUMERIC,         NONE,             "l:f",     0),
    F32_DEMOTE_F64(0xB6,                      "f32.demote_f64",                NUMERIC,         NONE,             "d:f",     0),
    F64_CONVERT_I32_S(0xB7,                   "f64.convert_i32_s",             NUMERIC,         NONE,             "i:d",     0),
    F64_CONVERT_I32_U(0xB8,                   "f64.convert_i32_u",             NUMERIC,         NONE,             "i:d",     0),
    F64_CONVERT_I64_S(0xB9,                   "f64.convert_i64_s",             NUMERIC,         NONE,             "l:d",     0),
    F64_CONVERT_I64_U(0xBA,                   "f64.convert_i64_u",             NUMERIC,         NONE,             "l:d",     0),
    F64_PROMOTE_F32(0xBB,                     "f64.promote_f32",               NUMERIC,         NONE,             "f:d",     0),
    I32_REINTERPRET_F32(0xBC,                 "i32.reinterpret_f32",           NUMERIC,         NONE,             "f:i",     0),
    I64_REINTERPRET_F64(0xBD,                 "i64.reinterpret_f64",           NUMERIC,         NONE,             "d:l",     0),
    F32_REINTERPRET_I32(0xBE,                 "f32.reinterpret_i32",           NUMERIC,         NONE,             "i:f",     0),
    F64_REINTERPRET_I64(0xBF,                 "f64.reinterpret_i64",           NUMERIC,         NONE,             "l:d",     0),
    I32_EXTEND8_S(0xC0,                       "i32.extend8_s",                 NUMERIC,         NONE,             "i:i",     0),
    I32_EXTEND16_S(0xC1,                      "i32.extend16_s",                NUMERIC,         NONE,             "i:i",     0),
    I64_EXTEND8_S(0xC2,                       "i64.extend8_s",                 NUMERIC,         NONE,             "l:l",     0),
    I64_EXTEND16_S(0xC3,                      "i64.extend16_s",                NUMERIC,         NONE,             "l:l",     0),
    I64_EXTEND32_S(0xC4,                      "i64.extend32_s",                NUMERIC,         NONE,             "l:l",     0),
    REF_NULL(0xD0,                            "ref.null",                      TABLE,           REF_TYPE,         "special", 0, CONSTANT),
    REF_IS_NULL(0xD1,                         "ref.is_null",                   TABLE,           NONE,             "special", 0),
    REF_FUNC(0xD2,                            "ref.func",                      TABLE,           FUNC_INDEX,       ":r",      0, CONSTANT),

    // 0xFC prefix: saturating float-to-int conversions, bulk memory and table instructions.
    I32_TRUNC_SAT_F32_S(0xFC, 0x00,           "i32.trunc_sat_f32_s",           NUMERIC,         NONE,             "f:i",     0),
    I32_TRUNC_SAT_F32_U(0xFC, 0x01,           "i32.trunc_sat_f32_u",           NUMERIC,         NONE,             "f:i",     0),
    I32_TRUNC_SAT_F64_S(0xFC, 0x02,           "i32.trunc_sat_f64_s",           NUMERIC,         NONE,             "d:i",     0),
    I32_TRUNC_SAT_F64_U(0xFC, 0x03,           "i32.trunc_sat_f64_u",           NUMERIC,         NONE,             "d:i",     0),
    I64_TRUNC_SAT_F32_S(0xFC, 0x04,           "i64.trunc_sat_f32_s",           NUMERIC,         NONE,             "f:l",     0),
    I64_TRUNC_SAT_F32_U(0xFC, 0x05,           "i64.trunc_sat_f32_u",           NUMERIC,         NONE,             "f:l",     0),
    I64_TRUNC_SAT_F64_S(0xFC, 0x06,           "i64.trunc_sat_f64_s",           NUMERIC,         NONE,             "d:l",     0),
    I64_TRUNC_SAT_F64_U(0xFC, 0x07,           "i64.trunc_sat_f64_u",           NUMERIC,         NONE,             "d:l",     0),
    MEMORY_INIT(0xFC, 0x08,                   "memory.init",                   MEMORY,          DATA_AND_MEMORY,  "iii:",    0),
    DATA_DROP(0xFC, 0x09,                     "data.drop",                     MEMORY,          DATA_INDEX,       ":",       0),
    MEMORY_COPY(0xFC, 0x0A,                   "memory.copy",                   MEMORY,          DST_SRC_MEMORY,   "iii:",    0),
    MEMORY_FILL(0xFC, 0x0B,                   "memory.fill",                   MEMORY,          MEMORY_INDEX,     "iii:",    0),
    TABLE_INIT(0xFC, 0x0C,                    "table.init",                    TABLE,           ELEM_AND_TABLE,   "iii:",    0),
    ELEM_DROP(0xFC, 0x0D,                     "elem.drop",                     TABLE,           ELEM_INDEX,       ":",       0),
    TABLE_COPY(0xFC, 0x0E,                    "table.copy",                    TABLE,           DST_SRC_TABLE,    "iii:",    0),
    TABLE_GROW(0xFC, 0x0F,                    "table.grow",                    TABLE,           TABLE_INDEX,      "special", 0),
    TABLE_SIZE(0xFC, 0x10,                    "table.size",                    TABLE,           TABLE_INDEX,      ":i",      0),
    TABLE_FILL(0xFC, 0x11,                    "table.fill",                    TABLE,           TABLE_INDEX,      "special", 0),

    // 0xFD prefix: 128-bit SIMD. The sub-opcode space has holes (e.g. 0x9A, 0xA2).
    V128_LOAD(0xFD, 0x00,                     "v128.load",                     SIMD_MEMORY,     MEMARG,           "i:v",     16),
    V128_LOAD8X8_S(0xFD, 0x01,                "v128.load8x8_s",                SIMD_MEMORY,     MEMARG,           "i:v",     8),
    V128_LOAD8X8_U(0xFD, 0x02,                "v128.load8x8_u",                SIMD_MEMORY,     MEMARG,           "i:v",     8),
    V128_LOAD16X4_S(0xFD, 0x03,               "v128.load16x4_s",               SIMD_MEMORY,     MEMARG,           "i:v",     8),
    V128_LOAD16X4_U(0xFD, 0x04,               "v128.load16x4_u",               SIMD_MEMORY,     MEMARG,           "i:v",     8),
    V128_LOAD32X2_S(0xFD, 0x05,               "v128.load32x2_s",               SIMD_MEMORY,     MEMARG,           "i:v",     8),
    V128_LOAD32X2_U(0xFD, 0x06,               "v128.load32x2_u",               SIMD_MEMORY,     MEMARG,           "i:v",     8),
    V128_LOAD8_SPLAT(0xFD, 0x07,              "v128.load8_splat",              SIMD_MEMORY,     MEMARG,           "i:v",     1),
    V128_LOAD16_SPLAT(0xFD, 0x08,             "v128.load16_splat",             SIMD_MEMORY,     MEMARG,           "i:v",     2),
    V128_LOAD32_SPLAT(0xFD, 0x09,             "v128.load32_splat",             SIMD_MEMORY,     MEMARG,           "i:v",     4),
    V128_LOAD64_SPLAT(0xFD, 0x0A,             "v128.load64_splat",             SIMD_MEMORY,     MEMARG,           "i:v",     8),
    V128_STORE(0xFD, 0x0B,                    "v128.store",                    SIMD_MEMORY,     MEMARG,           "iv:",     16),
    V128_CONST(0xFD, 0x0C,                    "v128.const",                    SIMD_LANE,       CONST_V128,       ":v",      0, CONSTANT),
    I8X16_SHUFFLE(0xFD, 0x0D,                 "i8x16.shuffle",                 SIMD_LANE,       SHUFFLE_LANES,    "vv:v",    0),
    I8X16_SWIZZLE(0xFD, 0x0E,                 "i8x16.swizzle",                 SIMD_LANE,       NONE,             "vv:v",    0),
    I8X16_SPLAT(0xFD, 0x0F,                   "i8x16.splat",                   SIMD_LANE,       NONE,             "i:v",     0),
    I16X8_SPLAT(0xFD, 0x10,                   "i16x8.splat",                   SIMD_LANE,       NONE,             "i:v",     0),
    I32X4_SPLAT(0xFD, 0x11,                   "i32x4.splat",                   SIMD_LANE,       NONE,             "i:v",     0),
    I64X2_SPLAT(0xFD, 0x12,                   "i64x2.splat",                   SIMD_LANE,       NONE,             "l:v",     0),
    F32X4_SPLAT(0xFD, 0x13,                   "f32x4.splat",                   SIMD_LANE,       NONE,             "f:v",     0),
    F64X2_SPLAT(0xFD, 0x14,                   "f64x2.splat",                   SIMD_LANE,       NONE,             "d:v",     0),
    I8X16_EXTRACT_LANE_S(0xFD, 0x15,          "i8x16.extract_lane_s",          SIMD_LANE,       LANE_INDEX,       "v:i",     0),
    I8X16_EXTRACT_LANE_U(0xFD, 0x16,          "i8x16.extract_lane_u",          SIMD_LANE,       LANE_INDEX,       "v:i",     0),
    I8X16_REPLACE_LANE(0xFD, 0x17,            "i8x16.replace_lane",            SIMD_LANE,       LANE_INDEX,       "vi:v",    0),
    I16X8_EXTRACT_LANE_S(0xFD, 0x18,          "i16x8.extract_lane_s",          SIMD_LANE,       LANE_INDEX,       "v:i",     0),
    I16X8_EXTRACT_LANE_U(0xFD, 0x19,          "i16x8.extract_lane_u",          SIMD_LANE,       LANE_INDEX,       "v:i",     0),
    I16X8_REPLACE_LANE(0xFD, 0x1A,            "i16x8.replace_lane",            SIMD_LANE,       LANE_INDEX,       "vi:v",    0),
    I32X4_EXTRACT_LANE(0xFD, 0x1B,            "i32x4.extract_lane",            SIMD_LANE,       LANE_INDEX,       "v:i",     0),
    I32X4_REPLACE_LANE(0xFD, 0x1C,            "i32x4.replace_lane",            SIMD_LANE,       LANE_INDEX,       "vi:v",    0),
    I64X2_EXTRACT_LANE(0xFD, 0x1D,            "i64x2.extract_lane",            SIMD_LANE,       LANE_INDEX,       "v:l",     0),
    I64X2_REPLACE_LANE(0xFD, 0x1E,            "i64x2.replace_lane",            SIMD_LANE,       LANE_INDEX,       "vl:v",    0),
    F32X4_EXTRACT_LANE(0xFD, 0x1F,            "f32x4.extract_lane",            SIMD_LANE,       LANE_INDEX,       "v:f",     0),
    F32X4_REPLACE_LANE(0xFD, 0x20,            "f32x4.replace_lane",            SIMD_LANE,       LANE_INDEX,       "vf:v",    0),
    F64X2_EXTRACT_LANE(0xFD, 0x21,            "f64x2.extract_lane",            SIMD_LANE,       LANE_INDEX,       "v:d",     0),
    F64X2_REPLACE_LANE(0xFD, 0x22,            "f64x2.replace_lane",            SIMD_LANE,       LANE_INDEX,       "vd:v",    0),
    I8X16_EQ(0xFD, 0x23,                      "i8x16.eq",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_NE(0xFD, 0x24,                      "i8x16.ne",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_LT_S(0xFD, 0x25,                    "i8x16.lt_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_LT_U(0xFD, 0x26,                    "i8x16.lt_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_GT_S(0xFD, 0x27,                    "i8x16.gt_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_GT_U(0xFD, 0x28,                    "i8x16.gt_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_LE_S(0xFD, 0x29,                    "i8x16.le_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_LE_U(0xFD, 0x2A,                    "i8x16.le_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_GE_S(0xFD, 0x2B,                    "i8x16.ge_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_GE_U(0xFD, 0x2C,                    "i8x16.ge_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_EQ(0xFD, 0x2D,                      "i16x8.eq",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_NE(0xFD, 0x2E,                      "i16x8.ne",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_LT_S(0xFD, 0x2F,                    "i16x8.lt_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_LT_U(0xFD, 0x30,                    "i16x8.lt_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_GT_S(0xFD, 0x31,                    "i16x8.gt_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_GT_U(0xFD, 0x32,                    "i16x8.gt_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_LE_S(0xFD, 0x33,                    "i16x8.le_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_LE_U(0xFD, 0x34,                    "i16x8.le_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_GE_S(0xFD, 0x35,                    "i16x8.ge_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_GE_U(0xFD, 0x36,                    "i16x8.ge_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_EQ(0xFD, 0x37,                      "i32x4.eq",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_NE(0xFD, 0x38,                      "i32x4.ne",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_LT_S(0xFD, 0x39,                    "i32x4.lt_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_LT_U(0xFD, 0x3A,                    "i32x4.lt_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_GT_S(0xFD, 0x3B,                    "i32x4.gt_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_GT_U(0xFD, 0x3C,                    "i32x4.gt_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_LE_S(0xFD, 0x3D,                    "i32x4.le_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_LE_U(0xFD, 0x3E,                    "i32x4.le_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_GE_S(0xFD, 0x3F,                    "i32x4.ge_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_GE_U(0xFD, 0x40,                    "i32x4.ge_u",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    F32X4_EQ(0xFD, 0x41,                      "f32x4.eq",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_NE(0xFD, 0x42,                      "f32x4.ne",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_LT(0xFD, 0x43,                      "f32x4.lt",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_GT(0xFD, 0x44,                      "f32x4.gt",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_LE(0xFD, 0x45,                      "f32x4.le",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_GE(0xFD, 0x46,                      "f32x4.ge",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_EQ(0xFD, 0x47,                      "f64x2.eq",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_NE(0xFD, 0x48,                      "f64x2.ne",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_LT(0xFD, 0x49,                      "f64x2.lt",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_GT(0xFD, 0x4A,                      "f64x2.gt",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_LE(0xFD, 0x4B,                      "f64x2.le",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_GE(0xFD, 0x4C,                      "f64x2.ge",                      SIMD_FLOAT,      NONE,             "vv:v",    0),
    V128_NOT(0xFD, 0x4D,                      "v128.not",                      SIMD_INTEGER,    NONE,             "v:v",     0),
    V128_AND(0xFD, 0x4E,                      "v128.and",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    V128_ANDNOT(0xFD, 0x4F,                   "v128.andnot",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    V128_OR(0xFD, 0x50,                       "v128.or",                       SIMD_INTEGER,    NONE,             "vv:v",    0),
    V128_XOR(0xFD, 0x51,                      "v128.xor",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    V128_BITSELECT(0xFD, 0x52,                "v128.bitselect",                SIMD_INTEGER,    NONE,             "vvv:v",   0),
    V128_ANY_TRUE(0xFD, 0x53,                 "v128.any_true",                 SIMD_INTEGER,    NONE,             "v:i",     0),
    V128_LOAD8_LANE(0xFD, 0x54,               "v128.load8_lane",               SIMD_MEMORY,     MEMARG_AND_LANE,  "iv:v",    1),
    V128_LOAD16_LANE(0xFD, 0x55,              "v128.load16_lane",              SIMD_MEMORY,     MEMARG_AND_LANE,  "iv:v",    2),
    V128_LOAD32_LANE(0xFD, 0x56,              "v128.load32_lane",              SIMD_MEMORY,     MEMARG_AND_LANE,  "iv:v",    4),
    V128_LOAD64_LANE(0xFD, 0x57,              "v128.load64_lane",              SIMD_MEMORY,     MEMARG_AND_LANE,  "iv:v",    8),
    V128_STORE8_LANE(0xFD, 0x58,              "v128.store8_lane",              SIMD_MEMORY,     MEMARG_AND_LANE,  "iv:",     1),
    V128_STORE16_LANE(0xFD, 0x59,             "v128.store16_lane",             SIMD_MEMORY,     MEMARG_AND_LANE,  "iv:",     2),
    V128_STORE32_LANE(0xFD, 0x5A,             "v128.store32_lane",             SIMD_MEMORY,     MEMARG_AND_LANE,  "iv:",     4),
    V128_STORE64_LANE(0xFD, 0x5B,             "v128.store64_lane",             SIMD_MEMORY,     MEMARG_AND_LANE,  "iv:",     8),
    V128_LOAD32_ZERO(0xFD, 0x5C,              "v128.load32_zero",              SIMD_MEMORY,     MEMARG,           "i:v",     4),
    V128_LOAD64_ZERO(0xFD, 0x5D,              "v128.load64_zero",              SIMD_MEMORY,     MEMARG,           "i:v",     8),
    F32X4_DEMOTE_F64X2_ZERO(0xFD, 0x5E,       "f32x4.demote_f64x2_zero",       SIMD_CONVERSION, NONE,             "v:v",     0),
    F64X2_PROMOTE_LOW_F32X4(0xFD, 0x5F,       "f64x2.promote_low_f32x4",       SIMD_CONVERSION, NONE,             "v:v",     0),
    I8X16_ABS(0xFD, 0x60,                     "i8x16.abs",                     SIMD_INTEGER,    NONE,             "v:v",     0),
    I8X16_NEG(0xFD, 0x61,                     "i8x16.neg",                     SIMD_INTEGER,    NONE,             "v:v",     0),
    I8X16_POPCNT(0xFD, 0x62,                  "i8x16.popcnt",                  SIMD_INTEGER,    NONE,             "v:v",     0),
    I8X16_ALL_TRUE(0xFD, 0x63,                "i8x16.all_true",                SIMD_INTEGER,    NONE,             "v:i",     0),
    I8X16_BITMASK(0xFD, 0x64,                 "i8x16.bitmask",                 SIMD_INTEGER,    NONE,             "v:i",     0),
    I8X16_NARROW_I16X8_S(0xFD, 0x65,          "i8x16.narrow_i16x8_s",          SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_NARROW_I16X8_U(0xFD, 0x66,          "i8x16.narrow_i16x8_u",          SIMD_INTEGER,    NONE,             "vv:v",    0),
    F32X4_CEIL(0xFD, 0x67,                    "f32x4.ceil",                    SIMD_FLOAT,      NONE,             "v:v",     0),
    F32X4_FLOOR(0xFD, 0x68,                   "f32x4.floor",                   SIMD_FLOAT,      NONE,             "v:v",     0),
    F32X4_TRUNC(0xFD, 0x69,                   "f32x4.trunc",                   SIMD_FLOAT,      NONE,             "v:v",     0),
    F32X4_NEAREST(0xFD, 0x6A,                 "f32x4.nearest",                 SIMD_FLOAT,      NONE,             "v:v",     0),
    I8X16_SHL(0xFD, 0x6B,                     "i8x16.shl",                     SIMD_INTEGER,    NONE,             "vi:v",    0),
    I8X16_SHR_S(0xFD, 0x6C,                   "i8x16.shr_s",                   SIMD_INTEGER,    NONE,             "vi:v",    0),
    I8X16_SHR_U(0xFD, 0x6D,                   "i8x16.shr_u",                   SIMD_INTEGER,    NONE,             "vi:v",    0),
    I8X16_ADD(0xFD, 0x6E,                     "i8x16.add",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_ADD_SAT_S(0xFD, 0x6F,               "i8x16.add_sat_s",               SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_ADD_SAT_U(0xFD, 0x70,               "i8x16.add_sat_u",               SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_SUB(0xFD, 0x71,                     "i8x16.sub",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_SUB_SAT_S(0xFD, 0x72,               "i8x16.sub_sat_s",               SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_SUB_SAT_U(0xFD, 0x73,               "i8x16.sub_sat_u",               SIMD_INTEGER,    NONE,             "vv:v",    0),
    F64X2_CEIL(0xFD, 0x74,                    "f64x2.ceil",                    SIMD_FLOAT,      NONE,             "v:v",     0),
    F64X2_FLOOR(0xFD, 0x75,                   "f64x2.floor",                   SIMD_FLOAT,      NONE,             "v:v",     0),
    I8X16_MIN_S(0xFD, 0x76,                   "i8x16.min_s",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_MIN_U(0xFD, 0x77,                   "i8x16.min_u",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_MAX_S(0xFD, 0x78,                   "i8x16.max_s",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I8X16_MAX_U(0xFD, 0x79,                   "i8x16.max_u",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    F64X2_TRUNC(0xFD, 0x7A,                   "f64x2.trunc",                   SIMD_FLOAT,      NONE,             "v:v",     0),
    I8X16_AVGR_U(0xFD, 0x7B,                  "i8x16.avgr_u",                  SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_EXTADD_PAIRWISE_I8X16_S(0xFD, 0x7C, "i16x8.extadd_pairwise_i8x16_s", SIMD_INTEGER,    NONE,             "v:v",     0),
    I16X8_EXTADD_PAIRWISE_I8X16_U(0xFD, 0x7D, "i16x8.extadd_pairwise_i8x16_u", SIMD_INTEGER,    NONE,             "v:v",     0),
    I32X4_EXTADD_PAIRWISE_I16X8_S(0xFD, 0x7E, "i32x4.extadd_pairwise_i16x8_s", SIMD_INTEGER,    NONE,             "v:v",     0),
    I32X4_EXTADD_PAIRWISE_I16X8_U(0xFD, 0x7F, "i32x4.extadd_pairwise_i16x8_u", SIMD_INTEGER,    NONE,             "v:v",     0),
    I16X8_ABS(0xFD, 0x80,                     "i16x8.abs",                     SIMD_INTEGER,    NONE,             "v:v",     0),
    I16X8_NEG(0xFD, 0x81,                     "i16x8.neg",                     SIMD_INTEGER,    NONE,             "v:v",     0),
    I16X8_Q15MULR_SAT_S(0xFD, 0x82,           "i16x8.q15mulr_sat_s",           SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_ALL_TRUE(0xFD, 0x83,                "i16x8.all_true",                SIMD_INTEGER,    NONE,             "v:i",     0),
    I16X8_BITMASK(0xFD, 0x84,                 "i16x8.bitmask",                 SIMD_INTEGER,    NONE,             "v:i",     0),
    I16X8_NARROW_I32X4_S(0xFD, 0x85,          "i16x8.narrow_i32x4_s",          SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_NARROW_I32X4_U(0xFD, 0x86,          "i16x8.narrow_i32x4_u",          SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_EXTEND_LOW_I8X16_S(0xFD, 0x87,      "i16x8.extend_low_i8x16_s",      SIMD_INTEGER,    NONE,             "v:v",     0),
    I16X8_EXTEND_HIGH_I8X16_S(0xFD, 0x88,     "i16x8.extend_high_i8x16_s",     SIMD_INTEGER,    NONE,             "v:v",     0),
    I16X8_EXTEND_LOW_I8X16_U(0xFD, 0x89,      "i16x8.extend_low_i8x16_u",      SIMD_INTEGER,    NONE,             "v:v",     0),
    I16X8_EXTEND_HIGH_I8X16_U(0xFD, 0x8A,     "i16x8.extend_high_i8x16_u",     SIMD_INTEGER,    NONE,             "v:v",     0),
    I16X8_SHL(0xFD, 0x8B,                     "i16x8.shl",                     SIMD_INTEGER,    NONE,             "vi:v",    0),
    I16X8_SHR_S(0xFD, 0x8C,                   "i16x8.shr_s",                   SIMD_INTEGER,    NONE,             "vi:v",    0),
    I16X8_SHR_U(0xFD, 0x8D,                   "i16x8.shr_u",                   SIMD_INTEGER,    NONE,             "vi:v",    0),
    I16X8_ADD(0xFD, 0x8E,                     "i16x8.add",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_ADD_SAT_S(0xFD, 0x8F,               "i16x8.add_sat_s",               SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_ADD_SAT_U(0xFD, 0x90,               "i16x8.add_sat_u",               SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_SUB(0xFD, 0x91,                     "i16x8.sub",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_SUB_SAT_S(0xFD, 0x92,               "i16x8.sub_sat_s",               SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_SUB_SAT_U(0xFD, 0x93,               "i16x8.sub_sat_u",               SIMD_INTEGER,    NONE,             "vv:v",    0),
    F64X2_NEAREST(0xFD, 0x94,                 "f64x2.nearest",                 SIMD_FLOAT,      NONE,             "v:v",     0),
    I16X8_MUL(0xFD, 0x95,                     "i16x8.mul",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_MIN_S(0xFD, 0x96,                   "i16x8.min_s",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_MIN_U(0xFD, 0x97,                   "i16x8.min_u",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_MAX_S(0xFD, 0x98,                   "i16x8.max_s",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_MAX_U(0xFD, 0x99,                   "i16x8.max_u",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_AVGR_U(0xFD, 0x9B,                  "i16x8.avgr_u",                  SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_EXTMUL_LOW_I8X16_S(0xFD, 0x9C,      "i16x8.extmul_low_i8x16_s",      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_EXTMUL_HIGH_I8X16_S(0xFD, 0x9D,     "i16x8.extmul_high_i8x16_s",     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_EXTMUL_LOW_I8X16_U(0xFD, 0x9E,      "i16x8.extmul_low_i8x16_u",      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I16X8_EXTMUL_HIGH_I8X16_U(0xFD, 0x9F,     "i16x8.extmul_high_i8x16_u",     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_ABS(0xFD, 0xA0,                     "i32x4.abs",                     SIMD_INTEGER,    NONE,             "v:v",     0),
    I32X4_NEG(0xFD, 0xA1,                     "i32x4.neg",                     SIMD_INTEGER,    NONE,             "v:v",     0),
    I32X4_ALL_TRUE(0xFD, 0xA3,                "i32x4.all_true",                SIMD_INTEGER,    NONE,             "v:i",     0),
    I32X4_BITMASK(0xFD, 0xA4,                 "i32x4.bitmask",                 SIMD_INTEGER,    NONE,             "v:i",     0),
    I32X4_EXTEND_LOW_I16X8_S(0xFD, 0xA7,      "i32x4.extend_low_i16x8_s",      SIMD_INTEGER,    NONE,             "v:v",     0),
    I32X4_EXTEND_HIGH_I16X8_S(0xFD, 0xA8,     "i32x4.extend_high_i16x8_s",     SIMD_INTEGER,    NONE,             "v:v",     0),
    I32X4_EXTEND_LOW_I16X8_U(0xFD, 0xA9,      "i32x4.extend_low_i16x8_u",      SIMD_INTEGER,    NONE,             "v:v",     0),
    I32X4_EXTEND_HIGH_I16X8_U(0xFD, 0xAA,     "i32x4.extend_high_i16x8_u",     SIMD_INTEGER,    NONE,             "v:v",     0),
    I32X4_SHL(0xFD, 0xAB,                     "i32x4.shl",                     SIMD_INTEGER,    NONE,             "vi:v",    0),
    I32X4_SHR_S(0xFD, 0xAC,                   "i32x4.shr_s",                   SIMD_INTEGER,    NONE,             "vi:v",    0),
    I32X4_SHR_U(0xFD, 0xAD,                   "i32x4.shr_u",                   SIMD_INTEGER,    NONE,             "vi:v",    0),
    I32X4_ADD(0xFD, 0xAE,                     "i32x4.add",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_SUB(0xFD, 0xB1,                     "i32x4.sub",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_MUL(0xFD, 0xB5,                     "i32x4.mul",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_MIN_S(0xFD, 0xB6,                   "i32x4.min_s",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_MIN_U(0xFD, 0xB7,                   "i32x4.min_u",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_MAX_S(0xFD, 0xB8,                   "i32x4.max_s",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_MAX_U(0xFD, 0xB9,                   "i32x4.max_u",                   SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_DOT_I16X8_S(0xFD, 0xBA,             "i32x4.dot_i16x8_s",             SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_EXTMUL_LOW_I16X8_S(0xFD, 0xBC,      "i32x4.extmul_low_i16x8_s",      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_EXTMUL_HIGH_I16X8_S(0xFD, 0xBD,     "i32x4.extmul_high_i16x8_s",     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_EXTMUL_LOW_I16X8_U(0xFD, 0xBE,      "i32x4.extmul_low_i16x8_u",      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I32X4_EXTMUL_HIGH_I16X8_U(0xFD, 0xBF,     "i32x4.extmul_high_i16x8_u",     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_ABS(0xFD, 0xC0,                     "i64x2.abs",                     SIMD_INTEGER,    NONE,             "v:v",     0),
    I64X2_NEG(0xFD, 0xC1,                     "i64x2.neg",                     SIMD_INTEGER,    NONE,             "v:v",     0),
    I64X2_ALL_TRUE(0xFD, 0xC3,                "i64x2.all_true",                SIMD_INTEGER,    NONE,             "v:i",     0),
    I64X2_BITMASK(0xFD, 0xC4,                 "i64x2.bitmask",                 SIMD_INTEGER,    NONE,             "v:i",     0),
    I64X2_EXTEND_LOW_I32X4_S(0xFD, 0xC7,      "i64x2.extend_low_i32x4_s",      SIMD_INTEGER,    NONE,             "v:v",     0),
    I64X2_EXTEND_HIGH_I32X4_S(0xFD, 0xC8,     "i64x2.extend_high_i32x4_s",     SIMD_INTEGER,    NONE,             "v:v",     0),
    I64X2_EXTEND_LOW_I32X4_U(0xFD, 0xC9,      "i64x2.extend_low_i32x4_u",      SIMD_INTEGER,    NONE,             "v:v",     0),
    I64X2_EXTEND_HIGH_I32X4_U(0xFD, 0xCA,     "i64x2.extend_high_i32x4_u",     SIMD_INTEGER,    NONE,             "v:v",     0),
    I64X2_SHL(0xFD, 0xCB,                     "i64x2.shl",                     SIMD_INTEGER,    NONE,             "vi:v",    0),
    I64X2_SHR_S(0xFD, 0xCC,                   "i64x2.shr_s",                   SIMD_INTEGER,    NONE,             "vi:v",    0),
    I64X2_SHR_U(0xFD, 0xCD,                   "i64x2.shr_u",                   SIMD_INTEGER,    NONE,             "vi:v",    0),
    I64X2_ADD(0xFD, 0xCE,                     "i64x2.add",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_SUB(0xFD, 0xD1,                     "i64x2.sub",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_MUL(0xFD, 0xD5,                     "i64x2.mul",                     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_EQ(0xFD, 0xD6,                      "i64x2.eq",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_NE(0xFD, 0xD7,                      "i64x2.ne",                      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_LT_S(0xFD, 0xD8,                    "i64x2.lt_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_GT_S(0xFD, 0xD9,                    "i64x2.gt_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_LE_S(0xFD, 0xDA,                    "i64x2.le_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_GE_S(0xFD, 0xDB,                    "i64x2.ge_s",                    SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_EXTMUL_LOW_I32X4_S(0xFD, 0xDC,      "i64x2.extmul_low_i32x4_s",      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_EXTMUL_HIGH_I32X4_S(0xFD, 0xDD,     "i64x2.extmul_high_i32x4_s",     SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_EXTMUL_LOW_I32X4_U(0xFD, 0xDE,      "i64x2.extmul_low_i32x4_u",      SIMD_INTEGER,    NONE,             "vv:v",    0),
    I64X2_EXTMUL_HIGH_I32X4_U(0xFD, 0xDF,     "i64x2.extmul_high_i32x4_u",     SIMD_INTEGER,    NONE,             "vv:v",    0),
    F32X4_ABS(0xFD, 0xE0,                     "f32x4.abs",                     SIMD_FLOAT,      NONE,             "v:v",     0),
    F32X4_NEG(0xFD, 0xE1,                     "f32x4.neg",                     SIMD_FLOAT,      NONE,             "v:v",     0),
    F32X4_SQRT(0xFD, 0xE3,                    "f32x4.sqrt",                    SIMD_FLOAT,      NONE,             "v:v",     0),
    F32X4_ADD(0xFD, 0xE4,                     "f32x4.add",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_SUB(0xFD, 0xE5,                     "f32x4.sub",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_MUL(0xFD, 0xE6,                     "f32x4.mul",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_DIV(0xFD, 0xE7,                     "f32x4.div",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_MIN(0xFD, 0xE8,                     "f32x4.min",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_MAX(0xFD, 0xE9,                     "f32x4.max",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_PMIN(0xFD, 0xEA,                    "f32x4.pmin",                    SIMD_FLOAT,      NONE,             "vv:v",    0),
    F32X4_PMAX(0xFD, 0xEB,                    "f32x4.pmax",                    SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_ABS(0xFD, 0xEC,                     "f64x2.abs",                     SIMD_FLOAT,      NONE,             "v:v",     0),
    F64X2_NEG(0xFD, 0xED,                     "f64x2.neg",                     SIMD_FLOAT,      NONE,             "v:v",     0),
    F64X2_SQRT(0xFD, 0xEF,                    "f64x2.sqrt",                    SIMD_FLOAT,      NONE,             "v:v",     0),
    F64X2_ADD(0xFD, 0xF0,                     "f64x2.add",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_SUB(0xFD, 0xF1,                     "f64x2.sub",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_MUL(0xFD, 0xF2,                     "f64x2.mul",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_DIV(0xFD, 0xF3,                     "f64x2.div",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_MIN(0xFD, 0xF4,                     "f64x2.min",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_MAX(0xFD, 0xF5,                     "f64x2.max",                     SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_PMIN(0xFD, 0xF6,                    "f64x2.pmin",                    SIMD_FLOAT,      NONE,             "vv:v",    0),
    F64X2_PMAX(0xFD, 0xF7,                    "f64x2.pmax",                    SIMD_FLOAT,      NONE,             "vv:v",    0),
    I32X4_TRUNC_SAT_F32X4_S(0xFD, 0xF8,       "i32x4.trunc_sat_f32x4_s",       SIMD_CONVERSION, NONE,             "v:v",     0),
    I32X4_TRUNC_SAT_F32X4_U(0xFD, 0xF9,       "i32x4.trunc_sat_f32x4_u",       SIMD_CONVERSION, NONE,             "v:v",     0),
    F32X4_CONVERT_I32X4_S(0xFD, 0xFA,         "f32x4.convert_i32x4_s",         SIMD_CONVERSION, NONE,             "v:v",     0),
    F32X4_CONVERT_I32X4_U(0xFD, 0xFB,         "f32x4.convert_i32x4_u",         SIMD_CONVERSION, NONE,             "v:v",     0),
    I32X4_TRUNC_SAT_F64X2_S_ZERO(0xFD, 0xFC,  "i32x4.trunc_sat_f64x2_s_zero",  SIMD_CONVERSION, NONE,             "v:v",     0),
    I32X4_TRUNC_SAT_F64X2_U_ZERO(0xFD, 0xFD,  "i32x4.trunc_sat_f64x2_u_zero",  SIMD_CONVERSION, NONE,             "v:v",     0),
    F64X2_CONVERT_LOW_I32X4_S(0xFD, 0xFE,     "f64x2.convert_low_i32x4_s",     SIMD_CONVERSION, NONE,             "v:v",     0),
    F64X2_CONVERT_LOW_I32X4_U(0xFD, 0xFF,     "f64x2.convert_low_i32x4_u",     SIMD_CONVERSION, NONE,             "v:v",     0);

    /** Prefix byte of the misc instructions (saturating truncation, bulk memory, table ops). */
    public static final int MISC_PREFIX = 0xFC;
    /** Prefix byte of the 128-bit SIMD instructions. */
    public static final int SIMD_PREFIX = 0xFD;

    /** The lowering that owns an instruction: each family is compiled by exactly one lowering. */
    public enum Family {
        /** Structured control flow, branches, direct calls, nop and unreachable: FunctionTranslator. */
        CONTROL,
        /** drop and select: FunctionTranslator. */
        PARAMETRIC,
        /** Locals and globals: FunctionTranslator. */
        VARIABLE,
        /** Scalar constants, arithmetic, comparisons and conversions: NumericLowering. */
        NUMERIC,
        /** Scalar loads and stores, memory.* and data.drop: MemoryLowering. */
        MEMORY,
        /** Tables, references and call_indirect: TableLowering. */
        TABLE,
        /** v128 loads and stores: SimdMemoryLowering. */
        SIMD_MEMORY,
        /** v128.const, shuffles, splats, lane extract and replace: SimdLaneLowering. */
        SIMD_LANE,
        /** Bitwise v128 operations and integer lane arithmetic: SimdIntegerLowering. */
        SIMD_INTEGER,
        /** Floating-point lane arithmetic and comparisons: SimdFloatLowering. */
        SIMD_FLOAT,
        /** Conversions between lane shapes: SimdConversionLowering. */
        SIMD_CONVERSION
    }

    /**
     * What follows an opcode in the binary, named by the {@link InstructionReader} fields that hold
     * it after {@link InstructionReader#next()}.
     */
    public enum Immediates {
        NONE(),
        BLOCK_TYPE("blockType"),
        LABEL_DEPTH("labelDepth"),
        /** The targets, then the default label. */
        BR_TABLE_TARGETS("brTargets", "brTargetCount", "labelDepth"),
        FUNC_INDEX("funcIndex"),
        TYPE_AND_TABLE("typeIndex", "tableIndex"),
        /** A vector of value types; Wasm 2.0 allows exactly one. */
        SELECT_TYPES("selectTypeCount", "refType"),
        LOCAL_INDEX("localIndex"),
        GLOBAL_INDEX("globalIndex"),
        TABLE_INDEX("tableIndex"),
        /** A zero byte in Wasm 2.0, a u32 with multi-memory. */
        MEMORY_INDEX("memoryIndex"),
        /** Alignment exponent, offset and (multi-memory) memory index. */
        MEMARG("align", "memOffset", "memoryIndex"),
        CONST_I32("constBits"),
        CONST_I64("constBits"),
        /** The raw IEEE bits. */
        CONST_F32("constBits"),
        CONST_F64("constBits"),
        /** 16 bytes, little-endian: the low 8 in constBits, the high 8 in constBitsHigh. */
        CONST_V128("constBits", "constBitsHigh"),
        /** 16 lane-index bytes, laid out as {@link #CONST_V128}. */
        SHUFFLE_LANES("constBits", "constBitsHigh"),
        LANE_INDEX("lane"),
        MEMARG_AND_LANE("align", "memOffset", "memoryIndex", "lane"),
        REF_TYPE("refType"),
        DATA_INDEX("dataIndex"),
        ELEM_INDEX("elemIndex"),
        /** memory.init: the data segment, then the destination memory. */
        DATA_AND_MEMORY("dataIndex", "memoryIndex"),
        /** memory.copy: destination memory, then source memory. */
        DST_SRC_MEMORY("dstMemory", "srcMemory"),
        /** table.init: the element segment, then the destination table. */
        ELEM_AND_TABLE("elemIndex", "tableIndex"),
        /** table.copy: destination table, then source table. */
        DST_SRC_TABLE("dstTable", "srcTable");

        private final String[] fields;

        Immediates(String... fields) {
            this.fields = fields;
        }

        /** Names of the {@link InstructionReader} fields this kind of immediate sets. */
        public String[] fields() {
            return fields.clone();
        }
    }

    /** Where an instruction may stand in a constant expression (global initialisers, offsets, element items). */
    public enum Constant {
        /** In Wasm 2.0 already. */
        CONSTANT(Proposal.WASM2),
        /** With the extended-const proposal. */
        EXTENDED_CONSTANT(Proposal.EXTENDED_CONST);

        private final Proposal proposal;

        Constant(Proposal proposal) {
            this.proposal = proposal;
        }
    }

    /** Size of the dense numbering of {@link #denseIndex()}: 256 per opcode space. */
    private static final int DENSE_SIZE = 3 * 256;
    private static final Opcode[] BY_DENSE_INDEX = new Opcode[DENSE_SIZE];

    static {
        for (Opcode op : values()) {
            if (BY_DENSE_INDEX[op.denseIndex()] != null) {
                throw new ExceptionInInitializerError("two rows encode " + op.textName);
            }
            BY_DENSE_INDEX[op.denseIndex()] = op;
        }
    }

    private final int prefix;
    private final int code;
    private final String textName;
    private final Family family;
    private final Immediates immediates;
    /** Null for a special signature. */
    private final ValType[] operands;
    private final ValType result;
    private final int width;
    private final Proposal proposal;
    /** Null if never constant. */
    private final Proposal constantIn;

    /** A one-byte instruction of Wasm 2.0, not constant. */
    Opcode(int code, String textName, Family family, Immediates immediates, String signature, int width) {
        this(0, code, textName, family, immediates, signature, width, Proposal.WASM2, null);
    }

    /** A one-byte instruction a proposal adds. */
    Opcode(int code, String textName, Family family, Immediates immediates, String signature, int width,
           Proposal proposal) {
        this(0, code, textName, family, immediates, signature, width, proposal, null);
    }

    /** A one-byte instruction of Wasm 2.0 that may stand in a constant expression. */
    Opcode(int code, String textName, Family family, Immediates immediates, String signature, int width,
           Constant constant) {
        this(0, code, textName, family, immediates, signature, width, Proposal.WASM2, constant.proposal);
    }

    /** A prefixed instruction: {@code prefix}, then {@code code} as a u32. */
    Opcode(int prefix, int code, String textName, Family family, Immediates immediates, String signature,
           int width) {
        this(prefix, code, textName, family, immediates, signature, width, Proposal.WASM2, null);
    }

    /** A prefixed instruction that may stand in a constant expression. */
    Opcode(int prefix, int code, String textName, Family family, Immediates immediates, String signature,
           int width, Constant constant) {
        this(prefix, code, textName, family, immediates, signature, width, Proposal.WASM2, constant.proposal);
    }

    Opcode(int prefix, int code, String textName, Family family, Immediates immediates, String signature,
           int width, Proposal proposal, Proposal constantIn) {
        this.prefix = prefix;
        this.code = code;
        this.textName = textName;
        this.family = family;
        this.immediates = immediates;
        this.width = width;
        this.proposal = proposal;
        this.constantIn = constantIn;
        if (signature.equals("special")) {
            this.operands = null;
            this.result = null;
        } else {
            int colon = signature.indexOf(':');
            this.operands = new ValType[colon];
            for (int i = 0; i < colon; i++) operands[i] = letter(signature.charAt(i));
            this.result = colon + 1 < signature.length() ? letter(signature.charAt(colon + 1)) : null;
        }
    }

    private static ValType letter(char c) {
        ValType t = ValType.fromLetter(c);
        if (t == null) throw new IllegalArgumentException("no value type for letter " + c);
        return t;
    }

    /** The one-byte instruction {@code b}, or null if no instruction has that encoding. */
    public static Opcode forByte(int b) {
        return b >= 0 && b < 0x100 ? BY_DENSE_INDEX[b] : null;
    }

    /** The instruction with this prefix byte and sub-opcode, or null if there is none. */
    public static Opcode forPrefixed(int prefix, long sub) {
        if (sub < 0 || sub > 0xFF) return null;
        return switch (prefix) {
            case MISC_PREFIX -> BY_DENSE_INDEX[0x100 + (int) sub];
            case SIMD_PREFIX -> BY_DENSE_INDEX[0x200 + (int) sub];
            default -> null;
        };
    }

    /** 0 for a one-byte instruction, else {@link #MISC_PREFIX} or {@link #SIMD_PREFIX}. */
    public int prefix() {
        return prefix;
    }

    /** The opcode byte, or for a prefixed instruction the sub-opcode after the prefix. */
    public int code() {
        return code;
    }

    /** The name in the text format, e.g. {@code i32.load8_u}. */
    public String textName() {
        return textName;
    }

    public Family family() {
        return family;
    }

    public Immediates immediates() {
        return immediates;
    }

    /**
     * True if the types are "special": they depend on immediates, the module or the control
     * context, and {@link #operandCount()} and {@link #result()} say nothing.
     */
    public boolean hasSpecialType() {
        return operands == null;
    }

    public int operandCount() {
        return operands.length;
    }

    /** Operand {@code i}, in push order: the last one is the top of the stack. */
    public ValType operand(int i) {
        return operands[i];
    }

    /** The result type, or null if the instruction pushes nothing. */
    public ValType result() {
        return result;
    }

    /** Bytes a load reads or a store writes; 0 for instructions that are neither. */
    public int width() {
        return width;
    }

    /** log2 of {@link #width()}: the largest alignment exponent a memarg may declare. */
    public int naturalAlignment() {
        return Integer.numberOfTrailingZeros(width);
    }

    /**
     * Number of lanes the lane immediate indexes: the shape's lane count for extract and replace
     * (the {@code x16} of {@code i8x16}), 16 / width for a lane load or store; 0 without one.
     */
    public int lanes() {
        return switch (immediates) {
            case LANE_INDEX -> Integer.parseInt(textName.substring(textName.indexOf('x') + 1, textName.indexOf('.')));
            case MEMARG_AND_LANE -> 16 / width;
            default -> 0;
        };
    }

    /** The proposal that adds the instruction ({@link Proposal#WASM2} for the base language). */
    public Proposal proposal() {
        return proposal;
    }

    /**
     * The proposal with which the instruction may stand in a constant expression ({@link
     * Proposal#WASM2}: always), or null if it never may.
     */
    public Proposal constantIn() {
        return constantIn;
    }

    /** True if the instruction may stand in a constant expression with {@code features}. */
    public boolean isConstant(Features features) {
        return constantIn != null && features.enables(constantIn);
    }

    /** True for the 0xFD-prefixed (SIMD) instructions. */
    public boolean isSimd() {
        return prefix == SIMD_PREFIX;
    }

    /** One-byte opcodes at 0..255, misc at 256 + sub, SIMD at 512 + sub. */
    private int denseIndex() {
        return switch (prefix) {
            case 0 -> code;
            case MISC_PREFIX -> 0x100 + code;
            default -> 0x200 + code;
        };
    }
}
