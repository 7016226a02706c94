package org.jqga.agent.linux;

import java.io.IOException;
import java.util.List;

/** The local filesystems that fsfreeze and fstrim work on, in mount order: a seam over {@link MountTable}. */
public interface Mounts {
    /** @throws IOException with qemu-ga's text when the table cannot be read */
    List<Mount> mounts() throws IOException;
}
