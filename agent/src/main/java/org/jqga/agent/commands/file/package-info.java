/**
 * guest-file-open, -close, -read, -write, -seek, -flush. Handles come from qemu-ga's persistent counter
 * ({@code <statedir>/qga.state}, from 1000), are global to the agent and survive client reconnects. Differences
 * from qemu-ga, all deliberate: the descriptor is used without a stdio buffer (so guest-file-flush has nothing to
 * push out); when a non-blocking pipe runs dry part-way through a read or write, the bytes already transferred are
 * reported instead of an EAGAIN error that would lose them; the state file is read at the first open rather than
 * at start-up; a read of 1 MiB or more of a regular file is streamed from the file into the reply (see
 * {@link org.jqga.agent.commands.file.OpenFile}), and if the file shrinks meanwhile the client's connection is closed
 * rather than answered with wrong bytes (qemu-ga reads it all first).
 */
package org.jqga.agent.commands.file;
