package org.jqga.agent.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manual page jqga(8), in roff, made from {@link Help#text} at build time (dist runs {@link #main}), so that the
 * options, defaults and the configuration, signal and exit-status notes of the man page are those of {@code --help}
 * and cannot drift from them. Only what {@code --help} does not say (what jqga is, the launcher's own
 * {@code --train}, the packaged files) is written here.
 */
public final class ManPage {
    /** "Signals: ...", "Exit status: ...": a paragraph of the help text that becomes a section of its own. */
    private static final Pattern SECTION = Pattern.compile("([A-Z][a-z]+(?: [a-z]+)?): (.*)");
    /** "jqga options:": a heading over a group of options. */
    private static final Pattern GROUP = Pattern.compile("(\\S.*) options:");

    private ManPage() {
    }

    /** Prints the man page for version {@code args[0]} on stdout. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ManPage VERSION");
            System.exit(64);
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.print(roff(args[0]));
        out.flush();
    }

    /** One option of the help text: its spellings ("-c, --config=PATH") and its description, lines joined. */
    record Option(String spec, String description) {
    }

    /** A run of the help text: options under a heading ("" for qemu-ga's), or a prose section. */
    record Block(String heading, List<Option> options, String prose) {
    }

    public static String roff(String version) {
        String help = Help.text("jqga");
        String[] lines = help.split("\n", -1);
        if (!lines[0].startsWith("Usage: jqga ")) {
            throw new IllegalStateException("the help text no longer starts with its usage line: " + lines[0]);
        }
        String synopsis = lines[0].substring("Usage: jqga ".length());
        List<Block> blocks = parse(lines);

        StringBuilder r = new StringBuilder();
        r.append(".\\\" Generated from jqga --help by org.jqga.agent.cli.ManPage; edit Help.java, not this file.\n");
        r.append(".TH JQGA 8 \"\" \"jqga ").append(escape(version)).append("\" \"System Administration\"\n");
        // Paths and option names must not be hyphenated or stretched: they are copied from the page.
        r.append(".nh\n.ad l\n");
        r.append(".SH NAME\njqga \\- QEMU Guest Agent for Linux guests, in Java\n");
        r.append(".SH SYNOPSIS\n.B jqga\n").append(escape(synopsis)).append("\n");
        r.append(".br\n.B jqga \\-\\-train\n[\\-\\-force]\n");
        r.append(".SH DESCRIPTION\n");
        r.append(paragraph("jqga answers the QEMU Guest Agent protocol on the guest side: libvirt, OpenStack, Proxmox"
                + " and virsh qemu-agent-command talk to it as to qemu-ga, over the virtio-serial port"
                + " org.qemu.guest_agent.0, an ISA serial port, a vsock or a unix socket. It takes qemu-ga's command"
                + " line and configuration file, and can be started by systemd socket activation, inetd, an UCSPI"
                + " server or s6, which it detects; --explain-activation says what it detects."));
        r.append(".PP\n").append(paragraph("jqga --train is handled by the launcher itself: it makes the start-up"
                + " cache (an AOT cache on JDK 25 and later, an AppCDS archive on JDK 17 to 24) for the Java runtime"
                + " the launcher picks, and exits at once when a fresh one exists (--force remakes it). The package"
                + " runs it at installation; a start without a usable cache trains one in the background."));
        boolean optionsOpened = false;
        for (Block b : blocks) {
            if (b.options() != null) {
                if (!optionsOpened) {
                    r.append(".SH OPTIONS\n");
                    optionsOpened = true;
                }
                if (!b.heading().isEmpty()) {
                    r.append(".SS \"").append(escape(b.heading())).append("\"\n");
                }
                for (Option o : b.options()) {
                    r.append(".TP\n.B ").append(escape(o.spec())).append("\n")
                            .append(paragraph(o.description()));
                }
            } else {
                r.append(".SH ").append(escape(b.heading().toUpperCase(Locale.ROOT))).append("\n")
                        .append(paragraph(b.prose()));
            }
        }
        r.append(".SH ENVIRONMENT\n");
        r.append(".TP\n.B QGA_CONF\n").append(paragraph("the configuration file when -c is not given."));
        r.append(".TP\n.B JQGA_JAVA, JAVA_HOME\n").append(paragraph("the Java runtime to use; otherwise the"
                + " launcher picks the newest one of version 17 or later in /usr/lib/jvm."));
        r.append(".TP\n.B JQGA_JAVA_OPTS\n").append(paragraph("more JVM options, after jqga's own."));
        r.append(".TP\n.B JQGA_CACHE_DIR\n").append(paragraph("where the start-up caches live (default"
                + " /var/cache/jqga for the package)."));
        r.append(".TP\n.B JQGA_NO_CACHE=1\n").append(paragraph("start without the start-up cache."));
        r.append(".TP\n.B JQGA_NO_AUTO_TRAIN=1\n").append(paragraph("use the cache but never train one in the"
                + " background."));
        r.append(".SH FILES\n");
        file(r, "/usr/sbin/jqga", "the launcher (a link to /usr/lib/jqga/bin/jqga); jars and JNI libraries are in"
                + " /usr/lib/jqga/lib.");
        file(r, "/etc/qemu/qemu-ga.conf", "the configuration file, shared with qemu-ga.");
        file(r, "/etc/qemu/fsfreeze-hook", "run with freeze before file systems are frozen and with thaw after they"
                + " are thawed, when -F is given; it runs the executables in /etc/qemu/fsfreeze-hook.d/.");
        file(r, "/var/cache/jqga", "the start-up caches, one per Java runtime.");
        file(r, "jqga.service", "the agent on the virtio-serial port, started by udev when the port appears.");
        file(r, "jqga-vsock.socket, jqga-unix.socket", "socket units (vsock port 9999, /run/jqga/qga.sock) for"
                + " jqga-sockets.service; enable them with systemctl enable --now.");
        r.append(".SH SEE ALSO\n.BR qemu-ga (8),\n.BR systemd.socket (5),\n.BR inetd (8)\n");
        return r.toString();
    }

    private static void file(StringBuilder r, String path, String what) {
        r.append(".TP\n.I ").append(escape(path)).append("\n").append(paragraph(what));
    }

    /** Splits the help text (after its first two lines) into option groups and prose sections. */
    static List<Block> parse(String[] lines) {
        List<Block> blocks = new ArrayList<>();
        List<Option> options = new ArrayList<>();
        blocks.add(new Block("", options, null));
        String spec = null;
        StringBuilder text = new StringBuilder();
        String heading = null;
        StringBuilder prose = null;
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i];
            Matcher group = GROUP.matcher(line);
            Matcher section = SECTION.matcher(line);
            if (line.startsWith("  -")) {
                if (spec != null) {
                    options.add(new Option(spec, text.toString().strip()));
                }
                // The spellings are the leading words that start with '-'; the description follows them.
                String[] words = line.strip().split(" +");
                int k = 0;
                while (k < words.length && words[k].startsWith("-")) {
                    k++;
                }
                spec = String.join(" ", Arrays.copyOf(words, k));
                text = new StringBuilder(String.join(" ", Arrays.copyOfRange(words, k, words.length)));
            } else if (line.startsWith("   ") && spec != null) {
                text.append(' ').append(line.strip());
            } else if (line.isBlank()) {
                if (spec != null) {
                    options.add(new Option(spec, text.toString().strip()));
                    spec = null;
                }
            } else if (group.matches() && spec == null) {
                options = new ArrayList<>();
                blocks.add(new Block(group.group(1) + " options", options, null));
            } else if (section.matches() && spec == null) {
                if (heading != null) {
                    blocks.add(new Block(heading, null, prose.toString().strip()));
                }
                heading = section.group(1);
                prose = new StringBuilder(section.group(2));
            } else if (prose != null) {
                prose.append(' ').append(line.strip());
            } else {
                throw new IllegalStateException("a help line the man page generator does not place: " + line);
            }
        }
        if (spec != null) {
            options.add(new Option(spec, text.toString().strip()));
        }
        if (heading != null) {
            blocks.add(new Block(heading, null, prose.toString().strip()));
        }
        return blocks;
    }

    /** The options of the help text, in order, for the test that compares them with the man page. */
    static List<Option> options() {
        List<Option> all = new ArrayList<>();
        for (Block b : parse(Help.text("jqga").split("\n", -1))) {
            if (b.options() != null) {
                all.addAll(b.options());
            }
        }
        return all;
    }

    private static String paragraph(String text) {
        String e = escape(text);
        // A line of text that starts with '.' or '\'' would be read as a roff request.
        if (e.startsWith(".") || e.startsWith("'")) {
            e = "\\&" + e;
        }
        return e + "\n";
    }

    /** Roff escapes: a backslash is printed by \e; '-' becomes \- so options copy and paste as ASCII hyphens. */
    static String escape(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }
}
