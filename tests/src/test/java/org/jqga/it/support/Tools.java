package org.jqga.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs the tests drive. A missing one skips the test with the reason printed, except in CI
 * ({@code CI=true}), where a skip would hide an untested feature: there it fails.
 */
public final class Tools {
    private Tools() {
    }

    /** The absolute path of {@code program} on PATH (plus /usr/sbin and /sbin), if any. */
    public static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** The program's path; skips (or fails in CI) the calling test when it is missing. */
    public static Path require(String program, String debianPackage) {
        Optional<Path> p = find(program);
        if (p.isPresent()) {
            return p.get();
        }
        unavailable(program + " is not installed (Debian package " + debianPackage + ")");
        throw new AssertionError("unreachable");
    }

    /** Skips the test with {@code reason} printed, or fails it in CI. */
    public static void unavailable(String reason) {
        if ("true".equals(System.getenv("CI"))) {
            fail("CI must run every test, but " + reason + "; .ci/run should install it");
        }
        System.err.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }

    /**
     * Skips a test that needs a virtual machine's hardware (a vsock peer, a virtio-serial host) this machine lacks,
     * with the reason printed. Unlike {@link #unavailable} this skips in CI too: no package can supply a hypervisor.
     */
    public static void needsVm(String reason) {
        System.err.println("SKIPPED (needs a VM): " + reason);
        Assumptions.abort("needs a VM: " + reason);
    }
}
