package org.jqga.api.posix;

/**
 * What {@code statvfs(3)} says about a mounted filesystem. Counts are C {@code unsigned long}: read them with
 * {@link Long#toUnsignedString(long)} semantics.
 *
 * @param fragmentSize    {@code f_frsize}, the unit of the block counts
 * @param blocks          {@code f_blocks}, the filesystem's size in fragments
 * @param freeBlocks      {@code f_bfree}, free fragments (including those reserved for root)
 * @param availableBlocks {@code f_bavail}, free fragments an unprivileged user may use
 */
public record StatVfs(long fragmentSize, long blocks, long freeBlocks, long availableBlocks) {
}
