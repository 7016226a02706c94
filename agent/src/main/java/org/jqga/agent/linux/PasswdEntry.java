package org.jqga.agent.linux;

/** The members of {@code struct passwd} the agent uses. */
public record PasswdEntry(String name, long uid, long gid, String home) {
}
