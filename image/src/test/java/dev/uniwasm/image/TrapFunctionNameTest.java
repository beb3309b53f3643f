package dev.uniwasm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.monitor.Accelerator;
import dev.uniwasm.monitor.KvmProbe;
import dev.uniwasm.monitor.Machine;
import dev.uniwasm.wasm.Module;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real compiled modules (image/src/test/wat/traps.wat, built with wat2wasm with and without its
 * name section) booted under QEMU: every kind of trap names the Wasm function it happened in.
 * The scenario is the argument count: argc - 1 picks the function from the module's table.
 */
class TrapFunctionNameTest {
    @TempDir
    static Path dir;

    static Accelerator accelerator;
    static Path named;
    static Path unnamed;
    static Module namedModule;

    @BeforeAll
    static void buildImages() throws Exception {
        accelerator = KvmProbe.accelerator();
        Path wat = KernelBuild.repositoryRoot().resolve("image/src/test/wat/traps.wat");
        byte[] withNames = wat2wasm(wat, true);
        byte[] withoutNames = wat2wasm(wat, false);
        namedModule = new Compiler(CompileOptions.defaults()).decodeAndValidate(withNames);
        assertEquals("boom", namedModule.functionNames.get(1), "wat2wasm --debug-names wrote a name section");
        named = image("named", withNames);
        unnamed = image("unnamed", withoutNames);
    }

    private static byte[] wat2wasm(Path wat, boolean names) throws Exception {
        Path out = dir.resolve(names ? "named.wasm" : "unnamed.wasm");
        List<String> cmd = new ArrayList<>(List.of("wat2wasm", wat.toString(), "-o", out.toString()));
        if (names) cmd.add("--debug-names");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "wat2wasm timed out");
        assertEquals(0, p.exitValue(), "wat2wasm failed: " + output);
        return Files.readAllBytes(out);
    }

    private static Path image(String name, byte[] wasm) throws Exception {
        Compiler compiler = new Compiler(CompileOptions.defaults());
        Module module = compiler.decodeAndValidate(wasm);
        Path object = dir.resolve(name + ".o");
        Files.write(object, compiler.compile(wasm));
        Path img = dir.resolve(name + ".img");
        ImageLinker.link(object, module, new BootConfig(List.of(name), List.of(), false), img);
        return img;
    }

    /** Boots with argv = [app, x, x, ...] so that argc - 1 = scenario. */
    private static Qemu.Result run(Path image, int scenario) throws Exception {
        List<String> argv = new ArrayList<>(List.of("app"));
        for (int i = 0; i < scenario; i++) argv.add("x");
        Path config = Files.createTempFile(dir, "config", ".bin");
        Files.write(config, new BootConfig(argv, List.of(), false).encode());
        return Qemu.boot(image, Machine.MICROVM, accelerator, config, null);
    }

    @Test
    void anExplicitTrapNamesItsFunction() throws Exception {
        Qemu.Result r = run(named, 0);
        assertEquals("trap: unreachable in function boom\n", r.stderr());
        assertEquals(129, r.status());
    }

    @Test
    void anOutOfBoundsFaultNamesItsFunction() throws Exception {
        Qemu.Result r = run(named, 1);
        assertEquals("trap: out of bounds memory access in function load_far\n", r.stderr());
        assertEquals(133, r.status());
    }

    @Test
    void stackExhaustionNamesTheRecursingFunction() throws Exception {
        Qemu.Result r = run(named, 2);
        assertEquals("trap: call stack exhausted in function recurse\n", r.stderr());
        assertEquals(138, r.status());
    }

    @Test
    void aTrapRaisedInsideTheRuntimeNamesTheWasmCaller() throws Exception {
        Qemu.Result r = run(named, 4);
        assertEquals("trap: out of bounds memory access in function fill_past_end\n", r.stderr());
        assertEquals(133, r.status());
    }

    @Test
    void withoutANameSectionTheIndexIsPrinted() throws Exception {
        Qemu.Result divide = run(unnamed, 3);
        assertEquals("trap: integer divide by zero in function #4\n", divide.stderr());
        assertEquals(130, divide.status());
        Qemu.Result fault = run(unnamed, 1);
        assertEquals("trap: out of bounds memory access in function #2\n", fault.stderr());
    }

    @Test
    void theMapCoversEveryCompiledFunctionOfTheImage() {
        List<ElfSymbols.Symbol> symbols = ElfSymbols.read(named);
        FunctionMap map = FunctionMap.build(symbols, namedModule, named.toString());
        assertFalse(map.isEmpty());
        for (ElfSymbols.Symbol s : symbols) {
            if (!s.name().startsWith("uw_f1.") || s.type() != ElfSymbols.STT_FUNC) continue;
            FunctionMap.Entry e = map.lookup(s.value());
            assertNotNull(e, s.name());
            assertEquals(1, e.funcIndex());
            assertEquals("boom", map.name(1));
            assertEquals(e, map.lookup(s.value() + s.size() - 1));
            assertTrue(map.lookup(s.value() + s.size()) == null
                    || map.lookup(s.value() + s.size()).funcIndex() != 1);
        }
        ElfSymbols.Symbol kernelMain = symbols.stream()
                .filter(s -> s.name().equals("kernel_main"))
                .findFirst()
                .orElseThrow();
        assertNull(map.lookup(kernelMain.value()), "kernel code is in no Wasm function");
        ElfSymbols.Symbol table = symbols.stream()
                .filter(s -> s.name().equals(ImageLinker.FUNCTION_MAP_SYMBOL))
                .findFirst()
                .orElseThrow();
        assertEquals(map.encode().length, table.size(), "the image holds the map built from its own symbols");
    }
}
