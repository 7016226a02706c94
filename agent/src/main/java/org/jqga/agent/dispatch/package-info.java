/**
 * From a parsed request to a response: envelope checks in qemu-ga's order, command lookup, the allow/block and
 * frozen-filesystem gate, argument validation against the command's declared argument record, execution, and
 * the mapping of failures to QGA error classes.
 */
package org.jqga.agent.dispatch;
