/** Memory hot-plug blocks: guest-get-memory-blocks and guest-get-memory-block-info. */
package org.jqga.agent.commands.memory;
