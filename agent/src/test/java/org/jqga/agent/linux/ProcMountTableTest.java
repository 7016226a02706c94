package org.jqga.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcMountTableTest {
    @TempDir
    Path dir;

    @Test
    void keepsOneMountPerDeviceSkipsDevicelessOnesAndDecodesEscapes() throws IOException {
        Path mountinfo = dir.resolve("mountinfo");
        Files.writeString(mountinfo, String.join("\n",
                "21 26 0:20 / /proc rw,relatime - proc proc rw",
                "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
                "41 26 7:0 / /mnt/with\\040space rw,relatime shared:1 - ext4 /dev/loop0 rw",
                "42 26 7:0 /sub /srv/bind rw,relatime - ext4 /dev/loop0 rw",
                "43 26 0:30 / /tmp rw - tmpfs tmpfs rw",
                "garbage line",
                ""));
        List<Mount> mounts = new ProcMountTable(mountinfo, dir.resolve("absent")).mounts();
        assertEquals(List.of(new Mount("/", "ext4", 254, 0), new Mount("/mnt/with space", "ext4", 7, 0)), mounts);
    }

    @Test
    void fallsBackToTheMountsFileAndFailsWithQemuGasTextWhenNeitherCanBeRead() throws IOException {
        Path mounts = dir.resolve("mounts");
        Files.writeString(mounts, "proc /proc proc rw 0 0\n//server/share /mnt/smb cifs rw 0 0\n"
                + "/dev/nonexistent-device /data ext4 rw 0 0\n" + dir + " /bound none rw,bind 0 0\n");
        assertEquals(List.of(new Mount("/data", "ext4", 0, 0)),
                new ProcMountTable(dir.resolve("absent"), mounts).mounts());
        IOException e = assertThrows(IOException.class,
                () -> new ProcMountTable(dir.resolve("absent"), dir.resolve("absent too")).mounts());
        assertEquals("failed to open mtab file: '/proc/self/mounts'", e.getMessage());
    }
}
