package org.jqga.agent.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqga.api.posix.StatVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-get-fsinfo, guest-get-disks and guest-get-diskstats against the vm1 fixture tree. */
class DiskFamilyTest {
    @TempDir
    Path empty;

    private final FakePosix posix = new FakePosix();

    @Test
    void fsinfoListsDeviceBackedMountsOncePerDeviceLastFirst() throws Exception {
        posix.statvfs.put("/", new StatVfs(4096, 1000, 400, 300));
        posix.statvfs.put("/boot", new StatVfs(1024, 10, 10, 5));
        String virtioVda2 = "{\"bus-type\": \"virtio\", \"bus\": 0, \"unit\": 0, \"pci-controller\": {\"bus\": 0, "
                + "\"slot\": 2, \"domain\": 0, \"function\": 0}, \"dev\": \"/dev/vda2\", \"target\": 0}";
        assertEquals("{\"return\": [{\"name\": \"vda2\", \"mountpoint\": \"/mnt/my disk\", \"disk\": [" + virtioVda2
                + "], \"type\": \"vfat\"}, {\"name\": \"vda1\", \"total-bytes\": 5120, \"total-bytes-privileged\": "
                + "10240, \"mountpoint\": \"/boot\", \"disk\": [" + virtioVda2.replace("vda2", "vda1")
                + "], \"used-bytes\": 0, \"type\": \"xfs\"}, {\"name\": \"dm-0\", \"total-bytes\": 3686400, "
                + "\"total-bytes-privileged\": 4096000, \"mountpoint\": \"/\", \"disk\": [" + virtioVda2
                + "], \"used-bytes\": 2457600, \"type\": \"ext4\"}]}",
                new FixtureAgent(FixtureAgent.VM1, posix).wire("guest-get-fsinfo"));
    }

    @Test
    void fsinfoWithoutAnyMountTableIsQemusError() throws Exception {
        assertEquals("failed to open mtab file: '/proc/self/mounts'",
                new FixtureAgent(empty, posix).error("guest-get-fsinfo"));
    }

    @Test
    void disksComeWithPartitionsAliasesAndDependencies() throws Exception {
        JsonArray disks = new FixtureAgent(FixtureAgent.VM1, posix).ret("guest-get-disks").getAsJsonArray();
        List<String> names = new ArrayList<>();
        for (JsonElement e : disks) {
            names.add(e.getAsJsonObject().get("name").getAsString());
        }
        // loop0 has size 0. Partitions come right before their disk (the list is built by prepending).
        assertEquals(4, names.size(), names.toString());
        int vda = names.indexOf("/dev/vda");
        assertTrue(names.indexOf("/dev/vda1") < vda && names.indexOf("/dev/vda2") < vda && vda >= 2, names.toString());
        for (JsonElement e : disks) {
            JsonObject d = e.getAsJsonObject();
            switch (d.get("name").getAsString()) {
                case "/dev/vda" -> {
                    assertEquals("{\"partition\":false,\"dependencies\":[],\"address\":{\"pci-controller\":{\"domain\":0,"
                            + "\"bus\":0,\"slot\":2,\"function\":0},\"bus-type\":\"virtio\",\"bus\":0,\"target\":0,"
                            + "\"unit\":0,\"serial\":\"disk-serial-1\",\"dev\":\"/dev/vda\"}}", without(d, "name"));
                }
                case "/dev/dm-0" -> assertEquals("{\"partition\":false,\"dependencies\":[\"/dev/vda2\"],"
                        + "\"alias\":\"vg-root\"}", without(d, "name"));
                default -> assertEquals("{\"partition\":true,\"dependencies\":[\"/dev/vda\"]}", without(d, "name"));
            }
        }
    }

    private static String without(JsonObject o, String key) {
        JsonObject c = o.deepCopy();
        c.remove(key);
        // Compare in schema order, independent of the wire's hash order.
        JsonObject ordered = new JsonObject();
        for (String k : List.of("partition", "dependencies", "address", "alias")) {
            if (c.has(k)) {
                ordered.add(k, k.equals("address") ? schemaOrder(c.getAsJsonObject(k)) : c.get(k));
            }
        }
        return ordered.toString();
    }

    private static JsonObject schemaOrder(JsonObject address) {
        JsonObject ordered = new JsonObject();
        JsonObject pci = address.getAsJsonObject("pci-controller");
        JsonObject p = new JsonObject();
        for (String k : List.of("domain", "bus", "slot", "function")) {
            p.add(k, pci.get(k));
        }
        ordered.add("pci-controller", p);
        for (String k : List.of("bus-type", "bus", "target", "unit", "serial", "dev")) {
            if (address.has(k)) {
                ordered.add(k, address.get(k));
            }
        }
        return ordered;
    }

    @Test
    void diskstatsFieldsFollowTheColumnCount() throws Exception {
        JsonArray stats = new FixtureAgent(FixtureAgent.VM1, posix).ret("guest-get-diskstats").getAsJsonArray();
        assertEquals(4, stats.size());
        JsonObject vda = stats.get(1).getAsJsonObject();
        assertEquals("vda", vda.get("name").getAsString());
        assertEquals(254, vda.get("major").getAsLong());
        JsonObject s = vda.getAsJsonObject("stats");
        assertEquals(17, s.size(), s.toString());
        assertEquals(42, s.get("read-ios").getAsLong());
        assertEquals(3, s.get("read-merges").getAsLong());
        assertEquals(688, s.get("read-sectors").getAsLong());
        assertEquals(16, s.get("discard-sectors").getAsLong());
        assertEquals(1, s.get("discard-ticks").getAsLong());
        assertEquals(3, s.get("flush-ticks").getAsLong());
        assertEquals(11, stats.get(2).getAsJsonObject().getAsJsonObject("stats").size(), "14 columns: 11 fields");
        JsonObject old = stats.get(3).getAsJsonObject().getAsJsonObject("stats");
        assertEquals("{\"read-sectors\":40,\"read-ios\":5,\"write-sectors\":48,\"write-ios\":6}",
                sorted(old, "read-sectors", "read-ios", "write-sectors", "write-ios"));
        assertEquals("open(\"/proc/diskstats\"): No such file or directory",
                new FixtureAgent(empty, posix).error("guest-get-diskstats"));
    }

    private static String sorted(JsonObject o, String... keys) {
        assertEquals(keys.length, o.size(), o.toString());
        JsonObject r = new JsonObject();
        for (String k : keys) {
            r.add(k, o.get(k));
        }
        return r.toString();
    }
}
