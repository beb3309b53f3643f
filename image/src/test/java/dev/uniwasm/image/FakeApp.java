package dev.uniwasm.image;

import dev.uniwasm.toolchain.Toolchain;
import dev.uniwasm.wasm.Export;
import dev.uniwasm.wasm.ExternKind;
import dev.uniwasm.wasm.FuncType;
import dev.uniwasm.wasm.Import;
import dev.uniwasm.wasm.ImportDesc;
import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.ValType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The hand-written app of image/src/test/c/fake_app.c: its object and a Module describing it. */
final class FakeApp {
    private static Path object;

    private FakeApp() {}

    static synchronized Path object() throws Exception {
        if (object == null) {
            Path home = KernelBuild.repositoryRoot();
            Path dir = home.resolve("image/target/fake-app");
            Files.createDirectories(dir);
            Path obj = dir.resolve("fake_app.o");
            // Built like compiled apps: position-independent, small code model, red zone allowed.
            Toolchain.run(List.of(
                    Toolchain.clang().toString(),
                    "--target=x86_64-unknown-linux-gnu",
                    "-O2",
                    "-g",
                    "-fPIC",
                    "-ffreestanding",
                    "-fno-stack-protector",
                    "-march=x86-64-v2",
                    "-I" + home.resolve("runtime/include"),
                    "-c",
                    home.resolve("image/src/test/c/fake_app.c").toString(),
                    "-o",
                    obj.toString()));
            object = obj;
        }
        return object;
    }

    static FuncType type(String signature) {
        String[] parts = signature.split(":", -1);
        return new FuncType(letters(parts[0]), letters(parts[1]));
    }

    private static List<ValType> letters(String s) {
        return s.chars()
                .mapToObj(c -> switch (c) {
                    case 'i' -> ValType.I32;
                    case 'l' -> ValType.I64;
                    case 'f' -> ValType.F32;
                    case 'd' -> ValType.F64;
                    default -> throw new IllegalArgumentException("letter " + (char) c);
                })
                .toList();
    }

    /** A module whose imports and exports are those of fake_app.c's uw_module. */
    static Module module() {
        Module m = new Module(new byte[0]);
        String[][] imports = {
            {"fd_write", "iiii:i"},
            {"fd_read", "iiii:i"},
            {"args_sizes_get", "ii:i"},
            {"args_get", "ii:i"},
            {"environ_sizes_get", "ii:i"},
            {"environ_get", "ii:i"},
            {"proc_exit", "i:"},
            {"clock_time_get", "ili:i"},
            {"random_get", "ii:i"},
            {"proc_raise", "i:i"},
        };
        for (String[] imp : imports) addImport(m, WasiFunctions.MODULE, imp[0], imp[1]);
        m.types.add(type(":"));
        m.funcTypes.add(m.types.size() - 1);
        m.exports.add(new Export("_start", ExternKind.FUNC, m.funcTypes.size() - 1));
        return m;
    }

    static void addImport(Module m, String module, String name, String signature) {
        m.types.add(type(signature));
        int typeIndex = m.types.size() - 1;
        m.imports.add(new Import(module, name, new ImportDesc.Func(typeIndex)));
        m.funcTypes.add(typeIndex);
        m.numImportedFuncs++;
    }

    static Path image(Path dir, BootConfig baked) throws Exception {
        Path img = dir.resolve("fake.img");
        ImageLinker.link(object(), module(), baked, img);
        return img;
    }
}
