package dev.uniwasm.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The instruction table's rows are consistent with each other and with the reader. */
class OpcodeTest {
    @Test
    void constantNamesFollowTheTextNames() {
        int oneByte = 0, misc = 0, simd = 0;
        for (Opcode op : Opcode.values()) {
            String expected = op == Opcode.SELECT_T ? "SELECT" : op.name();
            assertEquals(expected, op.textName().toUpperCase().replace('.', '_').replace('/', '_'));
            switch (op.prefix()) {
                case 0 -> oneByte++;
                case Opcode.MISC_PREFIX -> misc++;
                case Opcode.SIMD_PREFIX -> simd++;
                default -> throw new AssertionError(op + " has prefix " + op.prefix());
            }
        }
        // 185 one-byte (incl. return_call*), 18 misc, 236 SIMD.
        assertEquals(185, oneByte);
        assertEquals(18, misc);
        assertEquals(236, simd);
    }

    @Test
    void knownEncodings() {
        assertEncoding(0, 0x6A, Opcode.I32_ADD);
        assertEncoding(0xFC, 0x00, Opcode.I32_TRUNC_SAT_F32_S);
        assertEncoding(0xFC, 0x11, Opcode.TABLE_FILL);
        assertEncoding(0xFD, 0x00, Opcode.V128_LOAD);
        assertEncoding(0xFD, 0x0C, Opcode.V128_CONST);
        assertEncoding(0xFD, 0x82, Opcode.I16X8_Q15MULR_SAT_S);
        assertEncoding(0xFD, 0xBA, Opcode.I32X4_DOT_I16X8_S);
        assertEncoding(0xFD, 0xFF, Opcode.F64X2_CONVERT_LOW_I32X4_U);
        assertEquals("i16x8.extmul_low_i8x16_s", Opcode.I16X8_EXTMUL_LOW_I8X16_S.textName());
    }

    private static void assertEncoding(int prefix, int code, Opcode op) {
        assertEquals(prefix, op.prefix(), op.textName());
        assertEquals(code, op.code(), op.textName());
    }

    @Test
    void everyEncodingFindsItsRow() {
        for (Opcode op : Opcode.values()) {
            assertSame(op, op.prefix() == 0 ? Opcode.forByte(op.code()) : Opcode.forPrefixed(op.prefix(), op.code()));
        }
    }

    @Test
    void holesAreUndefined() {
        assertNull(Opcode.forByte(0x06));
        assertNull(Opcode.forByte(0x27));
        assertNull(Opcode.forByte(0xFC));
        assertNull(Opcode.forPrefixed(0xFC, 0x12));
        assertNull(Opcode.forPrefixed(0xFD, 0x9A));
        assertNull(Opcode.forPrefixed(0xFD, 0xA2));
        assertNull(Opcode.forPrefixed(0xFD, 0x100));
        assertNull(Opcode.forPrefixed(0xFE, 0x00));
    }

    @Test
    void everyFamilyHasMembersAndEveryRowOneFamily() {
        Set<Opcode.Family> used = EnumSet.noneOf(Opcode.Family.class);
        for (Opcode op : Opcode.values()) {
            assertNotNull(op.family(), op.textName());
            used.add(op.family());
        }
        assertEquals(EnumSet.allOf(Opcode.Family.class), used);
    }

    /** Each kind of immediate names reader fields that exist, and every field is some kind's. */
    @Test
    void immediatesNameTheReaderFields() throws NoSuchFieldException {
        Set<String> named = new HashSet<>();
        for (Opcode.Immediates kind : Opcode.Immediates.values()) {
            for (String field : kind.fields()) {
                Field f = InstructionReader.class.getField(field);
                assertFalse(Modifier.isStatic(f.getModifiers()), field);
                named.add(field);
            }
        }
        for (Field f : InstructionReader.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    || f.getName().equals("op")
                    || f.getName().equals("offset")) continue;
            assertTrue(named.contains(f.getName()), f.getName() + " is no immediate's field");
        }
    }

    @Test
    void widthsBelongToMemoryAccesses() {
        for (Opcode op : Opcode.values()) {
            boolean access =
                    op.immediates() == Opcode.Immediates.MEMARG || op.immediates() == Opcode.Immediates.MEMARG_AND_LANE;
            assertEquals(access, op.width() > 0, op.textName());
            if (access) {
                assertEquals(1, Integer.bitCount(op.width()), op.textName());
                assertTrue(op.width() <= 16, op.textName());
                assertFalse(op.hasSpecialType(), op.textName() + ": a memory access has a fixed type");
                assertEquals(ValType.I32, op.operand(0), op.textName() + ": the address comes first");
            }
        }
        assertEquals(1, Opcode.I32_LOAD16_U.naturalAlignment());
        assertEquals(3, Opcode.I64_LOAD.naturalAlignment());
        assertEquals(3, Opcode.V128_LOAD8X8_S.naturalAlignment());
        assertEquals(4, Opcode.V128_STORE.naturalAlignment());
    }

    @Test
    void signaturesAndLanes() {
        assertEquals(2, Opcode.I64_STORE8.operandCount());
        assertEquals(ValType.I64, Opcode.I64_STORE8.operand(1));
        assertNull(Opcode.I64_STORE8.result());
        assertEquals(ValType.F64, Opcode.F64_CONVERT_I64_U.result());
        assertEquals(0, Opcode.NOP.operandCount());
        assertNull(Opcode.NOP.result());
        assertEquals(ValType.FUNCREF, Opcode.REF_FUNC.result());
        assertTrue(Opcode.LOCAL_GET.hasSpecialType());
        assertTrue(Opcode.TABLE_GROW.hasSpecialType());
        assertEquals(16, Opcode.I8X16_EXTRACT_LANE_S.lanes());
        assertEquals(2, Opcode.F64X2_REPLACE_LANE.lanes());
        assertEquals(2, Opcode.V128_LOAD64_LANE.lanes());
        assertEquals(16, Opcode.V128_STORE8_LANE.lanes());
        assertEquals(0, Opcode.V128_LOAD.lanes());
    }
}
