/**
 * Agent-wide state that survives client sessions: the frozen-filesystem flag with its marker file in the state
 * directory, and the pidfile.
 */
package org.jqga.agent.state;
