package dev.uniwasm.cli;

import picocli.CommandLine;

/** {@code --env NAME=VALUE}, or {@code --env NAME} to pass on the host's value (as wasmtime does). */
record EnvironmentVariable(String name, String value) {
    String assignment() {
        return name + "=" + value;
    }

    static final class Converter implements CommandLine.ITypeConverter<EnvironmentVariable> {
        @Override
        public EnvironmentVariable convert(String text) {
            int eq = text.indexOf('=');
            String name = eq < 0 ? text : text.substring(0, eq);
            if (name.isEmpty())
                throw new CommandLine.TypeConversionException(
                        "'" + text + "' has no variable name (expected NAME=VALUE)");
            if (name.indexOf('\0') >= 0 || (eq >= 0 && text.indexOf('\0', eq) >= 0)) {
                throw new CommandLine.TypeConversionException("'" + name + "' contains a NUL byte");
            }
            if (eq >= 0) return new EnvironmentVariable(name, text.substring(eq + 1));
            String inherited;
            try {
                inherited = HostText.environment(name);
            } catch (UsageException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
            if (inherited == null) {
                throw new CommandLine.TypeConversionException(
                        "'" + name + "' is not set in the host environment (use NAME=VALUE)");
            }
            return new EnvironmentVariable(name, inherited);
        }
    }
}
