package org.jqga.agent.fuzz;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jqga.agent.AgentModule;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.cli.CommandLine;
import org.jqga.agent.cli.UsageException;
import org.jqga.agent.commands.CommandFamilies;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.linux.ErrnoException;
import org.jqga.agent.linux.FileStatus;
import org.jqga.agent.linux.HostPaths;
import org.jqga.agent.linux.Libc;
import org.jqga.agent.linux.Mounts;
import org.jqga.agent.linux.PasswdEntry;
import org.jqga.agent.linux.ProgramOutcome;
import org.jqga.agent.linux.ProgramRunner;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.agent.state.FrozenState;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;

/**
 * The whole agent (every command family, the real dispatcher, policy and binder) behind seams that keep it in a
 * sandbox: files may only be opened under a temporary directory, which also stands for the root that the power,
 * vCPU and memory-block commands write to; system files are read from the test fixture; nothing is executed
 * (posix_spawn and the program runner refuse); no filesystem is frozen or trimmed (the mount table is empty and
 * the freeze/trim/clock system calls refuse); the state directory is inside the sandbox. What a fuzz input makes
 * the agent do cannot touch the machine running the tests.
 */
final class SandboxedAgent {
    /** Posix calls that only read: everything else (freeze, thaw, trim, settimeofday, open, write…) refuses. */
    private static final Set<String> READ_ONLY_POSIX = Set.of("pid", "isOpen", "isatty", "strerror", "uname",
            "interfaceAddresses", "statvfs", "isCloseOnExec", "fileType");

    final Path sandbox;
    final Injector injector;
    final Dispatcher dispatcher;
    final CommandRegistry registry;

    private SandboxedAgent(Path sandbox, Injector injector) {
        this.sandbox = sandbox;
        this.injector = injector;
        this.dispatcher = injector.getInstance(Dispatcher.class);
        this.registry = injector.getInstance(CommandRegistry.class);
    }

    static SandboxedAgent create(String... extraOptions) {
        try {
            Path sandbox = Files.createTempDirectory("jqga-fuzz-").toRealPath();
            Files.createDirectories(sandbox.resolve("state"));
            Files.createDirectories(sandbox.resolve("files"));
            Files.createDirectories(sandbox.resolve("home"));
            String[] args = new String[extraOptions.length + 2];
            args[0] = "-t";
            args[1] = sandbox.resolve("state").toString();
            System.arraycopy(extraOptions, 0, args, 2, extraOptions.length);
            AgentOptions options = CommandLine.parse(args);
            Path fixture = Path.of(SandboxedAgent.class.getResource("/fixtures/vm1").toURI());
            Injector injector = Guice.createInjector(Stage.PRODUCTION, Modules.override(new AgentModule(options,
                    Posix.load(), new FrozenState(options), CommandFamilies.all())).with(new Seams(sandbox, fixture)));
            return new SandboxedAgent(sandbox, injector);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UsageException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Seams extends AbstractModule {
        private final Path sandbox;
        private final Path fixture;

        Seams(Path sandbox, Path fixture) {
            this.sandbox = sandbox;
            this.fixture = fixture;
        }

        @Override
        protected void configure() {
            bind(SystemRoot.class).toInstance(SystemRoot.at(fixture));
            bind(HostPaths.class).toInstance(new HostPaths(sandbox));
            bind(Posix.class).toInstance(readOnlyPosix(Posix.load()));
        }

        @Provides
        @Singleton
        Libc libc() {
            return new SandboxLibc(Libc.load(), sandbox);
        }

        @Provides
        @Singleton
        ProgramRunner programRunner() {
            return argv -> new ProgramOutcome.NotStarted(1, "Operation not permitted (sandbox: nothing is run)");
        }

        @Provides
        @Singleton
        Mounts mounts() {
            return List::of;
        }
    }

    private static Posix readOnlyPosix(Posix real) {
        return (Posix) Proxy.newProxyInstance(Posix.class.getClassLoader(), new Class<?>[] {Posix.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(real, args);
                    }
                    if (!READ_ONLY_POSIX.contains(method.getName())) {
                        throw new PosixException(method.getName() + ": Operation not permitted (sandbox)", 1);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** libc that opens files only below the sandbox, runs nothing and knows every user as living in it. */
    static final class SandboxLibc implements Libc {
        private static final int EPERM = 1;
        private final Libc real;
        private final Path sandbox;

        SandboxLibc(Libc real, Path sandbox) {
            this.real = real;
            this.sandbox = sandbox;
        }

        private void requireInside(String path) throws ErrnoException {
            if (path.indexOf('\0') >= 0 || !path.startsWith(sandbox + "/") || path.contains("/..")
                    || path.contains("/./") || path.endsWith("/.")) {
                throw new ErrnoException(EACCES, "Permission denied (outside the fuzzing sandbox)");
            }
        }

        @Override
        public int open(String path, int flags, int mode) throws ErrnoException {
            requireInside(path);
            return real.open(path, flags, mode);
        }

        @Override
        public int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
            return real.read(fd, buf, off, len);
        }

        @Override
        public int write(int fd, byte[] buf, int off, int len) throws ErrnoException {
            return real.write(fd, buf, off, len);
        }

        @Override
        public long lseek(int fd, long offset, int whence) throws ErrnoException {
            return real.lseek(fd, offset, whence);
        }

        @Override
        public int pread(int fd, byte[] buf, int off, int len, long offset) throws ErrnoException {
            return real.pread(fd, buf, off, len, offset);
        }

        @Override
        public FileStatus fstat(int fd) throws ErrnoException {
            return real.fstat(fd);
        }

        @Override
        public void fchmod(int fd, int mode) throws ErrnoException {
            real.fchmod(fd, mode);
        }

        @Override
        public void close(int fd) throws ErrnoException {
            real.close(fd);
        }

        @Override
        public void unlink(String path) throws ErrnoException {
            requireInside(path);
            real.unlink(path);
        }

        @Override
        public boolean isCloseOnExec(int fd) throws ErrnoException {
            return real.isCloseOnExec(fd);
        }

        @Override
        public int[] pipe() throws ErrnoException {
            return real.pipe();
        }

        @Override
        public int spawn(String executable, List<String> argv, List<String> env, int stdin, int stdout, int stderr,
                         boolean newSession) throws ErrnoException {
            throw new ErrnoException(EPERM, "Operation not permitted (sandbox: nothing is run)");
        }

        @Override
        public int waitpid(int pid) throws ErrnoException {
            throw new ErrnoException(10, "No child processes");
        }

        @Override
        public boolean isExecutable(String path) {
            return false;
        }

        @Override
        public Optional<PasswdEntry> getpwnam(String name) {
            if (!name.matches("[a-z_][a-z0-9_-]{0,31}")) {
                return Optional.empty();
            }
            try {
                // The sandbox's owner: chown()ing a key file to it changes nothing outside the sandbox.
                long uid = ((Number) Files.getAttribute(sandbox, "unix:uid")).longValue();
                long gid = ((Number) Files.getAttribute(sandbox, "unix:gid")).longValue();
                return Optional.of(new PasswdEntry(name, uid, gid, sandbox.resolve("home").resolve(name).toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String strerror(int errno) {
            return real.strerror(errno);
        }
    }
}
