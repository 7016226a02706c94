package org.jqga.agent.commands.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Offsets and tz-database abbreviations from TZif data and POSIX TZ rules. */
class LocalZoneTest {
    private static long at(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    @Test
    void berlinIsCetInWinterAndCestInSummerIncludingPastTheFilesLastTransition() throws Exception {
        byte[] tzif = Files.readAllBytes(Path.of("src/test/resources/fixtures/vm1/etc/localtime"));
        assertEquals(new LocalZone.Interval(3600, "CET"), LocalZone.fromTzif(tzif, at("2026-01-15T12:00:00Z")).get());
        assertEquals(new LocalZone.Interval(7200, "CEST"), LocalZone.fromTzif(tzif, at("2026-07-01T12:00:00Z")).get());
        assertEquals(new LocalZone.Interval(7200, "CEST"), LocalZone.fromTzif(tzif, at("2090-07-01T12:00:00Z")).get());
        assertEquals(new LocalZone.Interval(3600, "CET"), LocalZone.fromTzif(tzif, at("1980-01-01T00:00:00Z")).get());
    }

    @Test
    void theSwitchHappensAtOneUtcOnTheLastSundayOfMarch() {
        String rule = "CET-1CEST,M3.5.0,M10.5.0/3";
        assertEquals("CET", LocalZone.fromRule(rule, at("2026-03-29T00:59:59Z")).get().abbreviation());
        assertEquals("CEST", LocalZone.fromRule(rule, at("2026-03-29T01:00:00Z")).get().abbreviation());
        assertEquals("CEST", LocalZone.fromRule(rule, at("2026-10-25T00:59:59Z")).get().abbreviation());
        assertEquals("CET", LocalZone.fromRule(rule, at("2026-10-25T01:00:00Z")).get().abbreviation());
    }

    @Test
    void southernHemisphereAndNumericAbbreviations() {
        String sydney = "AEST-10AEDT,M10.1.0,M4.1.0/3";
        assertEquals(new LocalZone.Interval(39600, "AEDT"), LocalZone.fromRule(sydney, at("2026-01-10T00:00:00Z")).get());
        assertEquals(new LocalZone.Interval(36000, "AEST"), LocalZone.fromRule(sydney, at("2026-07-10T00:00:00Z")).get());
        assertEquals(new LocalZone.Interval(10800, "+03"), LocalZone.fromRule("<+03>-3", 0).get());
        assertEquals(new LocalZone.Interval(-18000, "EST"), LocalZone.fromRule("EST5", 0).get());
    }

    @Test
    void notTzifIsRefused() {
        assertEquals(java.util.Optional.empty(), LocalZone.fromTzif("ID=x\n".getBytes(), 0));
    }
}
