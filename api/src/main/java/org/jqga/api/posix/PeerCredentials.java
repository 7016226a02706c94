package org.jqga.api.posix;

/** {@code SO_PEERCRED}: the process that connected (or created a socketpair). */
public record PeerCredentials(long pid, long uid, long gid) {
}
