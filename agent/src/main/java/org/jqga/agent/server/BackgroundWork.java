package org.jqga.agent.server;

import java.util.Optional;

/**
 * Work that keeps the agent from exiting idle although no client is connected, such as a running
 * {@code guest-exec} child whose status a host will still ask for. Registered in {@link BackgroundWorks} by the
 * command family that owns the work.
 */
public interface BackgroundWork {
    /** What is running, e.g. {@code guest-exec child pid 4242}, or empty when nothing is. */
    Optional<String> running();
}
