/**
 * lwp4j: BSD lightweight processes and processes for the JVM.
 * {@code org.lwp4j} and {@code org.lwp4j.sync} (synchronizers) are API; the kernel and sleep-table
 * packages are internal.
 */
module org.lwp4j {
    requires java.management;
    requires jdk.jfr;
    exports org.lwp4j;
    exports org.lwp4j.sync;
    exports org.lwp4j.exec;
}
