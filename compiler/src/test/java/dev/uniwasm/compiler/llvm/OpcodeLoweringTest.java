package dev.uniwasm.compiler.llvm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.wasm.Features;
import dev.uniwasm.wasm.InvalidModuleException;
import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.Opcode;
import dev.uniwasm.wasm.Proposal;
import dev.uniwasm.wasm.ValType;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every row of the instruction table goes through the validator and the lowering of its family:
 * one module per instruction whose second function uses it once, operands built from the row's
 * signature and immediates from the row's immediates kind. An instruction whose family's lowering
 * lacks it fails with "unsupported instruction"; one whose signature disagrees with what the
 * lowering pops fails in validation or lowering. Likewise every row goes into a global's
 * initialiser: the validator accepts exactly the rows the table calls constant, and the init
 * function's code generator compiles each of them.
 */
class OpcodeLoweringTest {
    private static final Compiler COMPILER =
            new Compiler(CompileOptions.defaults().withFeatures(Features.ALL));
    private static final Compiler WASM2_COMPILER =
            new Compiler(CompileOptions.defaults().withFeatures(Features.WASM2));

    @Test
    void everyFamilyHasALowering() {
        for (Opcode.Family family : Opcode.Family.values()) assertNotNull(Lowering.of(family), family.name());
    }

