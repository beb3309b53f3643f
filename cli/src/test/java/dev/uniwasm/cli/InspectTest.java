package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class InspectTest {
    @Test
    void listsWhatTheModuleHas() throws Exception {
        var hello = Examples.wasm("hello");
        Cli.Result r = Cli.run("inspect", hello.toString());
        assertEquals(0, r.status(), r.toString());
        String out = r.out();
        assertTrue(out.startsWith(hello + ": " + Files.size(hello) + " bytes\n"), out);
        for (String section : new String[] {"type", "import", "function", "code", "export"}) {
            assertTrue(
                    out.lines().anyMatch(l -> l.strip().startsWith(section + " ")), "section " + section + ": " + out);
        }
        assertTrue(out.contains("  func   wasi_snapshot_preview1.fd_write (i32, i32, i32, i32) -> i32\n"), out);
        assertTrue(out.contains("  func   wasi_snapshot_preview1.proc_exit (i32) -> ()\n"), out);
        assertTrue(out.contains("  func   _start -> func["), out);
        assertTrue(out.contains("  memory memory -> memory[0]"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("functions: \\d+ \\(\\d+ imported, \\d+ defined\\)")), out);
        assertTrue(out.contains("memories: 1\n  memory[0] min "), out);
        assertTrue(out.contains("global[0] mut i32"), "the stack pointer: " + out);
    }

    @Test
    void sectionSizesAddUpToTheFile() throws Exception {
        byte[] bytes = Files.readAllBytes(Examples.wasm("hello"));
        long framing = 8;
        for (SectionScanner.Section s : SectionScanner.scan(bytes)) {
            int next = s.offset() + 1;
            while ((bytes[next] & 0x80) != 0) next++;
            framing += next + 1 - s.offset() + s.size();
        }
        assertEquals(bytes.length, framing);
    }
}
