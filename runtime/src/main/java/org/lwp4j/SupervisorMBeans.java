package org.lwp4j;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The {@link SupervisorMXBean} of one supervisor and its registration. A name that is taken
 * (another copy of lwp4j, loaded by another class loader, numbers its supervisors from 1 too)
 * leaves the supervisor unregistered: it runs all the same, and {@link #registered()} says so.
 */
final class SupervisorMBeans implements SupervisorMXBean {
    private final Supervisor sup;
    private final ObjectName name;
    private volatile boolean registered;

    private SupervisorMBeans(Supervisor sup, ObjectName name) {
        this.sup = sup;
        this.name = name;
    }

    /** The object name of supervisor {@code id}. */
    static ObjectName objectName(int id) {
        try {
            return new ObjectName("org.lwp4j:type=Supervisor,id=" + id);
        } catch (JMException e) {
            throw new AssertionError(e); // a constant pattern with a number: always valid
        }
    }

    /** Make and register the MBean of {@code sup}. */
    static SupervisorMBeans register(Supervisor sup) {
        SupervisorMBeans b = new SupervisorMBeans(sup, objectName(sup.id()));
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(b, b.name);
            b.registered = true;
        } catch (InstanceAlreadyExistsException e) {
            // taken by another copy of lwp4j: see the class comment
        } catch (JMException e) {
            throw new IllegalStateException("Supervisor.start: cannot register " + b.name, e);
        }
        return b;
    }

    /** Unregister; idempotent. */
    void unregister() {
        if (!registered) {
            return;
        }
        registered = false;
        MBeanServer s = ManagementFactory.getPlatformMBeanServer();
        try {
            s.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // someone unregistered it for us
        } catch (JMException e) {
            throw new IllegalStateException("Supervisor.close: cannot unregister " + name, e);
        }
    }

    boolean registered() {
        return registered;
    }

    @Override
    public int getId() {
        return sup.id();
    }

    @Override
    public String getPs() {
        return sup.ps().toString();
    }

    @Override
    public String[] getPsLines() {
        return getPs().split(System.lineSeparator());
    }

    @Override
    public int getProcessCount() {
        return sup.processCount();
    }

    @Override
    public int getLwpCount() {
        return sup.lwpCount();
    }
}
