package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.FuncType;
import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Opcode;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/** Tables, references and call_indirect. */
final class TableLowering {
    private TableLowering() {}

    static void lower(FunctionTranslator f, Opcode op, InstructionReader r) {
        switch (op) {
            case CALL_INDIRECT -> callIndirect(f, r.typeIndex, r.tableIndex, false);
            case RETURN_CALL_INDIRECT -> callIndirect(f, r.typeIndex, r.tableIndex, true);
            case REF_NULL -> f.push(LLVMConstNull(f.t.ptr));
            case REF_IS_NULL -> {
                LLVMValueRef isNull = LLVMBuildICmp(f.b, LLVMIntEQ, f.pop(), LLVMConstNull(f.t.ptr), "");
                f.push(LLVMBuildZExt(f.b, isNull, f.t.i32, ""));
            }
            case REF_FUNC -> f.push(f.loadFuncRecord(r.funcIndex));
            case TABLE_GET -> f.push(f.callRuntime("uw_table_get", f.vmctx, f.i32(r.tableIndex), f.pop()));
            case TABLE_SET -> {
                LLVMValueRef ref = f.pop(), index = f.pop();
                f.callRuntime("uw_table_set", f.vmctx, f.i32(r.tableIndex), index, ref);
            }
            case TABLE_SIZE -> f.push(tableSize(f, f.tableObject(r.tableIndex)));
            case TABLE_GROW -> {
                LLVMValueRef delta = f.pop(), init = f.pop();
                f.push(f.callRuntime("uw_table_grow", f.vmctx, f.i32(r.tableIndex), init, delta));
            }
            case TABLE_FILL -> {
                LLVMValueRef n = f.pop(), ref = f.pop(), dst = f.pop();
                f.callRuntime("uw_table_fill", f.vmctx, f.i32(r.tableIndex), dst, ref, n);
            }
            case TABLE_COPY -> {
                LLVMValueRef n = f.pop(), src = f.pop(), dst = f.pop();
                f.callRuntime("uw_table_copy", f.vmctx, f.i32(r.dstTable), f.i32(r.srcTable), dst, src, n);
            }
            case TABLE_INIT -> {
                LLVMValueRef n = f.pop(), src = f.pop(), dst = f.pop();
                f.callRuntime("uw_table_init", f.vmctx, f.i32(r.tableIndex), f.i32(r.elemIndex), dst, src, n);
            }
            case ELEM_DROP -> f.callRuntime("uw_elem_drop", f.vmctx, f.i32(r.elemIndex));
            default -> throw f.unsupported(op);
        }
    }

    private static LLVMValueRef tableSize(FunctionTranslator f, LLVMValueRef table) {
        LLVMValueRef size = LLVMBuildLoad2(f.b, f.t.i32, f.gep(table, Abi.TABLE_SIZE), "");
        LLVMSetAlignment(size, 4);
        return size;
    }

    /** Bounds, null and signature checks, then a call through the uw_func record. */
    private static void callIndirect(FunctionTranslator f, int typeIndex, int tableIndex, boolean tail) {
        FuncType type = f.module.types.get(typeIndex);
        LLVMValueRef index = f.pop();
        LLVMValueRef[] args = f.popArgs(type);
        LLVMValueRef table = f.tableObject(tableIndex);
        f.trapIf(LLVMBuildICmp(f.b, LLVMIntUGE, index, tableSize(f, table), ""), Abi.TRAP_UNDEFINED_ELEMENT);
        LLVMValueRef elems = f.loadPtr(table, Abi.TABLE_ELEMS, false);
        LLVMValueRef slot = f.gep(elems, LLVMBuildShl(f.b, LLVMBuildZExt(f.b, index, f.t.i64, ""), f.i64(3), ""));
        LLVMValueRef func = LLVMBuildLoad2(f.b, f.t.ptr, slot, "");
        LLVMSetAlignment(func, 8);
        f.trapIf(LLVMBuildICmp(f.b, LLVMIntEQ, func, LLVMConstNull(f.t.ptr), ""), Abi.TRAP_UNINIT_ELEMENT);
        LLVMValueRef actual = LLVMBuildLoad2(f.b, f.t.i32, f.gep(func, Abi.FUNC_TYPE_ID), "");
        LLVMSetAlignment(actual, 4);
        LLVMValueRef typeIds = f.loadInvariantPtr(f.vmctx, Abi.VMCTX_TYPE_IDS);
        LLVMValueRef expected = LLVMBuildLoad2(f.b, f.t.i32, f.gep(typeIds, 4L * typeIndex), "");
        LLVMSetAlignment(expected, 4);
        f.mt.markInvariant(expected);
        f.trapIf(LLVMBuildICmp(f.b, LLVMIntNE, actual, expected, ""), Abi.TRAP_INDIRECT_TYPE);
        args[0] = f.loadPtr(func, Abi.FUNC_CTX, false);
        LLVMValueRef code = f.loadPtr(func, Abi.FUNC_CODE, false);
        LLVMValueRef result =
                LLVMBuildCall2(f.b, f.t.function(type), code, new PointerPointer<>(args), args.length, "");
        if (tail) f.returnCall(result, f.t.function(type), type);
        else f.pushResults(result, type);
    }
}
