package org.lwp4j.proc;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Process-local storage: a concurrent map of keys to values. A fork with MEM shares the parent's
 * map (as RFMEM shares the address space); without it the child gets a shallow copy taken at
 * fork time, after which the two evolve separately.
 */
final class Storage {
    final ConcurrentHashMap<Object, Object> map;

    Storage() {
        this.map = new ConcurrentHashMap<>();
    }

    private Storage(ConcurrentHashMap<Object, Object> map) {
        this.map = map;
    }

    Storage copy() {
        return new Storage(new ConcurrentHashMap<>(map));
    }
}
