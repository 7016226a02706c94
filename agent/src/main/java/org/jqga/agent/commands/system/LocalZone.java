package org.jqga.agent.commands.system;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.time.DayOfWeek;
import java.util.Optional;

/**
 * The local zone's offset and abbreviation at an instant, as GLib's {@code g_time_zone_new_local} finds them:
 * the TZif file {@code /etc/localtime} (or the one {@code $TZ} names), its transitions, and past the last one the
 * POSIX TZ rule in the file's footer. {@code $TZ} may also be a POSIX rule itself. Whatever cannot be read is UTC,
 * as in GLib. Java's own zone names ({@code TimeZone.getDisplayName}) are CLDR's, not the tz database's, so the
 * abbreviation is taken from the file.
 */
final class LocalZone {
    /** An offset east of UTC in seconds and its abbreviation. */
    record Interval(int offset, String abbreviation) {
    }

    static final Interval UTC = new Interval(0, "UTC");

    private LocalZone() {
    }

    /** The interval of TZif data {@code tzif} that contains {@code epochSecond}; empty if it is not TZif. */
    static Optional<Interval> fromTzif(byte[] tzif, long epochSecond) {
        if (tzif.length < 44 || tzif[0] != 'T' || tzif[1] != 'Z' || tzif[2] != 'i' || tzif[3] != 'f') {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(tzif);
        int version = tzif[4];
        int at = 0;
        int timeSize = 4;
        int[] c = counts(b, at);
        if (version >= '2') {
            // Skip the 32-bit block; the 64-bit one after it is authoritative.
            at = 44 + c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
            if (at + 44 > tzif.length || tzif[at] != 'T') {
                return Optional.empty();
            }
            c = counts(b, at);
            timeSize = 8;
        }
        int timecnt = c[3];
        int typecnt = c[4];
        int charcnt = c[5];
        int times = at + 44;
        int indices = times + timecnt * timeSize;
        int types = indices + timecnt;
        int chars = types + typecnt * 6;
        int end = chars + charcnt + c[2] * (timeSize + 4) + c[1] + c[0];
        if (typecnt == 0 || end > tzif.length) {
            return Optional.empty();
        }
        if (version >= '2' && end < tzif.length && tzif[end] == '\n') {
            int close = end + 1;
            while (close < tzif.length && tzif[close] != '\n') {
                close++;
            }
            String footer = new String(tzif, end + 1, close - end - 1, StandardCharsets.US_ASCII);
            long last = timecnt == 0 ? Long.MIN_VALUE : time(b, times, timecnt - 1, timeSize);
            if (!footer.isEmpty() && epochSecond >= last) {
                Optional<Interval> rule = fromRule(footer, epochSecond);
                if (rule.isPresent()) {
                    return rule;
                }
            }
        }
        int type = -1;
        for (int i = 0; i < timecnt; i++) {
            if (time(b, times, i, timeSize) <= epochSecond) {
                type = tzif[indices + i] & 0xFF;
            } else {
                break;
            }
        }
        if (type < 0 || type >= typecnt) {
            // Before the first transition GLib uses the first standard-time type.
            type = 0;
            for (int t = 0; t < typecnt; t++) {
                if (tzif[types + t * 6 + 4] == 0) {
                    type = t;
                    break;
                }
            }
        }
        int utoff = b.getInt(types + type * 6);
        int abbrind = tzif[types + type * 6 + 5] & 0xFF;
        int e = chars + abbrind;
        while (e < chars + charcnt && tzif[e] != 0) {
            e++;
        }
        return Optional.of(new Interval(utoff, new String(tzif, chars + abbrind, e - chars - abbrind,
                StandardCharsets.US_ASCII)));
    }

    private static int[] counts(ByteBuffer b, int at) {
        int[] c = new int[6];
        for (int i = 0; i < 6; i++) {
            c[i] = b.getInt(at + 20 + 4 * i);
        }
        return c;
    }

    private static long time(ByteBuffer b, int times, int i, int size) {
        return size == 8 ? b.getLong(times + i * 8) : b.getInt(times + i * 4);
    }

    /** A POSIX TZ rule such as {@code CET-1CEST,M3.5.0,M10.5.0/3} at {@code epochSecond}. */
    static Optional<Interval> fromRule(String rule, long epochSecond) {
        RuleParser p = new RuleParser(rule);
        String std = p.name();
        if (std == null || !p.hasOffset()) {
            return Optional.empty();
        }
        int stdOff = -p.offset();
        if (p.atEnd()) {
            return Optional.of(new Interval(stdOff, std));
        }
        String dst = p.name();
        if (dst == null) {
            return Optional.empty();
        }
        int dstOff = p.hasOffset() ? -p.offset() : stdOff + 3600;
        String startRule = "M3.2.0";
        String endRule = "M11.1.0";
        if (!p.atEnd()) {
            String[] parts = p.rest().split(",", -1);
            if (parts.length != 3 || !parts[0].isEmpty()) {
                return Optional.empty();
            }
            startRule = parts[1];
            endRule = parts[2];
        }
        int year = LocalDate.ofEpochDay(Math.floorDiv(epochSecond + stdOff, 86400)).getYear();
        Long start = transition(startRule, year, stdOff);
        Long end = transition(endRule, year, dstOff);
        if (start == null || end == null) {
            return Optional.empty();
        }
        boolean inDst = start < end ? epochSecond >= start && epochSecond < end
                : !(epochSecond >= end && epochSecond < start);
        return Optional.of(inDst ? new Interval(dstOff, dst) : new Interval(stdOff, std));
    }

    /** The UTC second at which a {@code Mm.w.d[/time]}, {@code Jn[/time]} or {@code n[/time]} date falls. */
    private static Long transition(String spec, int year, int offsetBefore) {
        try {
            String date = spec;
            long time = 7200;
            int slash = spec.indexOf('/');
            if (slash >= 0) {
                date = spec.substring(0, slash);
                RuleParser t = new RuleParser(spec.substring(slash + 1));
                if (!t.hasOffset()) {
                    return null;
                }
                time = t.offset();
            }
            LocalDate day;
            if (date.startsWith("M")) {
                String[] mwd = date.substring(1).split("\\.");
                int month = Integer.parseInt(mwd[0]);
                int week = Integer.parseInt(mwd[1]);
                int dow = Integer.parseInt(mwd[2]);
                DayOfWeek weekday = DayOfWeek.of(dow == 0 ? 7 : dow);
                LocalDate first = LocalDate.of(year, month, 1).with(TemporalAdjusters.firstInMonth(weekday));
                day = first.plusWeeks(week - 1L);
                if (week == 5 || day.getMonthValue() != month) {
                    day = LocalDate.of(year, month, 1).with(TemporalAdjusters.lastInMonth(weekday));
                }
            } else if (date.startsWith("J")) {
                int n = Integer.parseInt(date.substring(1));
                day = LocalDate.of(year, 1, 1).plusDays(n - 1L);
                if (day.isLeapYear() && n >= 60) {
                    day = day.plusDays(1);
                }
            } else {
                day = LocalDate.of(year, 1, 1).plusDays(Integer.parseInt(date));
            }
            return day.toEpochDay() * 86400 + time - offsetBefore;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Reads the parts of a POSIX TZ string left to right. */
    private static final class RuleParser {
        private final String s;
        private int i;

        RuleParser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        String rest() {
            return s.substring(i);
        }

        /** {@code <...>} or three or more letters. */
        String name() {
            if (i < s.length() && s.charAt(i) == '<') {
                int close = s.indexOf('>', i);
                if (close < 0) {
                    return null;
                }
                String n = s.substring(i + 1, close);
                i = close + 1;
                return n;
            }
            int start = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            return i - start >= 3 ? s.substring(start, i) : null;
        }

        boolean hasOffset() {
            return i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '+' || s.charAt(i) == '-');
        }

        /** {@code [+-]hh[:mm[:ss]]} in seconds (POSIX sign: positive is west of Greenwich). */
        int offset() {
            int sign = 1;
            if (s.charAt(i) == '+' || s.charAt(i) == '-') {
                sign = s.charAt(i) == '-' ? -1 : 1;
                i++;
            }
            int total = 0;
            int[] scale = {3600, 60, 1};
            for (int part = 0; part < 3; part++) {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    break;
                }
                total += Integer.parseInt(s.substring(start, i)) * scale[part];
                if (part < 2 && i < s.length() && s.charAt(i) == ':') {
                    i++;
                } else {
                    break;
                }
            }
            return sign * total;
        }
    }
}
