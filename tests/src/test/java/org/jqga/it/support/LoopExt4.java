package org.jqga.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ext4 filesystem in a file, loop-mounted under a test directory: something the tests may freeze and trim
 * without touching the machine's own filesystems. Needs root, {@code mkfs.ext4} (e2fsprogs) and {@code mount},
 * {@code umount}, {@code fsfreeze} (util-linux/mount); anything missing skips the test with the reason.
 */
public final class LoopExt4 implements AutoCloseable {
    private final Path mountpoint;
    private final Path fsfreeze;
    private final Path umount;

    private LoopExt4(Path mountpoint, Path fsfreeze, Path umount) {
        this.mountpoint = mountpoint;
        this.fsfreeze = fsfreeze;
        this.umount = umount;
    }

    public static LoopExt4 create(Path dir) throws IOException, InterruptedException {
        Path mkfs = Tools.require("mkfs.ext4", "e2fsprogs");
        Path mount = Tools.require("mount", "mount");
        Path umount = Tools.require("umount", "mount");
        Path fsfreeze = Tools.require("fsfreeze", "util-linux");
        if (!"root".equals(System.getProperty("user.name"))) {
            Tools.unavailable("loop-mounting an ext4 image needs root, but the tests run as "
                    + System.getProperty("user.name"));
        }
        Path image = dir.resolve("ext4.img");
        try (var f = Files.newByteChannel(image, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            f.position(16L * 1024 * 1024 - 1).write(java.nio.ByteBuffer.wrap(new byte[1]));
        }
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        String mkfsOut = run(List.of(mkfs.toString(), "-q", "-F", image.toString()));
        if (mkfsOut != null) {
            Tools.unavailable("mkfs.ext4 failed: " + mkfsOut);
        }
        String mountOut = run(List.of(mount.toString(), "-o", "loop", image.toString(), mnt.toString()));
        if (mountOut != null) {
            Tools.unavailable("mount -o loop " + image + " failed (loop devices unavailable here?): " + mountOut);
        }
        return new LoopExt4(mnt, fsfreeze, umount);
    }

    /** Runs a command; null on exit 0, else its status and output. */
    private static String run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit status " + p.exitValue() + ": " + out.trim();
    }

    public Path mountpoint() {
        return mountpoint;
    }

    /** Whether the kernel has the filesystem frozen: {@code fsfreeze --freeze} fails with EBUSY then. */
    public boolean isFrozen() throws IOException, InterruptedException {
        if (run(List.of(fsfreeze.toString(), "--freeze", mountpoint.toString())) != null) {
            return true;
        }
        run(List.of(fsfreeze.toString(), "--unfreeze", mountpoint.toString()));
        return false;
    }

    /** Thaws (whatever a failed test left frozen, or nothing) and unmounts; the loop device goes with it. */
    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of(fsfreeze.toString(), "--unfreeze", mountpoint.toString()));
        String out = run(List.of(umount.toString(), mountpoint.toString()));
        if (out != null) {
            throw new IOException("umount " + mountpoint + " failed: " + out);
        }
    }
}
