package org.lwp4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end of {@code bash bench.sh}: reads JMH's JSON results ({@code -rf json -rff FILE}) and
 * prints one line per comparison: the lwp4j figure, its baseline, the ratio with its error, the
 * goal, and whether the goal is met.
 *
 * <pre>java -cp park-bench/target/benchmarks.jar org.lwp4j.bench.Summary park-bench/target/jmh-result.json</pre>
 *
 * <p>The comparisons are the table {@link #PAIRS}, one line each: a name, the lwp4j row, the
 * baseline's name and row, and the goal (the largest ratio lwp4j / baseline that meets it, NaN
 * for none). A row is {@code "Class.method"} (for a {@code @Group}, the group's name), then
 * optional {@code name=value} parameters, and {@code :metric} after the method for a secondary
 * metric (an {@code @AuxCounters} field) instead of the primary score. To compare a new peer,
 * add a line. A comparison whose rows are not in the results (a benchmark that did not run, a
 * peer not yet written) is listed under "not in this run", never an error.
 *
 * <p>Errors: JMH's score error is the half-width of its 99.9 % confidence interval (NaN with a
 * single iteration). The ratio's error is propagated to first order,
 * {@code e(r) = r * sqrt((e(a)/a)^2 + (e(b)/b)^2)}. The verdict is {@code met} when
 * {@code r + e(r) <= goal}, {@code NOT met} when {@code r - e(r) > goal}, and {@code unclear}
 * when the goal lies within the error (run more forks or iterations); with no error known it
 * judges the ratio alone and says so.
 */
public final class Summary {
    private static final double NO_GOAL = Double.NaN;
    private static final double FLAT = 1.5;

