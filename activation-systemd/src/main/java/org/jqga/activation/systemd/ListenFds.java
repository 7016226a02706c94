package org.jqga.activation.systemd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jqga.api.ActivationException;
import org.jqga.api.SysExits;

/**
 * What {@code LISTEN_PID}, {@code LISTEN_FDS} and {@code LISTEN_FDNAMES} say, read as libsystemd's
 * {@code sd_listen_fds_with_names} reads them: absent or meant for another process is "not ours" (an empty
 * result with the reason), malformed is an error that names the variable, its value and the rule.
 *
 * @param pid      {@code LISTEN_PID}, equal to this process's id
 * @param firstFd  the first passed descriptor (3 outside tests)
 * @param count    {@code LISTEN_FDS}
 * @param names    one name per fd: {@code LISTEN_FDNAMES} split on ':', or {@code unknown} when it is not set
 * @param named    whether {@code LISTEN_FDNAMES} was set
 */
record ListenFds(long pid, int firstFd, int count, List<String> names, boolean named) {
    static final String LISTEN_PID = "LISTEN_PID";
    static final String LISTEN_FDS = "LISTEN_FDS";
    static final String LISTEN_FDNAMES = "LISTEN_FDNAMES";
    static final String LISTEN_PIDFDID = "LISTEN_PIDFDID";
    /** The variables that are removed after reading, in every outcome. */
    static final List<String> VARIABLES = List.of(LISTEN_PID, LISTEN_PIDFDID, LISTEN_FDS, LISTEN_FDNAMES);
    /** The name systemd documents for an fd without one. */
    static final String UNKNOWN = "unknown";

    ListenFds {
        names = List.copyOf(names);
    }

    /**
     * Reads the variables: the passed fds, or empty with the reason they do not concern this process appended to
     * {@code whyNot}. Malformed values throw.
     */
    static Optional<ListenFds> read(Map<String, String> env, long ourPid, int firstFd, StringBuilder whyNot)
            throws ActivationException {
        String pidText = env.get(LISTEN_PID);
        String fdsText = env.get(LISTEN_FDS);
        if (pidText == null) {
            whyNot.append(fdsText == null ? "LISTEN_PID and LISTEN_FDS are not set"
                    : "LISTEN_FDS=" + fdsText + " is set but LISTEN_PID is not, so the fds are not known to be ours");
            return Optional.empty();
        }
        long pid = parsePid(pidText);
        if (pid != ourPid) {
            whyNot.append("LISTEN_PID=").append(pidText).append(" names another process (this is ").append(ourPid)
                    .append("): the fds are not ours");
            return Optional.empty();
        }
        if (fdsText == null) {
            whyNot.append("LISTEN_PID=").append(pidText).append(" is this process, but LISTEN_FDS is not set");
            return Optional.empty();
        }
        int count = parseCount(fdsText, pidText, firstFd);
        if (count == 0) {
            whyNot.append("LISTEN_FDS=0: no fds were passed");
            return Optional.empty();
        }
        String namesText = env.get(LISTEN_FDNAMES);
        List<String> names = new ArrayList<>();
        if (namesText == null) {
            for (int i = 0; i < count; i++) {
                names.add(UNKNOWN);
            }
        } else {
            // Split without coalescing separators, as libsystemd does: "a::c" is three names, the middle one empty.
            names.addAll(Arrays.asList(namesText.split(":", -1)));
        }
        return Optional.of(new ListenFds(pid, firstFd, count, names, namesText != null));
    }

    /**
     * The name count must match, as libsystemd's {@code sd_listen_fds_with_names} requires; checked after the fds
     * were marked close-on-exec, in the same order as libsystemd.
     */
    void requireMatchingNames() throws ActivationException {
        if (named && names.size() != count) {
            throw new ActivationException(SysExits.EX_DATAERR, "LISTEN_FDNAMES=\"" + String.join(":", names)
                    + "\" has " + names.size() + " name" + (names.size() == 1 ? "" : "s") + " but LISTEN_FDS=" + count
                    + ": expected exactly one colon-separated name per passed fd (fds " + firstFd + ".." + lastFd()
                    + ")");
        }
    }

    int lastFd() {
        return firstFd + count - 1;
    }

    /** The name of {@code fd}, for messages and {@code --listen-name}. */
    String nameOf(int fd) {
        int i = fd - firstFd;
        return i < names.size() ? names.get(i) : UNKNOWN;
    }

    private static long parsePid(String text) throws ActivationException {
        try {
            long pid = Long.parseLong(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ActivationException(SysExits.EX_DATAERR, "LISTEN_PID=\"" + text
                + "\": expected the decimal process id the passed fds are meant for (a positive number)");
    }

    private static int parseCount(String text, String pidText, int firstFd) throws ActivationException {
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ActivationException(SysExits.EX_DATAERR, "LISTEN_FDS=\"" + text + "\" (LISTEN_PID=" + pidText
                    + " is this process): expected the number of fds passed from fd " + firstFd
                    + " on, a whole number of at least 1");
        }
        if (n < 0 || n > Integer.MAX_VALUE - firstFd) {
            throw new ActivationException(SysExits.EX_DATAERR, "LISTEN_FDS=" + text + " (LISTEN_PID=" + pidText
                    + " is this process): expected a whole number from 1 to " + (Integer.MAX_VALUE - firstFd));
        }
        return (int) n;
    }
}
