package org.lwp4j.kern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * VarHandle mechanics shared by the runtime's classes: one way to find the handle of a field of
 * the calling class (whose lookup, with its private access, the caller passes).
 */
public final class Handles {
    private Handles() {
    }

    /**
     * The VarHandle of field {@code name} of the lookup's class.
     *
     * @param lookup the calling class's {@code MethodHandles.lookup()}
     * @param name   the field's name
     * @param type   the field's type
     * @return the handle
     * @throws ExceptionInInitializerError if there is no such field (a class that cannot work)
     */
    public static VarHandle field(MethodHandles.Lookup lookup, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(lookup.lookupClass(), name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
