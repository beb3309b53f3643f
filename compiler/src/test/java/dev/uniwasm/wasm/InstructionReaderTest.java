package dev.uniwasm.wasm;

import static dev.uniwasm.wasm.WasmBuilder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InstructionReaderTest {
    private static InstructionReader reader(byte[] code) {
        return new InstructionReader(code, 0, code.length);
    }

    @Test
    void constants() {
        InstructionReader r = reader(cat(
                b(0x41),
                s64(-1),
                b(0x42),
                s64(Long.MIN_VALUE),
                b(0x43, 0x00, 0x00, 0xC0, 0x7F),
                b(0x44, 1, 2, 3, 4, 5, 6, 7, 8)));
        assertEquals(Opcode.I32_CONST, r.next());
        assertEquals(-1L, r.constBits);
        assertEquals(Opcode.I64_CONST, r.next());
        assertEquals(Long.MIN_VALUE, r.constBits);
        assertEquals(Opcode.F32_CONST, r.next());
        assertEquals(0x7FC00000L, r.constBits);
        assertEquals(Opcode.F64_CONST, r.next());
        assertEquals(0x0807060504030201L, r.constBits);
        assertFalse(r.hasNext());
    }

    @Test
    void controlImmediates() {
        byte[] targets = new byte[40];
        for (int i = 0; i < 40; i++) targets[i] = (byte) (i % 3);
        InstructionReader r = reader(cat(
                b(0x02, 0x40),
                b(0x03, I64),
                b(0x04),
                s64(7),
                b(0x0E),
                u32(40),
                targets,
                u32(2),
                b(0x11),
                u32(3),
                u32(2),
                b(0x0C, 0x05),
                b(0x1C, 0x01, EXTERNREF),
                b(0x1B)));
        assertEquals(Opcode.BLOCK, r.next());
        assertEquals(InstructionReader.BLOCK_EMPTY, r.blockType);
        assertEquals(0, r.offset);
        assertEquals(Opcode.LOOP, r.next());
        assertEquals(-I64, r.blockType);
        assertEquals(Opcode.IF, r.next());
        assertEquals(7, r.blockType);
        assertEquals(Opcode.BR_TABLE, r.next());
        assertEquals(40, r.brTargetCount);
        assertEquals(2, r.brTargets[38]);
        assertEquals(2, r.labelDepth);
        assertEquals(Opcode.CALL_INDIRECT, r.next());
        assertEquals(3, r.typeIndex);
        assertEquals(2, r.tableIndex);
        assertEquals(Opcode.BR, r.next());
        assertEquals(5, r.labelDepth);
        assertEquals(Opcode.SELECT_T, r.next());
        assertEquals(1, r.selectTypeCount);
        assertEquals(ValType.EXTERNREF, r.refType);
        assertEquals(Opcode.SELECT, r.next());
        assertEquals(0, r.selectTypeCount);
    }

    @Test
    void memoryAndTableImmediates() {
        InstructionReader r = reader(cat(
                b(0x29, 0x03),
                u32(0xFFFFFFFFL),
                b(0xFC, 0x08),
                u32(4),
                b(0x00),
                b(0xFC, 0x0A, 0x00, 0x00),
                b(0xFC, 0x0C),
                u32(6),
                u32(1),
                b(0xFC, 0x0E),
                u32(2),
                u32(3),
                b(0xFC, 0x0F),
                u32(1),
                b(0xD2),
                u32(9),
                b(0xD0, FUNCREF)));
        assertEquals(Opcode.I64_LOAD, r.next());
        assertEquals(3, r.align);
        assertEquals(0xFFFFFFFFL, r.memOffset);
        assertEquals(0, r.memoryIndex);
        assertEquals(Opcode.MEMORY_INIT, r.next());
        assertEquals(4, r.dataIndex);
        assertEquals(0, r.memoryIndex);
        assertEquals(Opcode.MEMORY_COPY, r.next());
        assertEquals(Opcode.TABLE_INIT, r.next());
        assertEquals(6, r.elemIndex);
        assertEquals(1, r.tableIndex);
        assertEquals(Opcode.TABLE_COPY, r.next());
        assertEquals(2, r.dstTable);
        assertEquals(3, r.srcTable);
        assertEquals(Opcode.TABLE_GROW, r.next());
        assertEquals(1, r.tableIndex);
        assertEquals(Opcode.REF_FUNC, r.next());
        assertEquals(9, r.funcIndex);
        assertEquals(Opcode.REF_NULL, r.next());
        assertEquals(ValType.FUNCREF, r.refType);
    }

    @Test
    void simdImmediates() {
        byte[] sixteen = new byte[16];
        for (int i = 0; i < 16; i++) sixteen[i] = (byte) (i + 1);
        InstructionReader r = reader(cat(
                b(0xFD, 0x0C),
                sixteen,
                b(0xFD, 0x0D),
                sixteen,
                b(0xFD, 0x15, 0x0F),
                b(0xFD, 0x56, 0x02, 0x10, 0x03),
                b(0xFD, 0x5D, 0x03, 0x00),
                b(0xFD),
                u32(0xBA),
                b(0xFD, 0xFF, 0x01)));
        assertEquals(Opcode.V128_CONST, r.next());
        assertEquals(0x0807060504030201L, r.constBits);
        assertEquals(0x100F0E0D0C0B0A09L, r.constBitsHigh);
        assertEquals(Opcode.I8X16_SHUFFLE, r.next());
        assertEquals(0x100F0E0D0C0B0A09L, r.constBitsHigh);
        assertEquals(Opcode.I8X16_EXTRACT_LANE_S, r.next());
        assertEquals(15, r.lane);
        assertEquals(Opcode.V128_LOAD32_LANE, r.next());
        assertEquals(2, r.align);
        assertEquals(16, r.memOffset);
        assertEquals(3, r.lane);
        assertEquals(Opcode.V128_LOAD64_ZERO, r.next());
        assertEquals(Opcode.I32X4_DOT_I16X8_S, r.next());
        assertEquals(Opcode.F64X2_CONVERT_LOW_I32X4_U, r.next());
        assertFalse(r.hasNext());
    }

    /** An instruction a proposal adds (its row's proposal column) is "illegal opcode" until that proposal is on. */
    @Test
    void instructionsOfAProposalNeedIt() {
        int checked = 0;
        for (Opcode op : Opcode.values()) {
            if (op.proposal() == Proposal.WASM2) continue;
            // the encoding and zero bytes, enough for the index immediates of return_call*
            byte[] code = cat(op.prefix() == 0 ? b(op.code()) : cat(b(op.prefix()), u32(op.code())), b(0, 0));
            MalformedModuleException e = assertThrows(
                    MalformedModuleException.class,
                    () -> new InstructionReader(code, 0, code.length, Features.WASM2).next(),
                    op.textName());
            assertEquals("illegal opcode", e.reason());
            assertEquals(op, new InstructionReader(code, 0, code.length, Features.ALL).next());
            checked++;
        }
        assertEquals(2, checked, "return_call and return_call_indirect");
    }

    @Test
    void errorsCarryTheInstructionOffset() {
        InstructionReader r = reader(b(0x01, 0x01, 0xFD, 0xA2, 0x01));
        r.next();
        r.next();
        MalformedModuleException e = assertThrows(MalformedModuleException.class, r::next);
        assertEquals(2, e.offset());
        assertEquals("illegal opcode", e.reason());
        MalformedModuleException truncated = assertThrows(
                MalformedModuleException.class,
                () -> reader(b(0xFD, 0x0C, 1, 2, 3)).next());
        assertEquals("unexpected end of section or function", truncated.reason());
        MalformedModuleException negativeType = assertThrows(
                MalformedModuleException.class, () -> reader(b(0x02, 0x50)).next());
        assertEquals(1, negativeType.offset());
    }
}
