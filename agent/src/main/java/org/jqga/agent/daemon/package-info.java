/** --daemonize for a JVM: a launcher re-executes the agent detached and waits on a readiness pipe. */
package org.jqga.agent.daemon;
