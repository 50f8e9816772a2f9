/** A user's application module: requires the library by its module name, and nothing else. */
module app {
    requires org.lwp4j;
}
