package dev.uniwasm.cli.e2e.net;

import dev.uniwasm.testkit.Commands;
import dev.uniwasm.testkit.TapNamespace;

/** The network tests' namespaces: testkit's {@link TapNamespace}, each with a TAP device of this name. */
final class TestNamespaces {
    static final String TAP = "uwtap0";

    private TestNamespaces() {}

    /** {@code net} picks the addresses (10.net.x.y); each test class has its own. */
    static TapNamespace create(String prefix, int net, boolean reachableFromHost) {
        return TapNamespace.create(Commands.PLAIN, prefix, TAP, net, reachableFromHost);
    }
}
