package org.jqga.api.posix;

/**
 * What identifies an open file across descriptors: {@code st_dev} and {@code st_ino}. inetd hands one socket out
 * as fd 0, 1 and 2; equal keys are how that is recognised.
 */
public record FileKey(long deviceMajor, long deviceMinor, long inode) {
}
