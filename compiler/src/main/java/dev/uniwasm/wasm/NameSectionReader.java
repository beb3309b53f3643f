package dev.uniwasm.wasm;

/**
 * Reads the custom "name" section's module name and function names. Custom sections carry no
 * validity requirement, so anything malformed simply ends the reading: names decoded before the
 * fault are kept, the module is never rejected.
 */
final class NameSectionReader {
    private static final int SUBSECTION_MODULE = 0;
    private static final int SUBSECTION_FUNCTIONS = 1;

    private NameSectionReader() {}

    static void read(Module module, byte[] bytes, int start, int end) {
        try {
            BinaryReader in = new BinaryReader(bytes, start, end);
            int lastId = -1;
            while (!in.atEnd()) {
                int id = in.u8();
                int size = in.count();
                int subsectionEnd = in.position() + size;
                // Subsections appear at most once, in increasing id order.
                if (id <= lastId) return;
                lastId = id;
                switch (id) {
                    case SUBSECTION_MODULE -> module.moduleName = in.name();
                    case SUBSECTION_FUNCTIONS -> readFunctionNames(module, in);
                    default -> {}
                }
                in.seek(subsectionEnd);
            }
        } catch (MalformedModuleException | IllegalArgumentException e) {
            // Ignored by design: a damaged name section only loses names.
        }
    }

    private static void readFunctionNames(Module module, BinaryReader in) {
        long n = in.u32AsLong();
        for (long i = 0; i < n; i++) {
            int index = in.u32();
            String name = in.name();
            module.functionNames.putIfAbsent(index, name);
        }
    }
}
