package org.jqga.api;

/** The exit statuses of BSD {@code sysexits.h} that a daemon's start-up can end with. */
public final class SysExits {
    /** The command was used incorrectly (bad option combination). */
    public static final int EX_USAGE = 64;
    /** Input data was incorrect (a malformed environment variable). */
    public static final int EX_DATAERR = 65;
    /** An input file (a device to open) did not exist or was not readable. */
    public static final int EX_NOINPUT = 66;
    /** A service is unavailable (e.g. a transport module is not installed, the kernel lacks a family). */
    public static final int EX_UNAVAILABLE = 69;
    /** An internal software error. */
    public static final int EX_SOFTWARE = 70;
    /** An operating-system error (a syscall failed). */
    public static final int EX_OSERR = 71;
    /** A file could not be created. */
    public static final int EX_CANTCREAT = 73;
    /** Input/output error. */
    public static final int EX_IOERR = 74;
    /** Insufficient permission. */
    public static final int EX_NOPERM = 77;
    /** Something was found in an unconfigured or misconfigured state (a wrong fd type from a supervisor). */
    public static final int EX_CONFIG = 78;

    private SysExits() {
    }
}
