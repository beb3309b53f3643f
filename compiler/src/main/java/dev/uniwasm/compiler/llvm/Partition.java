package dev.uniwasm.compiler.llvm;

/**
 * A contiguous range of defined functions compiled as one LLVM module. Big Wasm modules are split
 * into many partitions compiled in parallel; partition 0 also carries the instance support.
 */
record Partition(int firstFunc, int endFunc, boolean holdsInstanceSupport, boolean isWhole) {
    static Partition whole(dev.uniwasm.wasm.Module m) {
        return new Partition(m.numImportedFuncs, m.numFuncs(), true, true);
    }

    boolean defines(int funcIndex) {
        return funcIndex >= firstFunc && funcIndex < endFunc;
    }

    int size() {
        return endFunc - firstFunc;
    }
}
