/** guest-exec and guest-exec-status: children spawned without agent fds, reaped at once, status kept until read. */
package org.jqga.agent.commands.exec;
