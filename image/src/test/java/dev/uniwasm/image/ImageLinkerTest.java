package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.wasm.Export;
import dev.uniwasm.wasm.ExternKind;
import dev.uniwasm.wasm.Import;
import dev.uniwasm.wasm.Limits;
import dev.uniwasm.wasm.MemoryType;
import dev.uniwasm.wasm.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLinkerTest {
    @Test
    void knowsAllFortySixPreview1Functions() {
        assertEquals(46, WasiFunctions.count());
    }

    @Test
    void rejectsAnImportFromAnotherModule() {
        Module m = FakeApp.module();
        FakeApp.addImport(m, "env", "puts", "i:i");
        ImageException e = assertThrows(ImageException.class, () -> ImageLinker.checkImports(m));
        assertEquals("unknown import module \"env\" (import env.puts)", e.getMessage());
    }

    @Test
    void rejectsAnUnknownWasiFunction() {
        Module m = FakeApp.module();
        FakeApp.addImport(m, WasiFunctions.MODULE, "thread_spawn", "i:i");
        ImageException e = assertThrows(ImageException.class, () -> ImageLinker.checkImports(m));
        assertTrue(e.getMessage().contains("wasi_snapshot_preview1.thread_spawn"), e.getMessage());
    }

    @Test
    void rejectsAWasiFunctionWithTheWrongSignature() {
        Module m = FakeApp.module();
        FakeApp.addImport(m, WasiFunctions.MODULE, "sock_accept", "i:i");
        ImageException e = assertThrows(ImageException.class, () -> ImageLinker.checkImports(m));
        assertEquals(
                "import wasi_snapshot_preview1.sock_accept has type (i32) -> i32, but the kernel defines it as "
                        + "(i32, i32, i32) -> i32 or (i32, i32) -> i32",
                e.getMessage());
    }

    @Test
    void aNameImportedTwiceWithOneTypeBindsOnce() {
        Module m = FakeApp.module();
        FakeApp.addImport(m, WasiFunctions.MODULE, "fd_write", "iiii:i"); // fake_app imports it already
        FakeApp.addImport(m, WasiFunctions.MODULE, "sock_accept", "ii:i");
        FakeApp.addImport(m, WasiFunctions.MODULE, "sock_accept", "ii:i");
        assertEquals(
                List.of("--defsym=uw_imp.wasi_snapshot_preview1.sock_accept=uw_wasmedge_v1.sock_accept"),
                ImageLinker.importAliases(m));
    }

    @Test
    void aNameImportedTwiceWithTwoTypesIsAnError() {
        // Both are shapes the kernel has, but one symbol can be bound to only one of them.
        Module m = FakeApp.module();
        FakeApp.addImport(m, WasiFunctions.MODULE, "sock_accept", "iii:i");
        FakeApp.addImport(m, WasiFunctions.MODULE, "sock_accept", "ii:i");
        ImageException e = assertThrows(ImageException.class, () -> ImageLinker.checkImports(m));
        assertEquals(
                "import wasi_snapshot_preview1.sock_accept is imported twice with different types, "
                        + "(i32, i32, i32) -> i32 and (i32, i32) -> i32; the kernel binds a name to one function only",
                e.getMessage());
    }

    @Test
    void importProblemsAreOnePerImport() {
        Module m = FakeApp.module();
        FakeApp.addImport(m, "env", "puts", "i:i");
        List<String> problems =
                m.imports.stream().map(imp -> ImageLinker.importProblem(m, imp)).toList();
        assertEquals(Collections.nCopies(m.imports.size() - 1, null), problems.subList(0, m.imports.size() - 1));
        assertEquals("unknown import module \"env\" (import env.puts)", problems.get(m.imports.size() - 1));
    }

    @Test
    void bindsWasmEdgeShapesBySignature() {
        Module m = FakeApp.module();
        FakeApp.addImport(m, WasiFunctions.MODULE, "sock_accept", "ii:i"); // WasmEdge's 2-argument accept
        FakeApp.addImport(m, WasiFunctions.MODULE, "sock_recv_from", "iiiiiiii:i"); // its v2 shape
        FakeApp.addImport(m, WasiFunctions.MODULE, "sock_open", "iii:i");
        assertEquals(
                List.of(
                        "--defsym=uw_imp.wasi_snapshot_preview1.sock_accept=uw_wasmedge_v1.sock_accept",
                        "--defsym=uw_imp.wasi_snapshot_preview1.sock_recv_from=uw_wasmedge_v2.sock_recv_from"),
                ImageLinker.importAliases(m));
    }

    @Test
    void thePreview1AcceptNeedsNoAlias() {
        Module m = FakeApp.module();
        FakeApp.addImport(m, WasiFunctions.MODULE, "sock_accept", "iii:i");
        assertEquals(List.of(), ImageLinker.importAliases(m));
    }

    @Test
    void rejectsAMemoryImport() {
        Module m = FakeApp.module();
        m.imports.add(new Import(WasiFunctions.MODULE, "memory", new MemoryType(new Limits(1, 2L))));
        ImageException e = assertThrows(ImageException.class, () -> ImageLinker.checkImports(m));
        assertTrue(e.getMessage().contains("is a memory"), e.getMessage());
    }

    @Test
    void requiresAStartFunction() {
        Module m = FakeApp.module();
        m.exports.clear();
        ImageException e = assertThrows(ImageException.class, () -> ImageLinker.checkLinkable(m));
        assertTrue(e.getMessage().contains("_start"), e.getMessage());
    }

    @Test
    void startTakesAndReturnsNothing() {
        Module m = FakeApp.module();
        m.types.add(FakeApp.type("i:"));
        m.funcTypes.add(m.types.size() - 1);
        m.exports.set(0, new Export("_start", ExternKind.FUNC, m.funcTypes.size() - 1));
        ImageException e = assertThrows(ImageException.class, () -> ImageLinker.checkLinkable(m));
        assertEquals("export \"_start\" has type (i32) -> (), expected () -> ()", e.getMessage());
    }

    @Test
    void linksABootableElfWithThePvhNote(@TempDir Path dir) throws Exception {
        Path img = FakeApp.image(dir, new BootConfig(List.of("app"), List.of(), false));
        byte[] elf = Files.readAllBytes(img);
        assertEquals(0x7f, elf[0]);
        assertEquals('E', elf[1]);
        String text = new String(elf, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("Xen\0"), "PVH note present");
        assertTrue(text.contains("UWBC"), "baked boot config present");
    }

    @Test
    void aMissingObjectIsAClearError(@TempDir Path dir) {
        ImageException e = assertThrows(
                ImageException.class,
                () -> ImageLinker.link(
                        dir.resolve("nope.o"),
                        FakeApp.module(),
                        new BootConfig(List.of(), List.of(), false),
                        dir.resolve("x.img")));
        assertTrue(e.getMessage().contains("nope.o"), e.getMessage());
    }
}
