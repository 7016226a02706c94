package org.jqga.agent.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-get-vcpus, -cpustats, -memory-blocks, -memory-block-info against the vm1 fixture tree. */
class HardwareFamilyTest {
    @TempDir
    Path empty;

    private final FakePosix posix = new FakePosix();

    private static Map<Long, String> byKey(JsonArray list, String key) {
        Map<Long, String> m = new HashMap<>();
        for (JsonElement e : list) {
            JsonObject o = e.getAsJsonObject().deepCopy();
            m.put(o.remove(key).getAsLong(), o.toString());
        }
        return m;
    }

    @Test
    void vcpusWithoutAnOnlineFileAreOnlineAndCannotBeOfflined() throws Exception {
        JsonArray cpus = new FixtureAgent(FixtureAgent.VM1, posix).ret("guest-get-vcpus").getAsJsonArray();
        // Directory order is the file system's, so compare by id.
        assertEquals(Map.of(0L, "{\"online\":true,\"can-offline\":false}", 1L, "{\"online\":true,\"can-offline\":true}",
                2L, "{\"online\":false,\"can-offline\":true}"), byKey(cpus, "logical-id"));
        assertEquals("failed to list entries: /sys/devices/system/cpu: No such file or directory",
                new FixtureAgent(empty, posix).error("guest-get-vcpus"));
    }

    @Test
    void cpustatsAreMillisecondsAndOptionalColumnsFollowTheLine() throws Exception {
        assertEquals("{\"return\": [{\"cpu\": 0, \"guestnice\": 0, \"idle\": 5000, \"steal\": 70, \"iowait\": 30, "
                + "\"system\": 300, \"guest\": 0, \"nice\": 10, \"irq\": 0, \"type\": \"linux\", \"user\": 600, "
                + "\"softirq\": 10}, {\"cpu\": 1, \"idle\": 5000, \"iowait\": 20, \"system\": 200, \"nice\": 0, "
                + "\"type\": \"linux\", \"user\": 400}]}",
                new FixtureAgent(FixtureAgent.VM1, posix).wire("guest-get-cpustats"));
        assertEquals("open(\"/proc/stat\"): No such file or directory",
                new FixtureAgent(empty, posix).error("guest-get-cpustats"));
    }

    @Test
    void memoryBlocksReadStateAndRemovable() throws Exception {
        JsonArray blocks = new FixtureAgent(FixtureAgent.VM1, posix).ret("guest-get-memory-blocks").getAsJsonArray();
        assertEquals(Map.of(0L, "{\"online\":true,\"can-offline\":false}", 5L, "{\"online\":false,\"can-offline\":true}",
                7L, "{\"online\":true,\"can-offline\":false}"), byKey(blocks, "phys-index"));
    }

    @Test
    void noMemoryDirectoryIsAnEmptyListButAnEmptyOneIsQemusError() throws Exception {
        assertEquals(new JsonArray(), new FixtureAgent(empty, posix).ret("guest-get-memory-blocks"));
        Files.createDirectories(empty.resolve("sys/devices/system/memory"));
        assertEquals("guest reported zero memory blocks!", new FixtureAgent(empty, posix).error("guest-get-memory-blocks"));
        assertEquals("open sysfs file \"block_size_bytes\": No such file or directory",
                new FixtureAgent(empty, posix).error("guest-get-memory-block-info"));
    }

    @Test
    void blockSizeIsHex() throws Exception {
        assertEquals("{\"return\": {\"size\": 134217728}}",
                new FixtureAgent(FixtureAgent.VM1, posix).wire("guest-get-memory-block-info"));
        String missing = new FixtureAgent(empty, posix).error("guest-get-memory-block-info");
        assertEquals("open(\"/sys/devices/system/memory/\"): No such file or directory", missing);
        assertFalse(missing.contains(empty.toString()), "errors name the system path, not the fixture's");
    }
}