    /** What is compared with what, and the goal. One line per comparison; add lines freely. */
    static final List<Pair> PAIRS = List.of(
            pair("hand-off round trip, 1 pair", "PingPongBench.pingPong impl=lwpHandoff pairs=1",
                    "LockSupport", "PingPongBench.pingPong impl=lockSupport pairs=1", 0.1),
            pair("hand-off round trip, 1 pair", "PingPongBench.pingPong impl=lwpHandoff pairs=1",
                    "SynchronousQueue", "PingPongBench.pingPong impl=synchronousQueue pairs=1", 1.0),
            pair("hand-off round trip, 1 pair", "PingPongBench.pingPong impl=lwpHandoff pairs=1",
                    "spin-then-park on LockSupport", "PingPongBench.pingPong impl=spinThenPark pairs=1", 1.0),
            pair("hand-off round trip, 1 pair", "PingPongBench.pingPong impl=lwpHandoff pairs=1",
                    "Exchanger", "PingPongBench.pingPong impl=exchanger pairs=1", 1.0),
            pair("hand-off round trip, 1 pair", "PingPongBench.pingPong impl=lwpHandoff pairs=1",
                    "LinkedTransferQueue", "PingPongBench.pingPong impl=transferQueue pairs=1", 1.0),
            pair("await hand-off, 1 pair", "PingPongBench.pingPong impl=lwpAwait pairs=1",
                    "LockSupport", "PingPongBench.pingPong impl=lockSupport pairs=1", 0.1),
            pair("await hand-off, 1 pair", "PingPongBench.pingPong impl=lwpAwait pairs=1",
                    "spin-then-park on LockSupport", "PingPongBench.pingPong impl=spinThenPark pairs=1", 1.0),
            pair("await hand-off, 1 pair", "PingPongBench.pingPong impl=lwpAwait pairs=1",
                    "Exchanger", "PingPongBench.pingPong impl=exchanger pairs=1", 1.0),
            pair("unpark + parkUntil, 1 pair", "PingPongBench.pingPong impl=lwpUnpark pairs=1",
                    "LockSupport", "PingPongBench.pingPong impl=lockSupport pairs=1", NO_GOAL),
            pair("hand-off round trip, 4 pairs", "PingPongBench.pingPong impl=lwpHandoff pairs=4",
                    "LockSupport", "PingPongBench.pingPong impl=lockSupport pairs=4", 0.5),
            pair("hand-off round trip, 4 pairs", "PingPongBench.pingPong impl=lwpHandoff pairs=4",
                    "spin-then-park on LockSupport", "PingPongBench.pingPong impl=spinThenPark pairs=4", 1.0),
            pair("hand-off round trip, 4 pairs", "PingPongBench.pingPong impl=lwpHandoff pairs=4",
                    "Exchanger", "PingPongBench.pingPong impl=exchanger pairs=4", 1.0),
            pair("hand-off round trip, 4 pairs", "PingPongBench.pingPong impl=lwpHandoff pairs=4",
                    "LinkedTransferQueue", "PingPongBench.pingPong impl=transferQueue pairs=4", 1.0),
            pair("hand-off round trip, 4 pairs", "PingPongBench.pingPong impl=lwpHandoff pairs=4",
                    "SynchronousQueue", "PingPongBench.pingPong impl=synchronousQueue pairs=4", 1.0),
            pair("await hand-off, 4 pairs", "PingPongBench.pingPong impl=lwpAwait pairs=4",
                    "LockSupport", "PingPongBench.pingPong impl=lockSupport pairs=4", 0.5),
            pair("await hand-off, 4 pairs", "PingPongBench.pingPong impl=lwpAwait pairs=4",
                    "spin-then-park on LockSupport", "PingPongBench.pingPong impl=spinThenPark pairs=4", 1.0),
            pair("await hand-off, 4 pairs", "PingPongBench.pingPong impl=lwpAwait pairs=4",
                    "Exchanger", "PingPongBench.pingPong impl=exchanger pairs=4", 1.0),
            pair("await hand-off, 4 pairs", "PingPongBench.pingPong impl=lwpAwait pairs=4",
                    "LinkedTransferQueue", "PingPongBench.pingPong impl=transferQueue pairs=4", 1.0),
            pair("await hand-off, 4 pairs", "PingPongBench.pingPong impl=lwpAwait pairs=4",
                    "SynchronousQueue", "PingPongBench.pingPong impl=synchronousQueue pairs=4", 1.0),
            pair("unpark + parkUntil, 4 pairs", "PingPongBench.pingPong impl=lwpUnpark pairs=4",
                    "LockSupport", "PingPongBench.pingPong impl=lockSupport pairs=4", NO_GOAL),
            pair("unpark, then park on the permit", "PermitBench.lwp",
                    "LockSupport", "PermitBench.lockSupport", 1.2),
            pair("wake 1024 parked LWPs", "UnparkAllBench.lwp",
                    "LockSupport loop", "UnparkAllBench.lockSupport", 1.2),
            pair("create + exit + waitFor", "ThreadStartBench.lwp",
                    "Thread.start + join", "ThreadStartBench.thread", 1.1),
            pair("fork + exit + waitpid", "ThreadStartBench.process",
                    "Thread.start + join", "ThreadStartBench.thread", NO_GOAL),
            pair("create + exit + waitFor", "ThreadStartBench.lwp",
                    "cached pool submit + get", "ThreadStartBench.cachedPool", 1.2),
            pair("fork + exit + waitpid", "ThreadStartBench.process",
                    "cached pool submit + get", "ThreadStartBench.cachedPool", 1.5),
            pair("create + exit + waitFor (JDK 21+)", "ThreadStartBench.lwp",
                    "virtual thread start + join", "ThreadStartBench.virtualThread", 2.0),
            pair("hand-off, 10,000 sleepers on its hint", "CrowdBench.crowd sleepers=10000 hints=same",
                    "10 sleepers", "CrowdBench.crowd sleepers=10 hints=same", FLAT),
            pair("hand-off, 10,000 sleepers, own hints", "CrowdBench.crowd sleepers=10000 hints=distinct",
                    "10 sleepers", "CrowdBench.crowd sleepers=10 hints=distinct", FLAT),
            pair("wait-any per child, N = 10,000", "WaitAnyBench.reapAll:children n=10000",
                    "N = 10", "WaitAnyBench.reapAll:children n=10", FLAT));

