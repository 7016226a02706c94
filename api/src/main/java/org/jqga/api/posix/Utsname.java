package org.jqga.api.posix;

/** The fields of {@code uname(2)}'s {@code struct utsname}. */
public record Utsname(String sysname, String nodename, String release, String version, String machine) {
}
