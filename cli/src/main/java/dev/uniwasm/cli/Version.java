package dev.uniwasm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** --version: the build's version (filled in by Maven) and the JVM it runs on. */
final class Version implements CommandLine.IVersionProvider {
    static String version() {
        try (InputStream in = Version.class.getResourceAsStream("uniwasm-version.properties")) {
            if (in == null) throw new IllegalStateException("uniwasm-version.properties is missing from the build");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"uniwasm " + version() + " (Java " + Runtime.version() + ")"};
    }
}
