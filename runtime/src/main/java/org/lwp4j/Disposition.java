package org.lwp4j;

import java.util.Objects;

/**
 * A signal disposition: {@link #DEFAULT}, {@link #IGNORE} or a handler, with a mask (extra
 * signals masked while the handler runs) and flags (SA_*). Immutable; equal when kind,
 * handler (the same object), mask and flags are.
 *
 * @param kind    what the disposition does: DEFAULT, IGNORE or HANDLER
 * @param handler the handler, or null unless {@code kind} is HANDLER
 * @param mask    the extra signals masked while the handler runs (a signal set)
 * @param flags   the SA_* flags, or'd (checked by {@link Signals#sigaction})
 */
public record Disposition(Kind kind, Handler handler, long mask, int flags) {
    /** A signal handler: runs on the receiving LWP at a safe point. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Handle one signal. May call into the runtime (more signals may then be delivered,
         * nested, unless masked). A Throwable it throws propagates out of the call at whose safe
         * point it ran; the LWP's mask is restored first.
         *
         * @param info the signal delivered, its code and sender
         */
        void handle(SigInfo info);
    }

    /** What a disposition does. */
    public enum Kind {
        /** The signal's default action (terminate, stop, continue or ignore). */
        DEFAULT,
        /** Discard the signal. */
        IGNORE,
        /** Run a {@link Handler}. */
        HANDLER
    }

    /** {@code SIG_DFL}. */
    public static final Disposition DEFAULT = new Disposition(Kind.DEFAULT, null, 0, 0);
    /** {@code SIG_IGN}. */
    public static final Disposition IGNORE = new Disposition(Kind.IGNORE, null, 0, 0);

    /**
     * A disposition of {@code kind}; {@link #handler(Handler)}, {@link #withMask} and
     * {@link #withFlags} make the same from {@link #DEFAULT} and {@link #IGNORE}.
     *
     * @param kind    what the disposition does
     * @param handler the handler for HANDLER, null otherwise
     * @param mask    the extra signals masked while the handler runs
     * @param flags   the SA_* flags, or'd
     * @throws NullPointerException     if {@code kind} is null
     * @throws IllegalArgumentException if {@code handler} is null for HANDLER, or not null for
     *                                  DEFAULT or IGNORE
     */
    public Disposition {
        if ((Objects.requireNonNull(kind, "kind") == Kind.HANDLER) != (handler != null)) {
            throw new IllegalArgumentException("Disposition(" + kind + ", " + handler
                    + "): a handler goes with HANDLER, and only with it");
        }
    }

    /**
     * Run {@code h} on delivery.
     *
     * @param h the handler
     * @return a HANDLER disposition with no mask and no flags
     * @throws NullPointerException if {@code h} is null
     */
    public static Disposition handler(Handler h) {
        return new Disposition(Kind.HANDLER, Objects.requireNonNull(h, "h"), 0, 0);
    }

    /**
     * This disposition with {@code mask} as the extra signals masked while a handler runs.
     *
     * @param mask a signal set
     * @return a new disposition, otherwise equal to this one
     */
    public Disposition withMask(long mask) {
        return new Disposition(kind, handler, mask, flags);
    }

    /**
     * This disposition with the SA_* {@code flags} (checked by {@link Signals#sigaction}).
     *
     * @param flags SA_RESETHAND, SA_NOCLDSTOP, SA_NODEFER, SA_NOCLDWAIT, or'd
     * @return a new disposition, otherwise equal to this one
     */
    public Disposition withFlags(int flags) {
        return new Disposition(kind, handler, mask, flags);
    }

    /**
     * Equal when kind, handler (the same object), mask and flags are.
     *
     * @param o any object
     * @return whether {@code o} is an equal disposition
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Disposition)) {
            return false;
        }
        Disposition d = (Disposition) o;
        return kind == d.kind && handler == d.handler && mask == d.mask && flags == d.flags;
    }

    /**
     * A hash consistent with {@link #equals}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(kind, System.identityHashCode(handler), mask, flags);
    }

    /**
     * The disposition for people, such as {@code Disposition[HANDLER, flags=0x4]}.
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        return "Disposition[" + kind + (mask != 0 ? ", mask=0x" + Long.toHexString(mask) : "")
                + (flags != 0 ? ", flags=0x" + Integer.toHexString(flags) : "") + "]";
    }
}
