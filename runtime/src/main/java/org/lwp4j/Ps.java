package org.lwp4j;

import java.util.List;

/**
 * A ps-style snapshot of a supervisor: one row per LWP (and one per process that has none, such
 * as a zombie). Taken under the tree lock, so the process fields of a row are consistent; LWP
 * fields are read without locks and may be a moment apart.
 *
 * @param rows the rows, by pid then lid
 */
public record Ps(List<Row> rows) {
    /**
     * One LWP of one process.
     *
     * @param pid       process id
     * @param ppid      parent's pid (0 for init)
     * @param pgid      process group
     * @param sid       session
     * @param uid       owner
     * @param procState BSD ps's letter: R an LWP runs; S every live LWP sleeps (or none is
     *                  left, as init's when no thread is attached); T stopped (a job-control
     *                  stop is in force, or every live LWP is stopped or suspended); E exiting;
     *                  Z zombie
     * @param lid       LWP id (0 when the process has no LWP: its one row, printed {@code -})
     * @param lwpState  the LWP's state, null when lid is 0
     * @param wchan     what it sleeps on (hint, or a kernel channel: {@code lwpwait},
     *                  {@code wait}, {@code ppwait}, {@code peers}, {@code suspend} for a
     *                  suspended LWP, {@code stop} for a stopped one), "-" when not asleep
     * @param name      LWP name; for a process row without LWPs {@code init}, {@code <defunct>}
     *                  (a zombie), {@code <exiting>} or {@code -}
     * @param cpuNanos  CPU time of the LWP so far (-1 if the JVM cannot tell)
     */
    public record Row(int pid, int ppid, int pgid, int sid, int uid, char procState, int lid,
                      Lwp.State lwpState, String wchan, String name, long cpuNanos) {
    }

    /** The snapshot as a table, like {@code ps -axlH}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%6s %6s %6s %6s %5s %1s %6s %-9s %-16s %9s %s%n",
                "PID", "PPID", "PGID", "SID", "UID", "S", "LID", "LSTATE", "WCHAN", "CPU(ms)", "NAME"));
        for (Row r : rows) {
            sb.append(String.format("%6d %6d %6d %6d %5d %1s %6s %-9s %-16.16s %9s %s%n",
                    r.pid, r.ppid, r.pgid, r.sid, r.uid, r.procState, r.lid == 0 ? "-" : String.valueOf(r.lid),
                    r.lwpState == null ? "-" : r.lwpState, r.wchan,
                    r.cpuNanos < 0 ? "-" : String.format("%.1f", r.cpuNanos / 1e6), r.name));
        }
        return sb.toString();
    }
}