    @TestFactory
    Stream<DynamicTest> everyInstructionLowersThroughItsFamily() {
        return Arrays.stream(Opcode.values())
                .map(op -> DynamicTest.dynamicTest(op.textName() + " (" + op.name() + ")", () -> {
                    Module m = COMPILER.decodeAndValidate(module(instruction(op)));
                    String ir = LlvmBackend.textualIr(m, COMPILER.options());
                    assertTrue(ir.contains("@uw_f1("), "function 1 in\n" + ir);
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyConstantRowCompilesInAGlobalsInitialiser() {
        return Arrays.stream(Opcode.values())
                .filter(op -> op.constantIn() != null)
                .map(op -> DynamicTest.dynamicTest(op.textName() + " (" + op.name() + ")", () -> {
                    ValType type = constantResult(op);
                    ByteArrayOutputStream code = new ByteArrayOutputStream();
                    if (!op.hasSpecialType()) {
                        for (int i = 0; i < op.operandCount(); i++) code.writeBytes(zero(op.operand(i)));
                    }
                    code.writeBytes(encoding(op));
                    code.writeBytes(immediates(op));
                    code.write(0x0B);
                    byte[] wasm = globalModule(type, code.toByteArray());
                    String ir = LlvmBackend.textualIr(COMPILER.decodeAndValidate(wasm), COMPILER.options());
                    assertTrue(ir.contains("uw_init"), "the init function in\n" + ir);
                    // without the proposal the row names, the same initialiser is refused
                    if (op.constantIn() == Proposal.WASM2) {
                        assertDoesNotThrow(() -> WASM2_COMPILER.decodeAndValidate(wasm));
                    } else {
                        InvalidModuleException e = assertThrows(
                                InvalidModuleException.class, () -> WASM2_COMPILER.decodeAndValidate(wasm));
                        assertEquals("constant expression required", e.reason());
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyOtherRowIsRefusedInAGlobalsInitialiser() {
        // end terminates every constant expression; the validator's rule for it is its own
        return Arrays.stream(Opcode.values())
                .filter(op -> op.constantIn() == null && op != Opcode.END)
                .map(op -> DynamicTest.dynamicTest(op.textName() + " (" + op.name() + ")", () -> {
                    boolean opens = op == Opcode.BLOCK || op == Opcode.LOOP || op == Opcode.IF;
                    byte[] expr = cat(encoding(op), immediates(op), opens ? b(0x0B, 0x0B) : b(0x0B));
                    byte[] wasm = globalModule(ValType.I32, expr);
                    InvalidModuleException e =
                            assertThrows(InvalidModuleException.class, () -> COMPILER.decodeAndValidate(wasm));
                    assertEquals("constant expression required", e.reason());
                    assertEquals(
                            wasm.length - GLOBAL_MODULE_TAIL.length - expr.length,
                            e.offset(),
                            "refused at the instruction itself");
                }));
    }

    /** What a constant row pushes; the special ones as {@link #globalModule} and the immediates make them. */
    private static ValType constantResult(Opcode op) {
        if (!op.hasSpecialType()) return op.result();
        return switch (op) {
            case REF_NULL -> ValType.FUNCREF;
            case GLOBAL_GET -> ValType.I32;
            default ->
                throw new AssertionError(op.textName() + " is constant with a special type: give it a case here");
        };
    }

    /** The code section of {@link #globalModule}: function 0's empty body. */
    private static final byte[] GLOBAL_MODULE_TAIL = cat(b(10), u32(4), b(1, 2, 0, 0x0B));

    /**
     * Type 0 is [] -> []; global 0 an imported immutable i32 (m.g), function 0 empty; global 1, the
     * last thing before the code section, of {@code type} initialised by {@code expr} (with its end).
     */
    private static byte[] globalModule(ValType type, byte[] expr) {
        return cat(
                b(0, 'a', 's', 'm', 1, 0, 0, 0),
                section(1, b(1, 0x60, 0, 0)),
                section(2, b(1, 1, 'm', 1, 'g', 0x03, 0x7F, 0)),
                section(3, b(1, 0)),
                section(6, cat(b(1, type.code, 0), expr)),
                GLOBAL_MODULE_TAIL);
    }

    /** The body of function 1 (without its final end): the instruction with operands, results dropped. */
    private static byte[] instruction(Opcode op) {
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        if (op.hasSpecialType()) {
            code.writeBytes(special(op));
            return code.toByteArray();
        }
        for (int i = 0; i < op.operandCount(); i++) code.writeBytes(zero(op.operand(i)));
        code.writeBytes(encoding(op));
        code.writeBytes(immediates(op));
        if (op.result() != null) code.write(0x1A);
        return code.toByteArray();
    }

    private static byte[] encoding(Opcode op) {
        return op.prefix() == 0 ? b(op.code()) : cat(b(op.prefix()), u32(op.code()));
    }

    /** Index immediates are 0: the module has one of each index space. */
    private static byte[] immediates(Opcode op) {
        return switch (op.immediates()) {
            case NONE -> b();
            case MEMARG -> b(0, 0);
            case MEMARG_AND_LANE -> b(0, 0, 0);
            case LANE_INDEX,
                    MEMORY_INDEX,
                    DATA_INDEX,
                    ELEM_INDEX,
                    TABLE_INDEX,
                    FUNC_INDEX,
                    LOCAL_INDEX,
                    GLOBAL_INDEX,
                    LABEL_DEPTH -> b(0);
            case DATA_AND_MEMORY, DST_SRC_MEMORY, ELEM_AND_TABLE, DST_SRC_TABLE, TYPE_AND_TABLE -> b(0, 0);
            case CONST_I32, CONST_I64 -> b(0);
            case CONST_F32 -> new byte[4];
            case CONST_F64 -> new byte[8];
            case CONST_V128, SHUFFLE_LANES -> new byte[16];
            case REF_TYPE -> b(0x70);
            case BLOCK_TYPE -> b(0x40);
            case BR_TABLE_TARGETS -> b(0, 0);
            case SELECT_TYPES -> b(1, 0x7F);
        };
    }

    /** A constant of type t. */
    private static byte[] zero(ValType t) {
        return switch (t) {
            case I32 -> b(0x41, 0);
            case I64 -> b(0x42, 0);
            case F32 -> cat(b(0x43), new byte[4]);
            case F64 -> cat(b(0x44), new byte[8]);
            case V128 -> cat(b(0xFD, 0x0C), new byte[16]);
            case FUNCREF -> b(0xD0, 0x70);
            case EXTERNREF -> b(0xD0, 0x6F);
        };
    }

    /** Instructions typed by the validator one by one, each in a valid context. */
    private static byte[] special(Opcode op) {
        byte[] enc = cat(encoding(op), immediates(op));
        byte[] i32 = zero(ValType.I32);
        byte[] ref = zero(ValType.FUNCREF);
        return switch (op) {
            case UNREACHABLE, RETURN, CALL, RETURN_CALL -> enc;
            case BLOCK, LOOP -> cat(enc, b(0x0B));
            case END -> cat(b(0x02, 0x40), enc);
            case IF -> cat(i32, enc, b(0x0B));
            case ELSE -> cat(i32, b(0x04, 0x40), enc, b(0x0B));
            case BR -> cat(b(0x02, 0x40), enc, b(0x0B));
            case BR_IF, BR_TABLE -> cat(b(0x02, 0x40), i32, enc, b(0x0B));
            case CALL_INDIRECT, RETURN_CALL_INDIRECT -> cat(i32, enc);
            case DROP -> cat(i32, enc);
            case SELECT, SELECT_T -> cat(i32, i32, i32, enc, b(0x1A));
            case LOCAL_GET, GLOBAL_GET -> cat(enc, b(0x1A));
            case LOCAL_SET, GLOBAL_SET -> cat(i32, enc);
            case LOCAL_TEE -> cat(i32, enc, b(0x1A));
            case TABLE_GET -> cat(i32, enc, b(0x1A));
            case TABLE_SET -> cat(i32, ref, enc);
            case TABLE_GROW -> cat(ref, i32, enc, b(0x1A));
            case TABLE_FILL -> cat(i32, ref, i32, enc);
            case REF_NULL -> cat(enc, b(0x1A));
            case REF_IS_NULL -> cat(ref, enc, b(0x1A));
            default -> throw new AssertionError("no context for " + op.textName() + ", whose type is special");
        };
    }

    /**
     * Type 0 is [] -> []; function 0 is empty, function 1 (one i32 local) runs {@code code}; one
     * funcref table, one memory, one mutable i32 global, one passive element segment naming
     * function 0 (which declares it for ref.func) and one passive data segment.
     */
    private static byte[] module(byte[] code) {
        byte[] body1 = cat(b(1, 1, 0x7F), code, b(0x0B));
        return cat(
                b(0, 'a', 's', 'm', 1, 0, 0, 0),
                section(1, b(1, 0x60, 0, 0)),
                section(3, b(2, 0, 0)),
                section(4, b(1, 0x70, 0, 1)),
                section(5, b(1, 0, 1)),
                section(6, b(1, 0x7F, 1, 0x41, 0, 0x0B)),
                section(9, b(1, 1, 0, 1, 0)),
                section(12, b(1)),
                section(10, cat(b(2, 2, 0, 0x0B), u32(body1.length), body1)),
                section(11, b(1, 1, 1, 0x2A)));
    }

    private static byte[] section(int id, byte[] content) {
        return cat(b(id), u32(content.length), content);
    }

    private static byte[] b(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    private static byte[] u32(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int bits = (int) (v & 0x7F);
            v >>>= 7;
            out.write(v != 0 ? bits | 0x80 : bits);
        } while (v != 0);
        return out.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
