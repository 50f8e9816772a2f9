package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each supervisor is the MBean org.lwp4j:type=Supervisor,id=N from start to close. */
@Timeout(60)
class SupervisorMBeanTest {
    @Test
    void aSupervisorIsRegisteredAtStartShowsItsPsAndIsUnregisteredAtClose() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name;
        try (Supervisor s = Supervisor.start(); Supervisor t = Supervisor.start()) {
            assertNotEquals(s.id(), t.id(), "two supervisors, two ids");
            name = new ObjectName("org.lwp4j:type=Supervisor,id=" + s.id());
            assertTrue(mbs.isRegistered(name), name + " registered");
            assertTrue(mbs.isRegistered(new ObjectName("org.lwp4j:type=Supervisor,id=" + t.id())));
            assertEquals(s.id(), mbs.getAttribute(name, "Id"));
            try (var a = s.attachNewProcess()) {
                Lwp.setName(0, "in-jconsole");
                String ps = (String) mbs.getAttribute(name, "Ps");
                assertTrue(ps.contains("in-jconsole") && ps.contains("init"), ps);
                String[] lines = (String[]) mbs.getAttribute(name, "PsLines");
                assertTrue(lines[0].contains("PID") && lines[0].contains("WCHAN"), lines[0]);
                assertEquals(3, lines.length, String.join("\n", lines)); // header, init, us
                assertEquals(2, mbs.getAttribute(name, "ProcessCount"));
                assertEquals(1, mbs.getAttribute(name, "LwpCount"));
            }
        }
        assertFalse(mbs.isRegistered(name), name + " unregistered by close");
    }
}
