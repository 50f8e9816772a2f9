package org.lwp4j.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary bench.sh ends with: pairs from JMH's JSON, ratios with propagated errors, verdicts. */
class SummaryTest {
    /** Two results as JMH 1.37 writes them (trimmed), one with an aux counter, one without an error. */
    private static final String JSON = "[\n"
            + "  {\"jmhVersion\" : \"1.37\", \"benchmark\" : \"org.lwp4j.bench.PermitBench.lwp\", \"mode\" : \"avgt\",\n"
            + "   \"primaryMetric\" : {\"score\" : 16.0, \"scoreError\" : 1.6, \"scoreConfidence\" : [14.4, 17.6],\n"
            + "      \"scoreUnit\" : \"ns/op\", \"rawData\" : [[16.0, 16.1]]}, \"secondaryMetrics\" : {}},\n"
            + "  {\"benchmark\" : \"org.lwp4j.bench.PermitBench.lockSupport\", \"mode\" : \"avgt\",\n"
            + "   \"primaryMetric\" : {\"score\" : 0.08, \"scoreError\" : 0.004, \"scoreUnit\" : \"us/op\"},\n"
            + "   \"secondaryMetrics\" : {}},\n"
            + "  {\"benchmark\" : \"org.lwp4j.bench.WaitAnyBench.reapAll\", \"params\" : {\"n\" : \"10\"},\n"
            + "   \"primaryMetric\" : {\"score\" : 9.0, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"us/op\"},\n"
            + "   \"secondaryMetrics\" : {\"children\" : {\"score\" : 0.5, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"us/op\"}}},\n"
            + "  {\"benchmark\" : \"org.lwp4j.bench.WaitAnyBench.reapAll\", \"params\" : {\"n\" : \"10000\"},\n"
            + "   \"primaryMetric\" : {\"score\" : 9000.0, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"us/op\"},\n"
            + "   \"secondaryMetrics\" : {\"children\" : {\"score\" : 0.9, \"scoreError\" : \"NaN\", \"scoreUnit\" : \"us/op\"}}}\n"
            + "]\n";

    private static String summary(List<Summary.Pair> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Summary.print(Summary.Result.parseAll(JSON), pairs, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theRatioConvertsUnitsAndPropagatesBothErrors() {
        Summary.Figure a = new Summary.Figure(16.0, 1.6, "ns/op");
        Summary.Figure b = new Summary.Figure(0.08, 0.004, "us/op");
        Summary.Ratio r = Summary.Ratio.of(a, b);
        assertEquals(0.2, r.value(), 1e-12);
        assertEquals(0.2 * Math.sqrt(0.1 * 0.1 + 0.05 * 0.05), r.error(), 1e-12);
    }

    @Test
    void theVerdictIsMetOnlyWhenTheWholeIntervalIsWithinTheGoal() {
        assertEquals("met", new Summary.Ratio(0.9, 0.1).verdict(1.0));
        assertEquals("unclear (goal within error)", new Summary.Ratio(0.95, 0.1).verdict(1.0));
        assertEquals("NOT met", new Summary.Ratio(1.2, 0.1).verdict(1.0));
        assertEquals("met (error unknown)", new Summary.Ratio(0.9, Double.NaN).verdict(1.0));
        assertEquals("", new Summary.Ratio(0.9, 0.1).verdict(Double.NaN));
    }

    @Test
    void eachPairIsPrintedBesideItsBaselineAndMissingRowsAreCountedNotFatal() {
        String s = summary(Summary.PAIRS);
        assertTrue(s.contains("unpark, then park on the permit  16.0 ± 1.6 ns  LockSupport 0.0800 ± 0.0040 us"), s);
        assertTrue(s.contains("0.200 ± 0.022 x  <= 1.2 x  met"), s);
        assertTrue(s.contains("wait-any per child, N = 10,000"), s);
        assertTrue(s.contains("1.80 x"), s); // 0.9 / 0.5, the aux counter, not the primary score
        assertTrue(s.contains("NOT met (error unknown)"), s);
        assertTrue(s.contains("comparison(s) not in this run (no results of PingPongBench, UnparkAllBench,"
                + " ThreadStartBench, CrowdBench)"), s);
        assertTrue(s.endsWith("goals: 1 met, 1 not met, 0 unclear\n"), s);
    }

    @Test
    void numbersKeepThreeSignificantDigitsAndErrorsTheSameDecimals() {
        assertEquals("16.5", Summary.num(16.5));
        assertEquals("3807", Summary.num(3807.2));
        assertEquals("0.00800", Summary.num(0.008));
        assertEquals("0.345 ± 0.022", Summary.withError(0.345, 0.0221));
        assertEquals("44.4 ± 26.6", Summary.withError(44.4, 26.6));
        assertEquals("113 ± 4", Summary.withError(113.0, 3.8));
        assertEquals("1.50", Summary.num(1.5));
        assertEquals("7.00", Summary.withError(7.0, Double.NaN));
    }

    @Test
    void aSelectorReadsMethodMetricAndParameters() {
        Summary.Selector sel = Summary.Selector.parse("WaitAnyBench.reapAll:children n=10000");
        assertEquals("WaitAnyBench.reapAll", sel.benchmark());
        assertEquals("children", sel.metric());
        assertEquals("10000", sel.params().get("n"));
        assertThrows(IllegalArgumentException.class, () -> Summary.Selector.parse("PermitBench.lwp n"));
    }

    @Test
    void noResultsAtAllStillPrintsTheTableHeadAndTheCount() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Summary.print(Summary.Result.parseAll("[]"), Summary.PAIRS, new PrintStream(out, true, StandardCharsets.UTF_8));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("(no comparison: none of its rows ran)"), s);
        assertTrue(s.contains(Summary.PAIRS.size() + " comparison(s) not in this run"), s);
    }
}
