package org.jqga.agent.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-get-osinfo, -host-name, -timezone, -users, -time, -load against the vm1 fixture tree. */
class SystemFamilyTest {
    @TempDir
    Path empty;

    private final FakePosix posix = new FakePosix();

    @Test
    void osinfoCombinesUnameWithTheOsReleaseTestVectorOfQemu() throws Exception {
        String wire = new FixtureAgent(FixtureAgent.VM1, posix).wire("guest-get-osinfo");
        // Byte for byte, in qemu-ga's key order; the VARIANT value is test-qga's escape torture test.
        assertEquals("{\"return\": {\"name\": \"QEMU-GA\", \"kernel-release\": \"6.1.0-fixture\", \"version\": "
                + "\"Test 1\", \"variant\": \"Unit test \\\"'$`\\\\ and \\\\\\\\ etc.\", \"pretty-name\": "
                + "\"QEMU Guest Agent test\", \"version-id\": \"1\", \"variant-id\": \"unit-test\", "
                + "\"kernel-version\": \"#1 SMP fixture\", \"machine\": \"x86_64\", \"id\": \"qemu-ga-test\"}}", wire);
    }

    @Test
    void osinfoFallsBackToUsrLibAndDropsEveryReleaseFieldOfAFileGlibRefuses() throws Exception {
        Files.createDirectories(empty.resolve("usr/lib"));
        Files.writeString(empty.resolve("usr/lib/os-release"), "ID=fallback\nNAME=\"Fall Back\"\n");
        JsonObject fallback = new FixtureAgent(empty, posix).ret("guest-get-osinfo").getAsJsonObject();
        assertEquals("fallback", fallback.get("id").getAsString());
        assertEquals("Fall Back", fallback.get("name").getAsString());
        assertFalse(fallback.has("version"), fallback.toString());

        Files.createDirectories(empty.resolve("etc"));
        Files.writeString(empty.resolve("etc/os-release"), "ID=x\nthis line is not a key-value pair\n");
        // /etc/os-release exists but does not parse: like a missing one, qemu-ga falls back to /usr/lib.
        assertEquals("fallback",
                new FixtureAgent(empty, posix).ret("guest-get-osinfo").getAsJsonObject().get("id").getAsString());
        Files.delete(empty.resolve("usr/lib/os-release"));
        JsonObject refused = new FixtureAgent(empty, posix).ret("guest-get-osinfo").getAsJsonObject();
        assertEquals(java.util.Set.of("kernel-release", "kernel-version", "machine"), refused.keySet());

        Files.write(empty.resolve("etc/os-release"), new byte[] {'I', 'D', '=', (byte) 0xC3, '\n'});
        assertEquals(3, new FixtureAgent(empty, posix).ret("guest-get-osinfo").getAsJsonObject().size(),
                "invalid UTF-8 drops the os-release fields");
    }

    @Test
    void hostNameIsTheUtsNameAndAMissingFileIsAnErrorNamingErrno() throws Exception {
        assertEquals("{\"return\": {\"host-name\": \"fixture-host\"}}",
                new FixtureAgent(FixtureAgent.VM1, posix).wire("guest-get-host-name"));
        assertEquals("cannot get hostname: No such file or directory",
                new FixtureAgent(empty, posix).error("guest-get-host-name"));
    }

    @Test
    void timezoneOfAMachineWithoutLocaltimeIsUtc() throws Exception {
        // TZ is not set for the test JVM (CI and this machine); with it set, GLib and we would read $TZ instead.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("TZ") == null, "TZ is set");
        assertEquals("{\"return\": {\"zone\": \"UTC\", \"offset\": 0}}",
                new FixtureAgent(empty, posix).wire("guest-get-timezone"));
        JsonObject berlin = new FixtureAgent(FixtureAgent.VM1, posix).ret("guest-get-timezone").getAsJsonObject();
        assertTrue(berlin.get("zone").getAsString().equals("CET") && berlin.get("offset").getAsLong() == 3600
                || berlin.get("zone").getAsString().equals("CEST") && berlin.get("offset").getAsLong() == 7200,
                berlin.toString());
    }

    @Test
    void usersAreDistinctUserProcessRecordsWithTheEarliestLogin() throws Exception {
        assertEquals("{\"return\": [{\"login-time\": 1700000050, \"user\": \"alice\"}, "
                + "{\"login-time\": 1700000200.25, \"user\": \"bob\"}]}",
                new FixtureAgent(FixtureAgent.VM1, posix).wire("guest-get-users"));
        assertEquals(new JsonArray(), new FixtureAgent(empty, posix).ret("guest-get-users"));
    }

    @Test
    void timeIsNanosecondsFromAMicrosecondClock() throws Exception {
        long before = System.currentTimeMillis() * 1_000_000L;
        long t = new FixtureAgent(empty, posix).ret("guest-get-time").getAsLong();
        assertEquals(0, t % 1000, "the last three digits are always 0");
        assertTrue(t >= before - 1_000_000_000L, t + " vs " + before);
    }

    @Test
    void loadPrintsDoublesLikePercent17g() throws Exception {
        assertEquals("{\"return\": {\"load15m\": 1, \"load5m\": 0.25, \"load1m\": 0.52000000000000002}}",
                new FixtureAgent(FixtureAgent.VM1, posix).wire("guest-get-load"));
        assertEquals("cannot query load average: No such file or directory",
                new FixtureAgent(empty, posix).error("guest-get-load"));
    }
}
