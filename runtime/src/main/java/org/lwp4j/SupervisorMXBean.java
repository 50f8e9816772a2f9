package org.lwp4j;

/**
 * The management interface of a running {@link Supervisor}, registered with the platform MBean
 * server as {@code org.lwp4j:type=Supervisor,id=N} (N = {@link Supervisor#id()}) when the
 * supervisor starts and unregistered when it closes, so that jconsole, VisualVM or any JMX
 * client can read its {@code ps}. Every attribute is read when asked, without stopping anything.
 */
public interface SupervisorMXBean {
    /**
     * The supervisor's id, unique in this JVM (for one copy of lwp4j); JFR events carry it.
     *
     * @return the id
     */
    int getId();

    /**
     * {@link Supervisor#ps()} as its table, like {@code ps -axlH}.
     *
     * @return the table, one line per row after the header
     */
    String getPs();

    /**
     * {@link Supervisor#ps()}, one string per row, header first (JMX clients show a string
     * array as a list).
     *
     * @return the table's lines
     */
    String[] getPsLines();

    /**
     * {@link Supervisor#processCount()}.
     *
     * @return the processes now, init and zombies included
     */
    int getProcessCount();

    /**
     * {@link Supervisor#lwpCount()}.
     *
     * @return the LWP records now, zombies included
     */
    int getLwpCount();
}
