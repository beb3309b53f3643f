package dev.uniwasm.wast;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code uniwasm wast FILE.wast|DIR...}: runs spec scripts; a directory means its .wast files. */
public final class WastMain {
    private WastMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: wast FILE.wast|DIRECTORY...");
            System.exit(2);
        }
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    files.addAll(s.filter(f -> f.toString().endsWith(".wast"))
                            .sorted()
                            .toList());
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                System.err.println("wast: no such file or directory: " + a);
                System.exit(2);
            }
        }
        System.exit(WastRunner.run(files, System.out));
    }
}
