package org.jqga.activation.inetd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the process that started us says about the client: the UCSPI variables ({@code PROTO} and
 * {@code ${PROTO}REMOTE*}: s6-ipcserver's {@code IPCREMOTEEUID}, unixserver's {@code UNIXREMOTEPID}, tcpserver's
 * {@code TCPREMOTEIP} ...), systemd's {@code REMOTE_ADDR}/{@code REMOTE_PORT} and socat's {@code SOCAT_PEERADDR}.
 * A parent can set any of them, so they describe the peer in logs and never decide anything; the kernel's
 * {@code SO_PEERCRED} does that.
 *
 * @param assignments the variables that apply, in a stable order, as {@code NAME=value} ready for a log line
 * @param problems    one message per variable that was ignored because its value is malformed
 * @param remoteEuid  {@code ${PROTO}REMOTEEUID}, when present and well-formed
 */
record SupervisorEnvironment(List<String> assignments, List<String> problems, OptionalLong remoteEuid) {
    private static final Pattern PROTO = Pattern.compile("[A-Z][A-Z0-9]*");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,19}");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:/@+,=\\[\\]-]+");
    private static final List<String> OTHER_SUPERVISORS = List.of("REMOTE_ADDR", "REMOTE_PORT", "SOCAT_PEERADDR",
            "SOCAT_PEERPORT");

    SupervisorEnvironment {
        assignments = List.copyOf(assignments);
        problems = List.copyOf(problems);
    }

    static SupervisorEnvironment of(Map<String, String> env) {
        List<String> assignments = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        OptionalLong euid = OptionalLong.empty();
        String proto = env.get("PROTO");
        if (proto != null) {
            if (!PROTO.matcher(proto).matches()) {
                problems.add("PROTO=" + quote(proto) + ": expected an upper-case protocol name such as IPC, UNIX"
                        + " or TCP; the UCSPI variables are ignored");
            } else {
                assignments.add("PROTO=" + proto);
                Map<String, String> remote = new TreeMap<>();
                env.forEach((k, v) -> {
                    if (k.startsWith(proto + "REMOTE")) {
                        remote.put(k, v);
                    }
                });
                for (Map.Entry<String, String> e : remote.entrySet()) {
                    if (accept(e.getKey(), e.getValue(), problems)) {
                        assignments.add(e.getKey() + "=" + quote(e.getValue()));
                        if (e.getKey().equals(proto + "REMOTEEUID")) {
                            euid = OptionalLong.of(Long.parseLong(e.getValue()));
                        }
                    }
                }
            }
        }
        for (String k : OTHER_SUPERVISORS) {
            String v = env.get(k);
            if (v != null && accept(k, v, problems)) {
                assignments.add(k + "=" + quote(v));
            }
        }
        return new SupervisorEnvironment(assignments, problems, euid);
    }

    /** Numeric variables (uids, gids, pids, ports) must be decimal numbers; anything else is kept as text. */
    private static boolean accept(String name, String value, List<String> problems) {
        boolean numeric = name.endsWith("UID") || name.endsWith("GID") || name.endsWith("PID")
                || name.endsWith("PORT");
        if (numeric && !NUMBER.matcher(value).matches()) {
            problems.add(name + "=" + quote(value) + ": expected a decimal number; ignored");
            return false;
        }
        return true;
    }

    /** For a log line, e.g. {@code [PROTO=IPC IPCREMOTEEUID=0 IPCREMOTEPATH='']}; empty when nothing applies. */
    Optional<String> summary() {
        return assignments.isEmpty() ? Optional.empty()
                : Optional.of("[" + String.join(" ", assignments) + "]");
    }

    /** A value as a log can show it: plain values as they are, others single-quoted with control bytes escaped. */
    static String quote(String value) {
        if (PLAIN.matcher(value).matches()) {
            return value;
        }
        return "'" + value.codePoints().mapToObj(SupervisorEnvironment::escape).collect(Collectors.joining()) + "'";
    }

    private static String escape(int cp) {
        if (cp == '\'' || cp == '\\') {
            return "\\" + (char) cp;
        }
        if (cp < 0x20 || cp == 0x7f) {
            return String.format("\\x%02x", cp);
        }
        return new String(Character.toChars(cp));
    }
}
