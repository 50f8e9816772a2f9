/**
 * lwp4j: BSD lightweight processes and processes for the JVM.
 * Only {@code org.lwp4j} is API; the kernel and sleep-table packages are internal.
 */
module org.lwp4j {
    requires java.management;
    requires jdk.jfr;
    exports org.lwp4j;
}
