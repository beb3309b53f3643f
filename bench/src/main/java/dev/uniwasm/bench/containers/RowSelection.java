package dev.uniwasm.bench.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which rows and scales of the containers suite run ({@code uniwasm bench containers --rows
 * APP/RUNTIME,... --scales N,...}): a rerun of a few rows without the hour of a full run. A pattern
 * is {@code APP/RUNTIME}, either part a name from {@link ContainerApps#APPS} or {@link
 * ContainersSuite#RUNTIMES}, or {@code *}; {@code rows} null means every row, {@code scales} null the
 * suite's own (10, 100, 400; quick: 10).
 */
public record RowSelection(List<String> rows, List<Integer> scales) {
    /** Every row at the suite's own scales. */
    public static final RowSelection ALL = new RowSelection(null, null);
    /** More containers than this are more than this bench's machines hold (400 VMs take about 8 GiB). */
    public static final int MAX_SCALE = 1000;

    public RowSelection {
        rows = rows == null ? null : List.copyOf(rows);
        scales = scales == null ? null : List.copyOf(scales);
    }

    /**
     * The selection of the flags' values (null: the flag was not given). Throws
     * IllegalArgumentException with a one-line message naming the flag and the valid values.
     */
    public static RowSelection parse(String rows, String scales) {
        return new RowSelection(rows == null ? null : parseRows(rows), scales == null ? null : parseScales(scales));
    }

    private static List<String> parseRows(String value) {
        List<String> apps =
                ContainerApps.APPS.stream().map(ContainerApps.App::name).toList();
        List<String> runtimes = ContainersSuite.RUNTIMES.stream()
                .map(ContainersSuite.Runtime::name)
                .toList();
        List<String> patterns = new ArrayList<>();
        for (String p : value.split(",", -1)) {
            String pattern = p.strip();
            int slash = pattern.indexOf('/');
            if (slash < 0 || pattern.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("--rows: '" + pattern + "' is not APP/RUNTIME (apps: "
                        + String.join(", ", apps) + ", *; runtimes: " + String.join(", ", runtimes) + ", *)");
            }
            String app = pattern.substring(0, slash), runtime = pattern.substring(slash + 1);
            if (!app.equals("*") && !apps.contains(app)) {
                throw new IllegalArgumentException("--rows: unknown app '" + app + "' in '" + pattern + "' (apps: "
                        + String.join(", ", apps) + ", *)");
            }
            if (!runtime.equals("*") && !runtimes.contains(runtime)) {
                throw new IllegalArgumentException("--rows: unknown runtime '" + runtime + "' in '" + pattern
                        + "' (runtimes: " + String.join(", ", runtimes) + ", *)");
            }
            if (!patterns.contains(pattern)) patterns.add(pattern);
        }
        return patterns;
    }

    private static List<Integer> parseScales(String value) {
        TreeSet<Integer> scales = new TreeSet<>();
        for (String s : value.split(",", -1)) {
            int n;
            try {
                n = Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1 || n > MAX_SCALE) {
                throw new IllegalArgumentException("--scales: '" + s.strip()
                        + "' is not a number of containers from 1 to " + MAX_SCALE + " (e.g. --scales 10,100,400)");
            }
            scales.add(n);
        }
        return List.copyOf(scales);
    }

    /** Whether the row of {@code app} under {@code runtime} runs. */
    boolean selects(String app, String runtime) {
        if (rows == null) return true;
        for (String p : rows) {
            int slash = p.indexOf('/');
            String a = p.substring(0, slash), r = p.substring(slash + 1);
            if ((a.equals("*") || a.equals(app)) && (r.equals("*") || r.equals(runtime))) return true;
        }
        return false;
    }

    /** The scales to run: the selection's, else the suite's own. */
    List<Integer> scalesOr(List<Integer> suites) {
        return scales == null ? suites : scales;
    }
}
