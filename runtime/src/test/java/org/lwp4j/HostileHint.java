package org.lwp4j;

/**
 * A hint whose hashCode is user code that throws once {@link #throwing} is set (issue 10): the
 * hostile hint of {@link HostileHintTest} and {@link ChaosTest}. Until then it hashes to the
 * constant it was made with, so that hints made with one constant share a bucket.
 */
final class HostileHint {
    volatile boolean throwing;
    private final int hash;

    HostileHint(int hash) {
        this.hash = hash;
    }

    @Override
    public int hashCode() {
        if (throwing) {
            throw new IllegalStateException("hostile hashCode");
        }
        return hash;
    }

    @Override
    public String toString() {
        return "hostile";
    }
}
