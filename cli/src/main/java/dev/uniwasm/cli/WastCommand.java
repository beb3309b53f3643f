package dev.uniwasm.cli;

import dev.uniwasm.wast.WastRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "wast",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "Runs WebAssembly spec test scripts (.wast) against the compiler on this host.",
            "Exit status 0 when every assertion passed, 1 otherwise."
        })
final class WastCommand implements Callable<Integer>, SessionFactory.SessionAware {
    @Parameters(arity = "1..*", paramLabel = "FILE.wast", description = "Spec test scripts.")
    List<Path> files;

    private Session session;

    @Override
    public void session(Session s) {
        this.session = s;
    }

    @Override
    public Integer call() {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) throw new UsageException(f + ": no such file");
        }
        return WastRunner.run(files, session.outText);
    }
}
