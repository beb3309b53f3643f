package dev.uniwasm.cli;

import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.image.ImageLinker;
import dev.uniwasm.wasm.Export;
import dev.uniwasm.wasm.ExternKind;
import dev.uniwasm.wasm.GlobalType;
import dev.uniwasm.wasm.Import;
import dev.uniwasm.wasm.ImportDesc;
import dev.uniwasm.wasm.Limits;
import dev.uniwasm.wasm.MemoryType;
import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.TableType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "Decodes and validates a module and lists its sections, imports, exports, memories, tables and globals.",
            "Imports that no uniwasm kernel provides are marked 'not provided' (a build would reject them); "
                    + "the exit status is 0 for any valid module."
        })
final class InspectCommand implements Callable<Integer>, SessionFactory.SessionAware {
    @Parameters(index = "0", paramLabel = "APP.wasm", description = "The WebAssembly module.")
    Path wasm;

    private Session session;

    @Override
    public void session(Session s) {
        this.session = s;
    }

    @Override
    public Integer call() {
        byte[] bytes = InputFile.read(wasm);
        Module m = ModuleLoader.load(new Compiler(CompileOptions.defaults()), wasm, bytes);
        PrintStream out = session.outText;
        out.println(wasm + ": " + bytes.length + " bytes");
        out.println("sections:");
        for (SectionScanner.Section s : SectionScanner.scan(bytes)) {
            out.printf("  %-24s %10d bytes at 0x%x%n", s.name(), s.size(), s.offset());
        }
        int defined = m.numFuncs() - m.numImportedFuncs;
        out.println("functions: " + m.numFuncs() + " (" + m.numImportedFuncs + " imported, " + defined + " defined)");
        // What a build would reject is shown, not raised: inspect describes any valid module.
        List<String> problems =
                m.imports.stream().map(imp -> ImageLinker.importProblem(m, imp)).toList();
        long missing = problems.stream().filter(Objects::nonNull).count();
        out.println("imports: " + m.imports.size()
                + (missing == 0 ? "" : " (" + missing + " that no uniwasm kernel provides)"));
        for (int i = 0; i < m.imports.size(); i++) {
            Import imp = m.imports.get(i);
            out.println("  " + kind(imp.desc().kind()) + " " + imp.module() + "." + imp.name() + " "
                    + describe(m, imp.desc())
                    + (problems.get(i) == null ? "" : "\n    not provided: " + problems.get(i)));
        }
        out.println("exports: " + m.exports.size());
        for (Export e : m.exports) {
            String what =
                    e.kind() == ExternKind.FUNC ? " " + m.funcType(e.index()).text() : "";
            out.println("  " + kind(e.kind()) + " " + e.name() + " -> "
                    + kind(e.kind()).strip() + "[" + e.index() + "]" + what);
        }
        out.println("memories: " + m.memories.size());
        for (int i = 0; i < m.memories.size(); i++) {
            out.println("  memory[" + i + "] " + limits(m.memories.get(i).limits(), "pages")
                    + origin(i < m.numImportedMemories));
        }
        out.println("tables: " + m.tables.size());
        for (int i = 0; i < m.tables.size(); i++) {
            TableType t = m.tables.get(i);
            out.println("  table[" + i + "] " + t.elemType() + " " + limits(t.limits(), "elements")
                    + origin(i < m.numImportedTables));
        }
        out.println("globals: " + m.globalTypes.size());
        for (int i = 0; i < m.globalTypes.size(); i++) {
            out.println("  global[" + i + "] " + global(m.globalTypes.get(i)) + origin(i < m.numImportedGlobals));
        }
        if (m.startFunction >= 0) out.println("start: func[" + m.startFunction + "]");
        return 0;
    }

    private static String kind(ExternKind k) {
        return String.format("%-6s", k.name().toLowerCase());
    }

    private static String describe(Module m, ImportDesc d) {
        return switch (d) {
            case ImportDesc.Func f -> m.types.get(f.typeIndex()).text();
            case TableType t -> t.elemType() + " " + limits(t.limits(), "elements");
            case MemoryType mem -> limits(mem.limits(), "pages");
            case GlobalType g -> global(g);
        };
    }

    private static String limits(Limits l, String unit) {
        return "min " + l.min() + " " + unit + ", max " + (l.hasMax() ? String.valueOf(l.max()) : "none");
    }

    private static String global(GlobalType g) {
        return (g.mutable() ? "mut " : "const ") + g.type();
    }

    private static String origin(boolean imported) {
        return imported ? " (imported)" : "";
    }
}
