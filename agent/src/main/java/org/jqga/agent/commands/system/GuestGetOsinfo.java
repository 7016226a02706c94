package org.jqga.agent.commands.system;

import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import com.google.inject.Provider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.NoArguments;
import org.jqga.agent.linux.FileFailure;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.Utsname;

/**
 * The kernel from {@code uname(2)} and the distribution from {@code os-release}: the file named by
 * {@code $QGA_OS_RELEASE}, else {@code /etc/os-release}, else {@code /usr/lib/os-release}. A file GLib would not
 * load drops all seven os-release fields; a missing key drops its field.
 */
final class GuestGetOsinfo implements Command<NoArguments> {
    static final CommandSpec<NoArguments> SPEC = CommandSpec.of("guest-get-osinfo", NoArguments.class);

    /** {@code GuestOSInfo}: every member optional. */
    record OsInfo(@SerializedName("kernel-release") String kernelRelease,
                  @SerializedName("kernel-version") String kernelVersion,
                  String machine, String id, String name,
                  @SerializedName("pretty-name") String prettyName,
                  String version,
                  @SerializedName("version-id") String versionId,
                  String variant,
                  @SerializedName("variant-id") String variantId) {
    }

    /** The uname call, a seam for tests. */
    interface Uname {
        Utsname get() throws PosixException;
    }

    private final SystemRoot root;
    private final Uname uname;
    private final Function<String, String> env;

    @Inject
    GuestGetOsinfo(SystemRoot root, Provider<Posix> posix) {
        this(root, () -> posix.get().uname(), System::getenv);
    }

    GuestGetOsinfo(SystemRoot root, Uname uname, Function<String, String> env) {
        this.root = root;
        this.uname = uname;
        this.env = env;
    }

    @Override
    public CommandSpec<NoArguments> spec() {
        return SPEC;
    }

    @Override
    public Object execute(NoArguments arguments) throws CommandException {
        Utsname u;
        try {
            u = uname.get();
        } catch (PosixException e) {
            throw new CommandException("uname failed: " + e.getMessage());
        }
        Optional<Map<String, byte[]>> release;
        String named = env.apply("QGA_OS_RELEASE");
        if (named != null) {
            release = load(named.startsWith("/") ? named : Path.of(named).toAbsolutePath().toString());
        } else {
            release = load("/etc/os-release");
            if (release.isEmpty()) {
                release = load("/usr/lib/os-release");
            }
        }
        Map<String, byte[]> r = release.orElse(Map.of());
        return new OsInfo(u.release(), u.version(), u.machine(), field(r, "ID"), field(r, "NAME"),
                field(r, "PRETTY_NAME"), field(r, "VERSION"), field(r, "VERSION_ID"), field(r, "VARIANT"),
                field(r, "VARIANT_ID"));
    }

    private Optional<Map<String, byte[]>> load(String path) {
        try {
            return OsRelease.parse(root.readBytes(path));
        } catch (FileFailure e) {
            return Optional.empty(); // qemu-ga only logs this
        }
    }

    private static String field(Map<String, byte[]> release, String key) {
        byte[] v = release.get(key);
        return v == null ? null : OsRelease.replaceSpecial(v);
    }
}
