package org.jqga.api;

import java.util.OptionalLong;

/**
 * Who is on the other end, as far as the kernel (or, failing that, the supervisor) says.
 *
 * @param description one line for logs, e.g. {@code uid 0 gid 0 pid 4242} or {@code cid 2 port 1025}
 */
public record Peer(OptionalLong uid, OptionalLong gid, OptionalLong pid, OptionalLong cid, String description) {
    public static Peer unknown(String description) {
        return new Peer(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                description);
    }

    public static Peer credentials(long uid, long gid, long pid) {
        return new Peer(OptionalLong.of(uid), OptionalLong.of(gid), OptionalLong.of(pid), OptionalLong.empty(),
                "uid " + uid + " gid " + gid + " pid " + pid);
    }

    @Override
    public String toString() {
        return description;
    }
}
