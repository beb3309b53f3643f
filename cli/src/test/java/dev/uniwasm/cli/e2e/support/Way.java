package dev.uniwasm.cli.e2e.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The ways of running an app (README.md, "Ways of running"), the one switch the end-to-end tests
 * are parametrised over: a test taking a Way (@ParameterizedTest @EnumSource(Way.class), or
 * {@link #cross} for tests with cases of their own) runs once per constant, with {@code uniwasm run}
 * and {@code uniwasm build} given that way's {@code --isolation}.
 */
public enum Way {
    VM("vm"),
    PROCESS("process");

    public final String isolation;

    Way(String isolation) {
        this.isolation = isolation;
    }

    /** {@code uniwasm run --isolation <way> ARGS...} */
    public Cli.Result run(String... args) {
        return runWithStdin("", args);
    }

    public Cli.Result runWithStdin(String stdin, String... args) {
        return Cli.runWithStdin(stdin, command("run", args));
    }

    /** {@code uniwasm build --isolation <way> ARGS...}: an image or an executable that 'run' of the same way takes */
    public Cli.Result build(String... args) {
        return Cli.run(command("build", args));
    }

    public String[] command(String subcommand, String... args) {
        List<String> cmd = new ArrayList<>(List.of(subcommand, "--isolation", isolation));
        cmd.addAll(Arrays.asList(args));
        return cmd.toArray(String[]::new);
    }

    /**
     * The flags that give the app a pre-opened listener the host reaches on 127.0.0.1:hostPort: the
     * VM listens on guestPort behind a published port (QEMU's user network); a process listens on
     * the host port itself (README.md, "Ways of running").
     */
    public List<String> listenFlags(int hostPort, int guestPort) {
        return this == VM
                ? List.of("--tcplisten", "0.0.0.0:" + guestPort, "--publish", "127.0.0.1:" + hostPort + ":" + guestPort)
                : List.of("--tcplisten", "127.0.0.1:" + hostPort);
    }

    /**
     * Where the app reaches the host's loopback, and where the host's connections to the app come
     * from: QEMU's user network shows the host to a VM as 10.0.2.2; a process has the host's own
     * sockets (README.md, "Outbound traffic" and "The network of a process").
     */
    public String hostAddress() {
        return this == VM ? "10.0.2.2" : "127.0.0.1";
    }

    /** {@code run --isolation <way> FLAGS... ARGS...} as one command line (for GuestRun). */
    public String[] runLine(List<String> flags, String... args) {
        List<String> cmd = new ArrayList<>(List.of("run", "--isolation", isolation));
        cmd.addAll(flags);
        cmd.addAll(Arrays.asList(args));
        return cmd.toArray(String[]::new);
    }

    /** Every way with every case: the arguments of a parametrised test whose first parameter is the Way. */
    public static Stream<Arguments> cross(Object[]... cases) {
        return Stream.of(values())
                .flatMap(way -> Stream.of(cases).map(c -> {
                    Object[] args = new Object[c.length + 1];
                    args[0] = way;
                    System.arraycopy(c, 0, args, 1, c.length);
                    return Arguments.of(args);
                }));
    }
}
