package org.jqga.activation.inetd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jqga.api.Peer;
import org.junit.jupiter.api.Test;

class SupervisorEnvironmentTest {
    @Test
    void s6IpcserverVariablesDescribeThePeer() {
        SupervisorEnvironment env = SupervisorEnvironment.of(Map.of("PROTO", "IPC", "IPCREMOTEEUID", "1000",
                "IPCREMOTEEGID", "100", "IPCREMOTEPATH", "", "IPCLOCALPATH", "/run/x", "HOME", "/root"));
        assertEquals(List.of("PROTO=IPC", "IPCREMOTEEGID=100", "IPCREMOTEEUID=1000", "IPCREMOTEPATH=''"),
                env.assignments());
        assertEquals(OptionalLong.of(1000), env.remoteEuid());
        assertEquals(List.of(), env.problems());
    }

    @Test
    void tcpserverAndSocatVariables() {
        SupervisorEnvironment env = SupervisorEnvironment.of(Map.of("PROTO", "TCP", "TCPREMOTEIP", "10.0.0.2",
                "TCPREMOTEPORT", "40000", "SOCAT_PEERADDR", "<anon>"));
        assertEquals(Optional.of("[PROTO=TCP TCPREMOTEIP=10.0.0.2 TCPREMOTEPORT=40000 SOCAT_PEERADDR='<anon>']"),
                env.summary());
    }

    @Test
    void malformedValuesAreNamedAndIgnored() {
        SupervisorEnvironment env = SupervisorEnvironment.of(Map.of("PROTO", "IPC", "IPCREMOTEEUID", "root"));
        assertEquals(List.of("PROTO=IPC"), env.assignments());
        assertEquals(List.of("IPCREMOTEEUID=root: expected a decimal number; ignored"), env.problems());
        assertEquals(OptionalLong.empty(), env.remoteEuid());

        SupervisorEnvironment bad = SupervisorEnvironment.of(Map.of("PROTO", "ipc; rm", "IPCREMOTEEUID", "0"));
        assertEquals(List.of(), bad.assignments());
        assertTrue(bad.problems().get(0).startsWith("PROTO='ipc; rm': expected an upper-case protocol name"),
                bad.problems().toString());
    }

    @Test
    void controlCharactersInValuesAreEscaped() {
        assertEquals("'a\\x0ab\\'c'", SupervisorEnvironment.quote("a\nb'c"));
        assertEquals("/run/qga.sock", SupervisorEnvironment.quote("/run/qga.sock"));
    }

    @Test
    void noSupervisorNoSummary() {
        assertEquals(Optional.empty(), SupervisorEnvironment.of(Map.of("HOME", "/")).summary());
    }

    @Test
    void annotationKeepsTheKernelsIdsAndFlagsADisagreement() {
        Peer kernel = Peer.credentials(0, 0, 77);
        Peer p = PeerNotes.annotate(kernel, SupervisorEnvironment.of(Map.of("PROTO", "IPC", "IPCREMOTEEUID", "5")));
        assertEquals(kernel.uid(), p.uid());
        assertEquals(kernel.pid(), p.pid());
        assertEquals("uid 0 gid 0 pid 77 [PROTO=IPC IPCREMOTEEUID=5] (the supervisor's uid 5 differs from"
                + " SO_PEERCRED's 0)", p.description());
    }
}
