package org.jqga.agent.commands.fstrim;

import java.util.List;

/** {@code GuestFilesystemTrimResponse}. */
record TrimResponse(List<TrimResult> paths) {
}
