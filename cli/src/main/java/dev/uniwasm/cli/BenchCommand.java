package dev.uniwasm.cli;

import dev.uniwasm.bench.Bench;
import dev.uniwasm.bench.core.Suite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Runs benchmark suites (startup, compute, compile, http, density, containers; all when none is named) against native code and "
                + "other Wasm runtimes, checks every output, and writes report.md, results.csv and PNG charts into "
                + "bench/results/<date>/.",
            "Exit status 0 when every suite passed its checks, 1 when a run failed or an output was wrong."})
final class BenchCommand implements Callable<Integer>, SessionFactory.SessionAware {
    @Parameters(arity = "0..*", paramLabel = "SUITE", description = "Suites to run: startup, compute, compile, http, density, containers (default: all).")
    List<String> suites = new ArrayList<>();

    @Option(names = "--quick", description = "Small inputs and few runs: a check that everything works, in a few minutes.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: bench/results/<yyyy-mm-dd> in the repository).")
    Path out;

    private Session session;

    @Override
    public void session(Session s) {
        this.session = s;
    }

    @Override
    public Integer call() {
        String homeProperty = System.getProperty("uniwasm.home");
        if (homeProperty == null) throw new UsageException("bench needs the repository (run it through the ./uniwasm launcher, which sets uniwasm.home)");
        Path home = Path.of(homeProperty).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bench").resolve("pom.xml"))) throw new UsageException("bench: " + home + " is not a uniwasm repository (no bench/pom.xml)");
        List<Suite> chosen;
        try {
            chosen = Bench.select(suites);
        } catch (IllegalArgumentException e) {
            throw new UsageException("bench: " + e.getMessage());
        }
        Path folder = out != null ? out.toAbsolutePath() : Bench.defaultOut(home);
        List<String> invocation = new ArrayList<>(List.of("uniwasm", "bench"));
        invocation.addAll(suites);
        if (quick) invocation.add("--quick");
        if (out != null) invocation.addAll(List.of("--out", out.toString()));
        return Bench.run(home, chosen, quick, folder, invocation, session.err);
    }
}
