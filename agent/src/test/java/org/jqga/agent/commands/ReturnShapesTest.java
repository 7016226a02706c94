package org.jqga.agent.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jqga.api.posix.InterfaceAddress;
import org.jqga.api.posix.StatVfs;
import org.junit.jupiter.api.Test;

/**
 * Every answer's members against the schema (QEMU's qapi-schema.json, as transcribed in the protocol spec §2.4):
 * each required member present, nothing outside required ∪ optional. Nested types are checked where they occur.
 */
class ReturnShapesTest {
    /** type → {required, optional}. */
    private static final Map<String, List<Set<String>>> TYPES = Map.ofEntries(
            Map.entry("GuestOSInfo", List.of(Set.of(), Set.of("kernel-release", "kernel-version", "machine", "id",
                    "name", "pretty-name", "version", "version-id", "variant", "variant-id"))),
            Map.entry("GuestHostName", List.of(Set.of("host-name"), Set.of())),
            Map.entry("GuestTimezone", List.of(Set.of("offset"), Set.of("zone"))),
            Map.entry("GuestUser", List.of(Set.of("user", "login-time"), Set.of("domain"))),
            Map.entry("GuestLoadAverage", List.of(Set.of("load1m", "load5m", "load15m"), Set.of())),
            Map.entry("GuestLogicalProcessor", List.of(Set.of("logical-id", "online"), Set.of("can-offline"))),
            Map.entry("GuestCpuStats", List.of(Set.of("type", "cpu", "user", "nice", "system", "idle"),
                    Set.of("iowait", "irq", "softirq", "steal", "guest", "guestnice"))),
            Map.entry("GuestMemoryBlock", List.of(Set.of("phys-index", "online"), Set.of("can-offline"))),
            Map.entry("GuestMemoryBlockInfo", List.of(Set.of("size"), Set.of())),
            Map.entry("GuestNetworkInterface", List.of(Set.of("name"),
                    Set.of("hardware-address", "ip-addresses", "statistics"))),
            Map.entry("GuestIpAddress", List.of(Set.of("ip-address", "ip-address-type", "prefix"), Set.of())),
            Map.entry("GuestNetworkInterfaceStat", List.of(Set.of("rx-bytes", "rx-packets", "rx-errs", "rx-dropped",
                    "tx-bytes", "tx-packets", "tx-errs", "tx-dropped"), Set.of())),
            Map.entry("GuestNetworkRoute", List.of(Set.of("iface", "destination", "metric", "version"),
                    Set.of("gateway", "mask", "irtt", "flags", "refcnt", "use", "window", "mtu", "desprefixlen",
                            "source", "srcprefixlen", "nexthop"))),
            Map.entry("GuestFilesystemInfo", List.of(Set.of("name", "mountpoint", "type", "disk"),
                    Set.of("used-bytes", "total-bytes", "total-bytes-privileged"))),
            Map.entry("GuestDiskAddress", List.of(Set.of("pci-controller", "bus-type", "bus", "target", "unit"),
                    Set.of("serial", "dev", "ccw-address"))),
            Map.entry("GuestPCIAddress", List.of(Set.of("domain", "bus", "slot", "function"), Set.of())),
            Map.entry("GuestDiskInfo", List.of(Set.of("name", "partition"),
                    Set.of("dependencies", "address", "alias", "smart"))),
            Map.entry("GuestDiskStatsInfo", List.of(Set.of("name", "major", "minor", "stats"), Set.of())),
            Map.entry("GuestDiskStats", List.of(Set.of(), Set.of("read-sectors", "read-ios", "read-merges",
                    "write-sectors", "write-ios", "write-merges", "discard-sectors", "discard-ios", "discard-merges",
                    "flush-ios", "read-ticks", "write-ticks", "discard-ticks", "flush-ticks", "ios-pgr",
                    "total-ticks", "weight-ticks"))));

    private final Set<String> seen = new HashSet<>();

