/** Agent-wide state that survives client sessions: the frozen-filesystem flag (and later the state directory). */
package org.jqga.agent.state;
