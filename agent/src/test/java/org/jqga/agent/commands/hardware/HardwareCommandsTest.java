package org.jqga.agent.commands.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqga.agent.commands.Wire;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.HostPaths;
import org.jqga.api.posix.Posix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-set-vcpus and guest-set-memory-blocks against a sysfs laid out in a temporary root. */
class HardwareCommandsTest {
    @TempDir
    Path root;

    private Wire wire;

    @BeforeEach
    void commands() {
        HostPaths paths = new HostPaths(root);
        Errno errno = new Errno(Posix.load());
        wire = new Wire(new GuestSetVcpus(paths, errno), new GuestSetMemoryBlocks(paths, errno));
    }

    private Path file(String absolute, String content) throws IOException {
        Path p = new HostPaths(root).resolve(absolute);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private Path dir(String absolute) throws IOException {
        return Files.createDirectories(new HostPaths(root).resolve(absolute));
    }

    private String vcpus(String list) {
        return wire.send("{\"execute\":\"guest-set-vcpus\",\"arguments\":{\"vcpus\":[" + list + "]}}").orElseThrow();
    }

    @Test
    void vcpusAreSwitchedThroughTheirOnlineFiles() throws IOException {
        dir("/sys/devices/system/cpu/cpu0");
        Path cpu1 = file("/sys/devices/system/cpu/cpu1/online", "1\n");
        Path cpu2 = file("/sys/devices/system/cpu/cpu2/online", "0\n");
        assertEquals("{\"return\": 3}\n", vcpus("{\"logical-id\":1,\"online\":false},"
                + "{\"logical-id\":2,\"online\":true,\"can-offline\":true},{\"logical-id\":0,\"online\":true}"));
        assertEquals('0', Files.readString(cpu1).charAt(0));
        assertEquals('1', Files.readString(cpu2).charAt(0));
        assertEquals("{\"return\": 0}\n", vcpus(""));
    }

    @Test
    void aPartialRunAnswersHowManyWereDoneAndAFirstFailureAnswersTheFailure() throws IOException {
        dir("/sys/devices/system/cpu/cpu0");
        Path cpu1 = file("/sys/devices/system/cpu/cpu1/online", "1\n");
        file("/sys/devices/system/cpu/cpu3/online", "");
        assertEquals("{\"return\": 1}\n", vcpus("{\"logical-id\":1,\"online\":false},"
                + "{\"logical-id\":7,\"online\":true},{\"logical-id\":1,\"online\":true}"));
        assertEquals('0', Files.readString(cpu1).charAt(0), "the request after the failure was not carried out");
        assertEquals(Wire.error("open(\\\"/sys/devices/system/cpu/cpu7/\\\"): No such file or directory"),
                vcpus("{\"logical-id\":7,\"online\":true}"));
        assertEquals(Wire.error("logical processor #0 can't be offlined"), vcpus("{\"logical-id\":0,\"online\":false}"));
        assertEquals(Wire.error("pread(\\\"/sys/devices/system/cpu/cpu3//online\\\"): unexpected EOF"),
                vcpus("{\"logical-id\":3,\"online\":true}"));
        assertEquals(Wire.error("Parameter 'vcpus[0].online' is missing"), vcpus("{\"logical-id\":3}"));
    }

    private String memory(String list) {
        return wire.send("{\"execute\":\"guest-set-memory-blocks\",\"arguments\":{\"mem-blks\":[" + list + "]}}")
                .orElseThrow();
    }

    @Test
    void everyMemoryBlockGetsItsOwnResultInQemuGasShape() throws IOException {
        Path block0 = file("/sys/devices/system/memory/memory0/state", "online\n");
        Path block1 = file("/sys/devices/system/memory/memory1/state", "offline\n");
        dir("/sys/devices/system/memory/memory2");
        assertEquals("{\"return\": ["
                        + "{\"response\": \"success\", \"phys-index\": 0}, "
                        + "{\"response\": \"success\", \"phys-index\": 1}, "
                        + "{\"response\": \"not-found\", \"error-code\": 2, \"phys-index\": 5}, "
                        + "{\"response\": \"operation-not-supported\", \"error-code\": 2, \"phys-index\": 2}, "
                        + "{\"response\": \"success\", \"phys-index\": 1}, "
                        + "{\"response\": \"not-found\", \"error-code\": 2, \"phys-index\": 18446744073709551615}]}\n",
                memory("{\"phys-index\":0,\"online\":false},{\"phys-index\":1,\"online\":true},"
                        + "{\"phys-index\":5,\"online\":true},{\"phys-index\":2,\"online\":false},"
                        + "{\"phys-index\":1,\"online\":true,\"can-offline\":false},"
                        + "{\"phys-index\":18446744073709551615,\"online\":true}"));
        assertEquals("offline", Files.readString(block0).substring(0, 7));
        assertEquals("online", Files.readString(block1).substring(0, 6));
        assertEquals("{\"return\": []}\n", memory(""));
    }

    @Test
    void withoutAMemoryDirectoryEveryBlockIsNotSupported() {
        assertEquals("{\"return\": [{\"response\": \"operation-not-supported\", \"error-code\": 2, \"phys-index\": 3}]}\n",
                memory("{\"phys-index\":3,\"online\":true}"));
    }
}
