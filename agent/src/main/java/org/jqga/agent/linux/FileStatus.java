package org.jqga.agent.linux;

/** What {@link Libc#fstat} tells: whether the file is a regular one ({@code S_ISREG}) and its {@code st_size}. */
public record FileStatus(boolean regularFile, long size) {
}