    private void check(String type, JsonElement value) {
        JsonObject o = value.getAsJsonObject();
        Set<String> required = TYPES.get(type).get(0);
        Set<String> optional = TYPES.get(type).get(1);
        for (String r : required) {
            assertTrue(o.has(r), type + " lacks required member " + r + ": " + o);
        }
        for (String k : o.keySet()) {
            assertTrue(required.contains(k) || optional.contains(k), type + " has a member not in the schema: " + k);
        }
        seen.add(type);
    }

    private void checkEach(String type, JsonElement list) {
        assertTrue(list.isJsonArray(), type + " list expected: " + list);
        for (JsonElement e : list.getAsJsonArray()) {
            check(type, e);
        }
    }

    @Test
    void everyAnswerHasExactlyTheSchemasMembers() throws Exception {
        FakePosix posix = new FakePosix();
        posix.interfaces.add(new InterfaceAddress("lo", InterfaceAddress.AF_INET,
                InetAddress.getByName("127.0.0.1").getAddress(), new byte[] {(byte) 255, 0, 0, 0}));
        posix.statvfs.put("/", new StatVfs(4096, 10, 5, 4));
        FixtureAgent agent = new FixtureAgent(FixtureAgent.VM1, posix);

        check("GuestOSInfo", agent.ret("guest-get-osinfo"));
        check("GuestHostName", agent.ret("guest-get-host-name"));
        check("GuestTimezone", agent.ret("guest-get-timezone"));
        checkEach("GuestUser", agent.ret("guest-get-users"));
        assertTrue(agent.ret("guest-get-time").getAsJsonPrimitive().isNumber());
        check("GuestLoadAverage", agent.ret("guest-get-load"));
        checkEach("GuestLogicalProcessor", agent.ret("guest-get-vcpus"));
        checkEach("GuestCpuStats", agent.ret("guest-get-cpustats"));
        checkEach("GuestMemoryBlock", agent.ret("guest-get-memory-blocks"));
        check("GuestMemoryBlockInfo", agent.ret("guest-get-memory-block-info"));
        for (JsonElement i : agent.ret("guest-network-get-interfaces").getAsJsonArray()) {
            check("GuestNetworkInterface", i);
            checkEach("GuestIpAddress", i.getAsJsonObject().get("ip-addresses"));
            check("GuestNetworkInterfaceStat", i.getAsJsonObject().get("statistics"));
        }
        checkEach("GuestNetworkRoute", agent.ret("guest-network-get-route"));
        for (JsonElement fs : agent.ret("guest-get-fsinfo").getAsJsonArray()) {
            check("GuestFilesystemInfo", fs);
            for (JsonElement d : fs.getAsJsonObject().getAsJsonArray("disk")) {
                check("GuestDiskAddress", d);
                check("GuestPCIAddress", d.getAsJsonObject().get("pci-controller"));
            }
        }
        for (JsonElement d : agent.ret("guest-get-disks").getAsJsonArray()) {
            check("GuestDiskInfo", d);
            if (d.getAsJsonObject().has("address")) {
                check("GuestDiskAddress", d.getAsJsonObject().get("address"));
            }
        }
        for (JsonElement s : agent.ret("guest-get-diskstats").getAsJsonArray()) {
            check("GuestDiskStatsInfo", s);
            check("GuestDiskStats", s.getAsJsonObject().get("stats"));
        }
        assertEquals("\"thawed\"", agent.ret("guest-fsfreeze-status").toString());
        assertEquals(TYPES.keySet(), seen, "every type was met at least once");
    }

    @Test
    void getDevicesIsNotRegisteredOnLinuxAsInQemuMaster() throws Exception {
        JsonObject r = new FixtureAgent(FixtureAgent.VM1, new FakePosix()).call("guest-get-devices");
        assertEquals("{\"class\":\"CommandNotFound\",\"desc\":\"The command guest-get-devices has not been found\"}",
                r.get("error").toString());
    }
}
