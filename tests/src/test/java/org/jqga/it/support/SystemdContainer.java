package org.jqga.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * systemd booted as PID 1 in a container ({@code systemd-nspawn --boot}) on a root file system that it never
 * changes: the root is a volatile overlay, and what the tests install or write is gone when the container stops.
 * Commands run inside with {@code nsenter}; the container's files, unix sockets included, are reached from here
 * through {@code /proc/PID1/root}.
 */
public final class SystemdContainer implements AutoCloseable {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final Duration COMMAND = Duration.ofMinutes(3);
    private final Process nspawn;
    private final long pid1;
    private final Path log;
    private final Path scratch;

    private SystemdContainer(Process nspawn, long pid1, Path log, Path scratch) {
        this.nspawn = nspawn;
        this.pid1 = pid1;
        this.log = log;
        this.scratch = scratch;
    }

    /**
     * Boots {@code root} and waits until systemd says the system is up.
     *
     * @param readOnly host directory -> where the container sees it
     * @param scratch  where the container's console log and the commands' output files go
     */
    public static SystemdContainer boot(Path root, Map<Path, String> readOnly, Path scratch)
            throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        Path log = scratch.resolve("container-console.log");
        List<String> command = new ArrayList<>(List.of("systemd-nspawn", "--quiet",
                // This machine's PID 1 is not systemd: there is no machined to register with, and no unit to move to.
                "--register=no", "--keep-unit", "--directory=" + root, "--volatile=overlay", "--boot",
                "--console=pipe", "--machine=jqga-it-" + ProcessHandle.current().pid()));
        readOnly.forEach((host, inside) -> command.add("--bind-ro=" + host + ":" + inside));
        Process nspawn = new ProcessBuilder(command).redirectInput(new File("/dev/null"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + BOOT.toNanos();
        Optional<Long> pid1 = Optional.empty();
        while (pid1.isEmpty() && nspawn.isAlive() && System.nanoTime() < deadline) {
            pid1 = containerInit(nspawn);
            if (pid1.isEmpty()) {
                Thread.sleep(50);
            }
        }
        if (pid1.isEmpty()) {
            nspawn.destroyForcibly().waitFor();
            throw new ContainerException("systemd-nspawn did not start systemd as the container's PID 1 ("
                    + (nspawn.isAlive() ? "still no init after " + BOOT : "nspawn exited " + nspawn.exitValue())
                    + "): " + command + "\n" + Files.readString(log));
        }
        SystemdContainer container = new SystemdContainer(nspawn, pid1.get(), log, scratch);
        // systemctl talks to PID 1 on its private socket, which appears a moment after PID 1 does.
        Path manager = container.path("/run/systemd/private");
        while (!Files.exists(manager) && nspawn.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Exec.Result up = container.exec("systemctl", "is-system-running", "--wait");
        String state = up.stdout().strip();
        if (!state.equals("running") && !state.equals("degraded")) {
            String failed = container.exec("systemctl", "--failed", "--no-pager").stdout();
            container.close();
            throw new ContainerException("the container's systemd did not come up: is-system-running --wait "
                    + up + "\n" + failed + "\n--- console ---\n" + Files.readString(log));
        }
        return container;
    }

    /**
     * The container's init: nspawn's descendant named systemd that is PID 1 in its own pid namespace (nspawn's
     * first child is a helper that forks it).
     */
    private static Optional<Long> containerInit(Process nspawn) {
        return nspawn.descendants().map(ProcessHandle::pid).filter(pid -> {
            try {
                Path proc = Path.of("/proc", Long.toString(pid));
                if (!Files.readString(proc.resolve("comm")).strip().equals("systemd")) {
                    return false;
                }
                return Files.readAllLines(proc.resolve("status")).stream()
                        .anyMatch(l -> l.startsWith("NSpid:") && l.endsWith("\t1"));
            } catch (IOException e) {
                return false; // exited while we looked: not the init we wait for
            }
        }).findFirst();
    }

    /** Runs {@code command} in the container's namespaces, as root, and waits for it. */
    public Exec.Result exec(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("nsenter", "--target=" + pid1, "--all", "--"));
        full.addAll(List.of(command));
        return Exec.run(full, Map.of(), scratch, COMMAND);
    }

    /** Runs {@code command} as {@link #exec} does, and fails the test unless it exits 0; gives its stdout. */
    public String ok(String... command) throws IOException, InterruptedException {
        Exec.Result r = exec(command);
        if (r.status() != 0) {
            throw new AssertionError("in the container, " + String.join(" ", command) + " failed: " + r);
        }
        return r.stdout();
    }

    /** {@code systemctl --user ARGS} against root's user manager, which lingers. */
    public Exec.Result systemctlUser(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("env", "XDG_RUNTIME_DIR=/run/user/0", "systemctl", "--user"));
        command.addAll(List.of(args));
        return exec(command.toArray(String[]::new));
    }

    /** A path inside the container, as this process reaches it. */
    public Path path(String inside) {
        return Path.of("/proc/" + pid1 + "/root" + inside);
    }

    /** The command lines of the container's processes whose name is {@code comm}. */
    public List<String> processes(String comm) {
        List<String> found = new ArrayList<>();
        nspawn.descendants().forEach(p -> {
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            try {
                if (Files.readString(proc.resolve("comm")).strip().equals(comm)) {
                    found.add(p.pid() + ": " + Files.readString(proc.resolve("cmdline")).replace('\0', ' '));
                }
            } catch (IOException e) {
                // exited while we looked: not running
            }
        });
        return found;
    }

    /** Halts the container (nspawn turns SIGTERM into a clean shutdown) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        nspawn.destroy();
        if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
            System.err.println("SystemdContainer: the container did not halt within 60 s of SIGTERM; killing it"
                    + " (console log: " + log + ")");
            nspawn.destroyForcibly().waitFor();
        }
    }

    /** The machine could not boot a container: a reason to skip outside CI, never a finding about jqga. */
    public static final class ContainerException extends IOException {
        private static final long serialVersionUID = 1L;

        ContainerException(String message) {
            super(message);
        }
    }
}