    private Summary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp benchmarks.jar org.lwp4j.bench.Summary JMH-RESULT.json");
            System.exit(2);
        }
        List<Result> results = Result.parseAll(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        print(results, PAIRS, System.out);
    }

    // ------------------------------------------------------------------ the table

    /** One comparison: lwp4j's row against a baseline's row, with the goal on their ratio. */
    record Pair(String what, Selector lwp, String baselineName, Selector baseline, double goal) {
    }

    static Pair pair(String what, String lwp, String baselineName, String baseline, double goal) {
        return new Pair(what, Selector.parse(lwp), baselineName, Selector.parse(baseline), goal);
    }

    /** Which result and metric: {@code Class.method[:metric] [param=value ...]}. */
    record Selector(String benchmark, String metric, Map<String, String> params) {
        static Selector parse(String s) {
            String[] words = s.trim().split("\\s+");
            String bench = words[0];
            String metric = null;
            int colon = bench.indexOf(':');
            if (colon >= 0) {
                metric = bench.substring(colon + 1);
                bench = bench.substring(0, colon);
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 1; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("not name=value: " + words[i] + " in " + s);
                }
                params.put(words[i].substring(0, eq), words[i].substring(eq + 1));
            }
            return new Selector(bench, metric, params);
        }

        /** The matching figure among {@code results}, or null. */
        Figure find(List<Result> results) {
            for (Result r : results) {
                if ((r.benchmark.equals(benchmark) || r.benchmark.endsWith("." + benchmark))
                        && r.params.entrySet().containsAll(params.entrySet())) {
                    Figure f = metric == null ? r.primary : r.secondary.get(metric);
                    if (f != null) {
                        return f;
                    }
                }
            }
            return null;
        }
    }

    /** A score, its error (half-width of the 99.9 % interval, NaN if unknown) and unit. */
    record Figure(double score, double error, String unit) {
        /** The score in nanoseconds per operation (time units per op), or NaN for another unit. */
        double nanos() {
            return score * nanosPer(unit);
        }

        double errorNanos() {
            return error * nanosPer(unit);
        }

        private static double nanosPer(String unit) {
            switch (unit.replace("/op", "")) {
                case "ns": return 1;
                case "us": return 1e3;
                case "ms": return 1e6;
                case "s": return 1e9;
                default: return Double.NaN;
            }
        }

        @Override
        public String toString() {
            return withError(score, error) + " " + unit.replace("/op", "");
        }
    }

    /** A ratio lwp4j / baseline with its propagated error. */
    record Ratio(double value, double error) {
        static Ratio of(Figure a, Figure b) {
            double r = a.nanos() / b.nanos();
            double ra = a.errorNanos() / a.nanos();
            double rb = b.errorNanos() / b.nanos();
            return new Ratio(r, r * Math.sqrt(ra * ra + rb * rb));
        }

        String verdict(double goal) {
            if (Double.isNaN(goal)) {
                return "";
            }
            if (Double.isNaN(error)) {
                return (value <= goal ? "met" : "NOT met") + " (error unknown)";
            }
            if (value + error <= goal) {
                return "met";
            }
            return value - error > goal ? "NOT met" : "unclear (goal within error)";
        }

        @Override
        public String toString() {
            return withError(value, error) + " x";
        }
    }

    // ------------------------------------------------------------------ printing

    static void print(List<Result> results, List<Pair> pairs, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int met = 0;
        int notMet = 0;
        int unclear = 0;
        int skipped = 0;
        for (Pair p : pairs) {
            Figure a = p.lwp.find(results);
            Figure b = p.baseline.find(results);
            if (a == null || b == null) {
                String absent = (a == null ? p.lwp : p.baseline).benchmark;
                absent = absent.substring(0, Math.max(0, absent.lastIndexOf('.')));
                if (!missing.contains(absent)) {
                    missing.add(absent);
                }
                skipped++;
                continue;
            }
            Ratio r = Ratio.of(a, b);
            String verdict = r.verdict(p.goal);
            if (verdict.startsWith("met")) {
                met++;
            } else if (verdict.startsWith("NOT")) {
                notMet++;
            } else if (!verdict.isEmpty()) {
                unclear++;
            }
            rows.add(new String[] {p.what, a.toString(), p.baselineName + " " + b, r.toString(),
                Double.isNaN(p.goal) ? "" : "<= " + p.goal + " x", verdict});
        }
        out.println("lwp4j beside its baselines (JMH average time per op, ± the 99.9 % interval;");
        out.println("ratio = lwp4j / baseline, its error propagated; flat = the largest N within "
                + FLAT + " x the smallest)");
        out.println();
        String[] head = {"benchmark", "lwp4j", "baseline", "ratio", "goal", "verdict"};
        int[] w = new int[head.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = head[i].length();
            for (String[] row : rows) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        out.println(line(head, w));
        for (String[] row : rows) {
            out.println(line(row, w));
        }
        if (rows.isEmpty()) {
            out.println("(no comparison: none of its rows ran)");
        }
        out.println();
        if (skipped > 0) {
            out.println(skipped + " comparison(s) not in this run (no results of " + String.join(", ", missing) + ")");
        }
        out.println("goals: " + met + " met, " + notMet + " not met, " + unclear + " unclear");
    }

    private static String line(String[] cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? "" : "  ").append(cells[i]);
            if (i < cells.length - 1) {
                sb.append(" ".repeat(w[i] - cells[i].length()));
            }
        }
        return sb.toString().stripTrailing();
    }

    /** Three significant digits (no decimals from 100 on). */
    static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%." + decimals(v) + "f", v);
    }

    /** A value and its error, the error with as many decimals as the value. */
    static String withError(double v, double e) {
        return num(v) + (Double.isNaN(e) || Double.isNaN(v) ? ""
                : " ± " + String.format(Locale.ROOT, "%." + decimals(v) + "f", e));
    }

    private static int decimals(double v) {
        double a = Math.abs(v);
        return a == 0 || Double.isInfinite(a) ? 0 : (int) Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(a))));
    }

    // ------------------------------------------------------------------ JMH's JSON

    /** One element of JMH's JSON array: a benchmark with its parameters and metrics. */
    static final class Result {
        final String benchmark;
        final Map<String, String> params;
        final Figure primary;
        final Map<String, Figure> secondary;

        private Result(String benchmark, Map<String, String> params, Figure primary, Map<String, Figure> secondary) {
            this.benchmark = benchmark;
            this.params = params;
            this.primary = primary;
            this.secondary = secondary;
        }

        @SuppressWarnings("unchecked")
        static List<Result> parseAll(String json) {
            List<Result> out = new ArrayList<>();
            for (Object o : (List<Object>) new Json(json).value()) {
                Map<String, Object> m = (Map<String, Object>) o;
                Map<String, String> params = new LinkedHashMap<>();
                Object ps = m.get("params");
                if (ps instanceof Map) {
                    ((Map<String, Object>) ps).forEach((k, v) -> params.put(k, String.valueOf(v)));
                }
                Map<String, Figure> secondary = new LinkedHashMap<>();
                Object sm = m.get("secondaryMetrics");
                if (sm instanceof Map) {
                    ((Map<String, Object>) sm).forEach((k, v) -> secondary.put(k, figure((Map<String, Object>) v)));
                }
                out.add(new Result((String) m.get("benchmark"), params,
                        figure((Map<String, Object>) m.get("primaryMetric")), secondary));
            }
            return out;
        }

        private static Figure figure(Map<String, Object> metric) {
            return new Figure(number(metric.get("score")), number(metric.get("scoreError")),
                    String.valueOf(metric.get("scoreUnit")));
        }

        private static double number(Object o) {
            if (o instanceof Double) {
                return (Double) o;
            }
            return o == null ? Double.NaN : Double.parseDouble(o.toString()); // "NaN" is a string in JMH's JSON
        }
    }

    /** A minimal JSON reader (objects, arrays, strings, numbers, true/false/null): enough for JMH. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default: return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            skip();
            if (s.charAt(i) == '}') {
                i++;
                return m;
            }
            for (;;) {
                skip();
                String k = string();
                skip();
                expect(':');
                m.put(k, value());
                skip();
                if (s.charAt(i++) == '}') {
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> a = new ArrayList<>();
            i++;
            skip();
            if (s.charAt(i) == ']') {
                i++;
                return a;
            }
            for (;;) {
                a.add(value());
                skip();
                if (s.charAt(i++) == ']') {
                    return a;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            for (char c; (c = s.charAt(i++)) != '"'; ) {
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n': sb.append('\n'); break;
                        case 't': sb.append('\t'); break;
                        case 'r': sb.append('\r'); break;
                        case 'b': sb.append('\b'); break;
                        case 'f': sb.append('\f'); break;
                        case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                        default: sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        private Double number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("JSON: unexpected '" + s.charAt(i) + "' at " + i);
            }
            return Double.parseDouble(s.substring(start, i));
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw new IllegalArgumentException("JSON: expected " + word + " at " + i);
            }
            i += word.length();
            return v;
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("JSON: expected '" + c + "' at " + i + ", found '" + s.charAt(i) + "'");
            }
            i++;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
