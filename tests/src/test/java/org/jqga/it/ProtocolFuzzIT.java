package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.annotations.SerializedName;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jqga.agent.commands.CommandFamilies;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol fuzzer with an oracle: random and mutated frames against a running agent (unprivileged when the
 * tests run as root, every command that changes the guest blocked with {@code --block-rpcs}). Frames are requests
 * for every command with well-typed and wrongly typed values for each of its arguments (the names and types come
 * from the commands' own argument records), and their mutations: truncation, deep nesting, huge strings and
 * numbers, invalid UTF-8, NUL (raw and escaped), duplicate keys, stray bytes. The oracle: every reply is one line of
 * strict JSON in UTF-8, an object with {@code return} or with an {@code error} holding the string members
 * {@code class} and {@code desc} (and an {@code id} when one was sent); after each batch the agent answers a
 * {@code guest-ping} (after a 0xFF reset) within a minute; it never closes the session; its RSS stays below a bound;
 * it never runs out of heap ({@code -XX:+ExitOnOutOfMemoryError} would end it).
 *
 * <p>The build runs a short slice ({@code jqga.protocolFuzz.seconds}, 40 s, or {@code jqga.protocolFuzz.frames}
 * frames, whichever ends first). The long run (10^7 frames, SECURITY.md):
 * {@code mvn -B verify -pl tests -am -Dit.test=ProtocolFuzzIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Djqga.fuzz.duration=1s -Djqga.protocolFuzz.frames=10000000 -Djqga.protocolFuzz.seconds=0}. A failure names the
 * seed ({@code -Djqga.protocolFuzz.seed=N} replays it) and writes the failing batch next to the agent's output.
 */
class ProtocolFuzzIT {
    private static final long FRAMES = Long.getLong("jqga.protocolFuzz.frames", 10_000_000L);
    private static final long SECONDS = Long.getLong("jqga.protocolFuzz.seconds", 40);
    private static final long SEED = Long.getLong("jqga.protocolFuzz.seed", System.nanoTime());
    /** A long run says how far it is every this many frames. */
    private static final long PROGRESS_FRAMES = 1_000_000;
    private static final int BATCH = 50;
    private static final Duration ANSWER = Duration.ofSeconds(60);
    /** -Xmx128m plus the JVM's own: far above what it needs, far below what a leak would reach over a long run. */
    private static final long MAX_RSS_KIB = 512 * 1024;
    private static final byte[] EOF = new byte[0];

    /** Every command that changes the guest (or could, given a handle or a path): blocked, still parsed. */
    private static final List<String> BLOCKED = List.of("guest-shutdown", "guest-suspend-disk", "guest-suspend-ram",
            "guest-suspend-hybrid", "guest-set-time", "guest-file-open", "guest-exec", "guest-fsfreeze-freeze",
            "guest-fsfreeze-freeze-list", "guest-fsfreeze-thaw", "guest-fstrim", "guest-set-vcpus",
            "guest-set-memory-blocks", "guest-set-user-password", "guest-ssh-add-authorized-keys",
            "guest-ssh-remove-authorized-keys");

    private static final Set<String> REPLY_KEYS = Set.of("return", "error", "id");
    /** RFC 8259's number grammar, anchored where a number starts. */
    private static final java.util.regex.Pattern JSON_NUMBER =
            java.util.regex.Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
    /** Longer literals than this are checked by {@link #JSON_NUMBER} here, not by Gson (see {@link #check}). */
    private static final int LONG_NUMBER = 64;

    @TempDir
    Path dir;

    /** A command and its arguments: wire name, value type. */
    private record Arg(String name, Type type) {
    }

    private record Cmd(String name, List<Arg> args) {
    }

    private final List<Cmd> commands = new ArrayList<>();
    private Random random;

    @Test
    void everyFrameGetsWellFormedRepliesAndTheAgentStaysUpAndBounded() throws Exception {
        for (var family : CommandFamilies.all()) {
            for (var declared : family.declared()) {
                CommandSpec<?> spec = declared.spec();
                commands.add(new Cmd(spec.name(), args(spec.arguments())));
            }
        }
        random = new Random(SEED);
        System.err.println("ProtocolFuzzIT: seed " + SEED + " (-Djqga.protocolFuzz.seed=" + SEED + " replays it)");

        Path socket = dir.resolve("qga.sock");
        Path state = Files.createDirectories(dir.resolve("state"));
        List<String> cmd = new ArrayList<>();
        boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                StandardCharsets.US_ASCII).strip());
        String classPath = AgentProcess.classPath();
        if (root) {
            // Unprivileged: uid 65534, with a copy of the class path it can read (the Maven repository is root's).
            cmd.add(Tools.require("setpriv", "util-linux").toString());
            cmd.addAll(List.of("--reuid=65534", "--regid=65534", "--clear-groups"));
            classPath = readableCopy(classPath);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setAttribute(state, "unix:uid", 65534);
            Files.setAttribute(dir, "unix:uid", 65534);
        }
        List<String> agentCmd = new ArrayList<>(AgentProcess.agentCommand(classPath, "-m", "unix-listen",
                "-p", socket.toString(), "-t", state.toString(), "--block-rpcs=" + String.join(",", BLOCKED)));
        agentCmd.add(1, "-Xmx128m");
        agentCmd.add(2, "-XX:+ExitOnOutOfMemoryError");
        cmd.addAll(agentCmd);

        long deadline = SECONDS > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS) : Long.MAX_VALUE;
        long frames = 0;
        long replies = 0;
        long maxRss = 0;
        int batches = 0;
        try (AgentProcess agent = AgentProcess.start(dir, cmd)) {
            agent.awaitListening(socket, ANSWER);
            Session s = new Session(socket);
            try {
                while (frames < FRAMES && System.nanoTime() < deadline) {
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    for (int i = 0; i < BATCH && frames < FRAMES; i++, frames++) {
                        batch.writeBytes(frame());
                    }
                    String pingId = "batch-" + batches++;
                    batch.write(0xFF);
                    batch.writeBytes(("{\"execute\":\"guest-ping\",\"id\":\"" + pingId + "\"}\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] sent = batch.toByteArray();
                    s.write(sent);
                    while (true) {
                        byte[] line = s.lines.poll(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
                        if (line == null || line == EOF) {
                            failWith(agent, sent, line == null ? "no answer to the ping within " + ANSWER
                                    : "the agent closed the session");
                        }
                        replies++;
                        JsonObject reply = check(line, agent, sent);
                        if (reply.has("id") && reply.get("id").isJsonPrimitive()
                                && pingId.equals(reply.get("id").getAsString()) && reply.has("return")) {
                            break;
                        }
                    }
                    long rss = rssKib(agent.pid());
                    maxRss = Math.max(maxRss, rss);
                    if (rss > MAX_RSS_KIB) {
                        failWith(agent, sent, "RSS " + rss + " KiB above " + MAX_RSS_KIB + " KiB");
                    }
                    if (batches % 200 == 0) {
                        // A fresh session now and then: sessions end and begin under load too.
                        s.close();
                        if (!agent.process().isAlive()) {
                            failWith(agent, sent, "the agent exited with status " + agent.process().exitValue());
                        }
                        s = new Session(socket);
                    }
                    if (frames % PROGRESS_FRAMES < BATCH) {
                        System.err.println("ProtocolFuzzIT: " + frames + " frames, " + replies + " replies so far;"
                                + " peak RSS " + maxRss / 1024 + " MiB");
                    }
                }
            } finally {
                s.close();
            }
            assertTrue(agent.process().isAlive(), agent.describe());
            assertTrue(!agent.stderr().contains("OutOfMemoryError") && !agent.stderr().contains("internal error"),
                    agent.describe());
        }
        System.err.println("ProtocolFuzzIT: " + frames + " frames in " + batches + " batches, " + replies
                + " replies, all well-formed; peak RSS " + maxRss / 1024 + " MiB; seed " + SEED);
        assertTrue(frames > 0);
    }

    /** One client connection with a thread that splits what the agent sends into lines. */
    private static final class Session implements AutoCloseable {
        final SocketChannel channel;
        final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
        final Thread reader;

        Session(Path socket) throws IOException {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            // The channel itself, not Channels' streams: on JDK 17 those share one lock, so a read blocked for the
            // replies would hold up the write of the next request.
            reader = new Thread(() -> {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                ByteBuffer bb = ByteBuffer.allocate(65536);
                byte[] buf = bb.array();
                try {
                    for (int n; (n = channel.read(bb.clear())) > 0; ) {
                        for (int i = 0; i < n; i++) {
                            if (buf[i] == '\n') {
                                lines.add(line.toByteArray());
                                line.reset();
                            } else {
                                line.write(buf[i]);
                            }
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
                lines.add(EOF);
            }, "fuzz reader");
            reader.setDaemon(true);
            reader.start();
        }

        void write(byte[] bytes) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** The oracle for one reply line. */
    private JsonObject check(byte[] line, AgentProcess agent, byte[] sent) throws Exception {
        int start = 0;
        while (start < line.length && line[start] == (byte) 0xFF) {
            start++; // guest-sync-delimited's reply starts with the 0xFF byte
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, start, line.length - start)).toString();
        } catch (CharacterCodingException e) {
            failWith(agent, sent, "a reply that is not UTF-8: " + preview(new String(line, StandardCharsets.ISO_8859_1)));
            throw new AssertionError();
        }
        text = withLongNumbersCheckedAndShortened(text);
        JsonElement e;
        try {
            JsonReader r = new JsonReader(new StringReader(text));
            r.setStrictness(Strictness.STRICT);
            r.setNestingLimit(4096); // an id is echoed as sent, up to --max-nesting deep
            e = new Gson().getAdapter(JsonElement.class).read(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IOException("more after the reply");
            }
        } catch (IOException | RuntimeException ex) {
            failWith(agent, sent, "a reply that is not one JSON text (" + ex.getMessage() + "): " + preview(text));
            throw new AssertionError();
        }
        if (!e.isJsonObject()) {
            failWith(agent, sent, "a reply that is not an object: " + preview(text));
        }
        JsonObject o = e.getAsJsonObject();
        boolean ok = REPLY_KEYS.containsAll(o.keySet()) && (o.has("return") != o.has("error"));
        if (ok && o.has("error")) {
            JsonElement err = o.get("error");
            ok = err.isJsonObject() && err.getAsJsonObject().keySet().equals(Set.of("class", "desc"))
                    && isString(err.getAsJsonObject().get("class")) && isString(err.getAsJsonObject().get("desc"));
        }
        if (!ok) {
            failWith(agent, sent, "a reply that is neither a return nor an error with class and desc: " + preview(text));
        }
        return o;
    }

    /**
     * Gson's strict reader takes a number literal longer than its buffer for an unquoted string and rejects it,
     * but an echoed id may be a valid 400-digit literal. Such a literal, outside strings, is checked against JSON's
     * number grammar here and replaced by {@code 0}; one that fails the grammar is left for Gson to reject.
     */
    static String withLongNumbersCheckedAndShortened(String text) {
        StringBuilder out = null;
        int copied = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                java.util.regex.Matcher m = JSON_NUMBER.matcher(text).region(i, text.length());
                if (m.lookingAt()) {
                    if (m.end() - i > LONG_NUMBER) {
                        out = out == null ? new StringBuilder(text.length()) : out;
                        out.append(text, copied, i).append('0');
                        copied = m.end();
                    }
                    i = m.end() - 1;
                }
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    private static boolean isString(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static String preview(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "... (" + s.length() + " chars)" : s;
    }

    private void failWith(AgentProcess agent, byte[] sent, String why) throws IOException {
        Path batch = Files.write(dir.resolve("failing-batch.bin"), sent);
        Path keep = Path.of("target", "protocol-fuzz-failing-batch-" + SEED + ".bin").toAbsolutePath();
        Files.createDirectories(keep.getParent());
        Files.copy(batch, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        fail(why + " (seed " + SEED + "; the batch is in " + keep + ")" + agent.describe());
    }

    private static long rssKib(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private String readableCopy(String classPath) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path from = Path.of(entry);
            Path to = lib.resolve(i++ + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (Stream<Path> all = Files.walk(from)) {
                    for (Path p : (Iterable<Path>) all::iterator) {
                        Files.copy(p, to.resolve(from.relativize(p).toString()));
                    }
                }
            } else {
                Files.copy(from, to);
            }
            entries.add(to.toString());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    // ---- the frames ----

    private static List<Arg> args(Class<?> record) {
        List<Arg> out = new ArrayList<>();
        if (record.getRecordComponents() == null) {
            return out;
        }
        for (RecordComponent c : record.getRecordComponents()) {
            SerializedName wire = c.getAnnotation(SerializedName.class);
            out.add(new Arg(wire != null ? wire.value() : c.getName(), c.getGenericType()));
        }
        return out;
    }

    /** One frame: a request (well-typed, wrongly typed) or a mutation of one, or garbage. */
    private byte[] frame() {
        int kind = random.nextInt(20);
        byte[] request = request(kind < 8).getBytes(StandardCharsets.UTF_8);
        return switch (kind) {
            case 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 -> request;
            case 10 -> truncate(request);
            case 11 -> flipBytes(request);
            case 12 -> insert(request, invalidUtf8());
            case 13 -> nested();
            case 14 -> huge();
            case 15 -> duplicateKeys().getBytes(StandardCharsets.UTF_8);
            case 16 -> insert(request, new byte[] {0});
            case 17 -> nulString().getBytes(StandardCharsets.UTF_8);
            case 18 -> garbage();
            default -> topLevelOddity().getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A request for a random command: its arguments well-typed, or one of them (or all) of a wrong JSON type. */
    private String request(boolean wellTyped) {
        Cmd c = commands.get(random.nextInt(commands.size()));
        StringBuilder b = new StringBuilder("{\"execute\":\"").append(c.name()).append('"');
        if (!c.args().isEmpty() || random.nextInt(4) == 0) {
            b.append(",\"arguments\":{");
            int wrong = wellTyped ? -1 : random.nextInt(c.args().size() + 1); // size(): all of them wrong
            boolean first = true;
            for (int i = 0; i < c.args().size(); i++) {
                if (random.nextInt(8) == 0) {
                    continue; // a missing argument
                }
                Arg a = c.args().get(i);
                b.append(first ? "" : ",").append(quote(a.name())).append(':');
                b.append(i == wrong || wrong == c.args().size() ? anyValue(0) : value(a.type(), 0));
                first = false;
            }
            if (random.nextInt(10) == 0) {
                b.append(first ? "" : ",").append(quote(string(8))).append(':').append(anyValue(0));
            }
            b.append('}');
        }
        if (random.nextInt(3) == 0) {
            b.append(",\"id\":").append(anyValue(0));
        }
        return b.append('}').toString();
    }

    private String value(Type t, int depth) {
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            StringBuilder b = new StringBuilder("[");
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append(value(p.getActualTypeArguments()[0], depth + 1));
            }
            return b.append(']').toString();
        }
        if (t instanceof Class<?> c) {
            if (c == String.class) {
                return quote(string(random.nextInt(4) == 0 ? 200 : 12));
            }
            if (c == long.class || c == Long.class || c == int.class || c == Integer.class) {
                return number();
            }
            if (c == boolean.class || c == Boolean.class) {
                return Boolean.toString(random.nextBoolean());
            }
            if (c.isRecord() && depth < 4) {
                StringBuilder b = new StringBuilder("{");
                List<Arg> members = args(c);
                for (int i = 0; i < members.size(); i++) {
                    b.append(i == 0 ? "" : ",").append(quote(members.get(i).name())).append(':')
                            .append(value(members.get(i).type(), depth + 1));
                }
                return b.append('}').toString();
            }
        }
        return anyValue(depth); // JsonElement and anything else
    }

    /** A value of any JSON type. */
    private String anyValue(int depth) {
        switch (random.nextInt(depth > 3 ? 6 : 8)) {
            case 0: return "null";
            case 1: return Boolean.toString(random.nextBoolean());
            case 2: return number();
            case 3: return random.nextBoolean() ? Double.toString(random.nextGaussian() * 1e6) : "1e" + random.nextInt(400);
            case 4: return quote(string(16));
            case 5: return "-0";
            case 6: {
                StringBuilder b = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(anyValue(depth + 1));
                }
                return b.append(']').toString();
            }
            default: {
                StringBuilder b = new StringBuilder("{");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(quote(string(6))).append(':').append(anyValue(depth + 1));
                }
                return b.append('}').toString();
            }
        }
    }

    private String number() {
        switch (random.nextInt(6)) {
            case 0: return Long.toString(random.nextLong());
            case 1: return Long.toString(random.nextInt(1000));
            case 2: return "18446744073709551615";
            case 3: return "-9223372036854775809";
            case 4: return "9".repeat(1 + random.nextInt(400));
            default: return Integer.toString(random.nextInt(5) - 2);
        }
    }

    private String string(int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(12)) {
                case 0: b.append("\\u0000"); break;
                case 1: b.append("\\ud800"); break; // a lone surrogate
                case 2: b.append('\u00e9'); break;
                case 3: b.append("\\\""); break;
                case 4: b.append("\ud83d\ude00"); break;
                case 5: b.append("/tmp/"); break;
                default: b.append((char) ('a' + random.nextInt(26)));
            }
        }
        return b.toString();
    }

    private static String quote(String escapedContent) {
        return "\"" + escapedContent + "\"";
    }

    private byte[] truncate(byte[] b) {
        return java.util.Arrays.copyOf(b, random.nextInt(b.length));
    }

    private byte[] flipBytes(byte[] b) {
        byte[] c = b.clone();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            c[random.nextInt(c.length)] = (byte) random.nextInt(256);
        }
        return c;
    }

    private byte[] insert(byte[] b, byte[] what) {
        int at = random.nextInt(b.length + 1);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, at);
        o.writeBytes(what);
        o.write(b, at, b.length - at);
        return o.toByteArray();
    }

    private byte[] invalidUtf8() {
        byte[][] bad = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC3}, {(byte) 0xFE}};
        return bad[random.nextInt(bad.length)];
    }

    /** Nesting around the limit (1024), in the arguments or the id, closed or not. */
    private byte[] nested() {
        int depth = 1 + random.nextInt(1100);
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        String where = random.nextBoolean() ? "{\"execute\":\"guest-ping\",\"arguments\":{\"x\":"
                : "{\"execute\":\"guest-ping\",\"id\":";
        String inner = open.repeat(depth) + "1" + close.repeat(random.nextInt(5) == 0 ? depth / 2 : depth);
        return (where + inner + (where.contains("arguments") ? "}}" : "}")).getBytes(StandardCharsets.UTF_8);
    }

    /** Large strings and numbers, now and then past the size of one read. */
    private byte[] huge() {
        int size = random.nextInt(10) == 0 ? 1 + random.nextInt(2 << 20) : 1 + random.nextInt(64 << 10);
        String body = random.nextBoolean() ? quote("x".repeat(size)) : "1" + "0".repeat(size);
        String where = List.of("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":%s}}",
                "{\"execute\":\"guest-ping\",\"id\":%s}", "{\"execute\":%s}",
                "{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":1,\"buf-b64\":%s}}",
                "{\"execute\":\"guest-ssh-get-authorized-keys\",\"arguments\":{\"username\":%s}}")
                .get(random.nextInt(5));
        return String.format(where, body).getBytes(StandardCharsets.UTF_8);
    }

    private String duplicateKeys() {
        return switch (random.nextInt(3)) {
            case 0 -> "{\"execute\":\"guest-ping\",\"execute\":\"guest-shutdown\"}";
            case 1 -> "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1,\"id\":\"x\"}}";
            default -> "{\"execute\":\"guest-info\",\"arguments\":{},\"arguments\":{\"x\":1},\"id\":1,\"id\":2}";
        };
    }

    private String nulString() {
        Cmd c = commands.get(random.nextInt(commands.size()));
        return "{\"execute\":\"" + c.name() + (random.nextBoolean() ? "\\u0000" : "") + "\",\"arguments\":{"
                + (c.args().isEmpty() ? "" : quote(c.args().get(0).name()) + ":\"a\\u0000b\"") + "}}";
    }

    private byte[] garbage() {
        byte[] b = new byte[1 + random.nextInt(64)];
        random.nextBytes(b);
        return b;
    }

    private String topLevelOddity() {
        return List.of("[]", "1", "\"guest-ping\"", "null", "{}", "}", "]", "{\"execute\":1}",
                "{\"execute\":\"guest-ping\",\"arguments\":[]}", "{'execute':'guest-ping'}", "{\"exec-oob\":\"guest-ping\"}",
                "{\"execute\":\"guest-ping\",\"control\":{}}", " \t\r\n", "{\"execute\":\"GUEST-PING\"}",
                "{\"execute\":\"guest_ping\"}", "{\"execute\":\"guest-ping\"")
                .get(random.nextInt(16));
    }
}
