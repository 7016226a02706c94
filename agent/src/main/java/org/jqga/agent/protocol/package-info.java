/**
 * The QGA wire format: {@link org.jqga.agent.protocol.Framer} cuts a byte stream into JSON texts exactly where
 * qemu-ga's lexer and streamer do (QEMU's JSON dialect, the 0xFF resynchronisation, the size, token and depth
 * limits with error recovery), and {@link org.jqga.agent.protocol.QgaJsonWriter} renders responses byte for byte
 * as qemu-ga does (separators, escapes, number format and QDict key order).
 */
package org.jqga.agent.protocol;
