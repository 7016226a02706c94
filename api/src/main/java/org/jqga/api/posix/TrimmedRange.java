package org.jqga.api.posix;

/**
 * What {@code FITRIM} wrote back into its {@code struct fstrim_range}.
 *
 * @param trimmedBytes how many bytes the filesystem discarded ({@code len})
 * @param minimumBytes the minimum extent length it used ({@code minlen})
 */
public record TrimmedRange(long trimmedBytes, long minimumBytes) {
}
