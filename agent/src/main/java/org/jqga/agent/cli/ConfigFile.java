package org.jqga.agent.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.jqga.agent.cli.KeyFile.KeyFileException;

/**
 * qemu-ga's configuration file: group {@code [general]} of a GLib key file, read with the same keys, types and
 * messages as qemu-ga's {@code config_load}, plus jqga's own keys. Unknown keys and groups are ignored (so a file
 * written for jqga still works with qemu-ga, which ignores jqga's keys).
 */
final class ConfigFile {
    static final String GROUP = "general";
    /** Where qemu-ga looks when neither -c nor QGA_CONF says otherwise. */
    static final String DEFAULT_PATH = "/etc/qemu/qemu-ga.conf";

    private ConfigFile() {
    }

    /** Which file to read and whether it must exist: {@code -c} (must) &gt; {@code $QGA_CONF} &gt; the default. */
    record Location(String path, boolean required) {
        static Location of(Optional<String> commandLine, Map<String, String> env) {
            if (commandLine.isPresent()) {
                return new Location(commandLine.get(), true);
            }
            String fromEnv = env.get("QGA_CONF");
            return new Location(fromEnv != null ? fromEnv : DEFAULT_PATH, false);
        }
    }

    /**
     * Loads {@code location} into {@code b}. A missing file is no error unless required; anything else wrong is
     * fatal with qemu-ga's message {@code error loading configuration from path: PATH, REASON}.
     */
    static void load(Location location, OptionsBuilder b, Consumer<String> warnings) throws ConfigFileException {
        Path path = Path.of(location.path());
        byte[] data;
        try {
            if (Files.exists(path) && !Files.isRegularFile(path)) {
                throw failure(location, "Not a regular file");
            }
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            if (location.required()) {
                throw failure(location, "No such file or directory");
            }
            return;
        } catch (AccessDeniedException e) {
            throw failure(location, "Permission denied");
        } catch (IOException e) {
            throw failure(location, e.getMessage());
        }
        try {
            apply(KeyFile.parse(data), b, warnings);
        } catch (KeyFileException e) {
            throw failure(location, e.getMessage());
        }
    }

    private static ConfigFileException failure(Location location, String reason) {
        return new ConfigFileException("error loading configuration from path: " + location.path() + ", " + reason);
    }

    /** The keys in qemu-ga's order (the first bad one is reported), then jqga's. */
    private static void apply(KeyFile kf, OptionsBuilder b, Consumer<String> warnings) throws KeyFileException {
        if (kf.getBoolean(GROUP, "daemon").orElse(false)) {
            b.daemonize = true;
        }
        setIfPresent(kf, "method", v -> b.method = Optional.of(v));
        setIfPresent(kf, "path", v -> b.path = Optional.of(v));
        setIfPresent(kf, "logfile", v -> b.logfile = Optional.of(v));
        setIfPresent(kf, "pidfile", v -> b.pidfile = Optional.of(v));
        setIfPresent(kf, "fsfreeze-hook", v -> b.fsfreezeHook = Optional.of(v));
        setIfPresent(kf, "statedir", v -> b.statedir = Optional.of(v));
        if (kf.getBoolean(GROUP, "verbose").orElse(false)) {
            b.verbose = true;
        }
        if (kf.getBoolean(GROUP, "retry-path").orElse(false)) {
            b.retryPath = true;
        }
        if (kf.hasKey(GROUP, "blacklist")) {
            // qemu-ga 7.2 reads this key instead of block-rpcs when both exist, qemu-ga 9.1 no longer reads it;
            // jqga reads both, so that no command either version would disable is enabled here.
            warnings.accept("config using deprecated 'blacklist' key, should be replaced with the 'block-rpcs' key.");
            setIfPresent(kf, "blacklist", v -> OptionsBuilder.appendSplitList(v, b.blockRpcs));
        }
        setIfPresent(kf, "block-rpcs", v -> OptionsBuilder.appendSplitList(v, b.blockRpcs));
        setIfPresent(kf, "allow-rpcs", v -> OptionsBuilder.appendSplitList(v, b.allowRpcs));

        setIfPresent(kf, "activation", v -> b.activation = Optional.of(v));
        jqgaValue(kf, "listen-name", v -> OptionsBuilder.nameList(v, b.listenNames));
        jqgaValue(kf, "idle-exit", v -> b.idleExit = Optional.of(OptionsBuilder.idleExit(v)));
        jqgaValue(kf, "allow-peer-uid", v -> OptionsBuilder.idList(v, b.allowPeerUids));
        jqgaValue(kf, "allow-peer-cid", v -> OptionsBuilder.idList(v, b.allowPeerCids));
        jqgaValue(kf, "socket-mode", v -> b.socketMode = OptionsBuilder.socketMode(v));
        jqgaValue(kf, "ready-fd", v -> b.readyFd = OptionalInt.of(OptionsBuilder.readyFd(v)));
        if (kf.getBoolean(GROUP, "serialize").orElse(false)) {
            b.serialize = true;
        }
        jqgaValue(kf, "max-message-size",
                v -> b.limits = b.limits.withMaxMessageBytes(OptionsBuilder.byteSize(v, 2)));
        jqgaValue(kf, "max-nesting", v -> b.limits = b.limits.withMaxNesting(OptionsBuilder.count(v)));
        jqgaValue(kf, "max-file-handles", v -> b.limits = b.limits.withMaxFileHandles(OptionsBuilder.count(v)));
        jqgaValue(kf, "max-sessions", v -> b.limits = b.limits.withMaxSessions(OptionsBuilder.count(v)));
        jqgaValue(kf, "max-exec-processes",
                v -> b.limits = b.limits.withMaxExecProcesses(OptionsBuilder.count(v)));
        jqgaValue(kf, "max-exec-output", v -> b.limits = b.limits.withMaxExecOutput(OptionsBuilder.byteSize(v, 0)));
    }

    private interface Setter {
        void set(String value);
    }

    private static void setIfPresent(KeyFile kf, String key, Setter setter) throws KeyFileException {
        Optional<String> v = kf.getString(GROUP, key);
        if (v.isPresent()) {
            setter.set(v.get());
        }
    }

    /** A jqga key: a value GLib accepts but jqga cannot use is reported with what was expected. */
    private static void jqgaValue(KeyFile kf, String key, Setter setter) throws KeyFileException {
        Optional<String> v = kf.getString(GROUP, key);
        if (v.isPresent()) {
            try {
                setter.set(v.get());
            } catch (IllegalArgumentException e) {
                throw new KeyFileException("Key file contains key \u201c" + key + "\u201d with value \u201c" + v.get()
                        + "\u201d which cannot be used: " + e.getMessage());
            }
        }
    }

    static List<String> keys() {
        return List.of("daemon", "method", "path", "logfile", "pidfile", "fsfreeze-hook", "statedir", "verbose",
                "retry-path", "block-rpcs", "allow-rpcs", "activation", "listen-name", "idle-exit", "allow-peer-uid",
                "allow-peer-cid", "socket-mode", "ready-fd", "serialize", "max-message-size", "max-nesting",
                "max-file-handles", "max-sessions", "max-exec-processes", "max-exec-output");
    }
}
