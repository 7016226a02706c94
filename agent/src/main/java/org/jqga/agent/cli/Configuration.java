package org.jqga.agent.cli;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The effective configuration, resolved as qemu-ga resolves it:
 * <ol>
 * <li>the command line is scanned; the config file is {@code -c PATH} if given (it must then load), else
 * {@code $QGA_CONF}, else {@code /etc/qemu/qemu-ga.conf} (a missing file is then no error);</li>
 * <li>the file is loaded; an error in it is fatal, even before {@code --help} or a bad option is looked at
 * (qemu-ga loads the file before it acts on any option);</li>
 * <li>the command-line options are applied over the file in order: scalars replace the file's values,
 * {@code -d -v -r} switch on what the file may have left off, block/allow lists and jqga's lists accumulate;
 * {@code -h}, {@code -V} and {@code -b help} act at their position; a malformed option stops there.</li>
 * </ol>
 * Defaults that qemu-ga fills in afterwards (pidfile, method, channel path) stay empty in {@link AgentOptions}, so
 * that later stages can tell "given" from "default"; {@link ConfigDump} shows them filled in.
 */
public final class Configuration {
    private Configuration() {
    }

    /**
     * @param warnings receives the warnings met while reading the file, as they are met (qemu-ga prints them on
     *                 stderr before anything else happens)
     */
    public static AgentOptions resolve(String[] args, Map<String, String> env, Consumer<String> warnings)
            throws UsageException, ConfigFileException {
        CommandLine.Scan scan = CommandLine.scan(args);
        Optional<String> configOption = Optional.empty();
        for (CommandLine.Occurrence o : scan.occurrences()) {
            if (o.name().equals("config")) {
                configOption = Optional.of(o.value());
            }
        }
        OptionsBuilder b = new OptionsBuilder();
        ConfigFile.load(ConfigFile.Location.of(configOption, env), b, warnings);
        CommandLine.apply(scan, b);
        return b.build();
    }
}
