package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqga.it.support.AgentProcess;
import org.jqga.it.support.QgaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-file-* against real files, through the agent running as a real process on a real socket. */
class GuestFileIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final int READ_COUNT_MAX = 48 * 1024 * 1024;
    private static final long O_CLOEXEC = 02000000;

    @TempDir
    Path dir;

    private AgentProcess startAgent(Path socket, Path statedir) throws Exception {
        Files.createDirectories(statedir);
        AgentProcess agent = AgentProcess.start(dir, AgentProcess.agentCommand(AgentProcess.classPath(),
                "--method=unix-listen", "--path=" + socket, "--statedir=" + statedir));
        agent.awaitListening(socket, START);
        return agent;
    }

    private static JsonObject ok(QgaClient client, String request) throws Exception {
        JsonObject response = client.call(request);
        assertTrue(response.has("return"), () -> request + " -> " + response);
        return response;
    }

    private static String error(QgaClient client, String request) throws Exception {
        JsonObject response = client.call(request);
        assertTrue(response.has("error"), () -> request + " -> " + response);
        return response.getAsJsonObject("error").get("desc").getAsString();
    }

    @Test
    void a64MiBFileIsReadEndToEndWithTheSameChecksum() throws Exception {
        Path file = dir.resolve("big.bin");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        Random random = new Random(8);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 64; i++) {
                random.nextBytes(block);
                written.update(block);
                out.write(block);
            }
        }
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket, dir.resolve("state"));
             QgaClient client = QgaClient.connect(socket)) {
            long handle = ok(client, "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file
                    + "\",\"mode\":\"rb\"}}").get("return").getAsLong();
            MessageDigest read = MessageDigest.getInstance("SHA-256");
            long total = 0;
            boolean eof = false;
            int requests = 0;
            while (!eof) {
                JsonObject r = ok(client, "{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + handle
                        + ",\"count\":" + READ_COUNT_MAX + "}}").getAsJsonObject("return");
                byte[] data = Base64.getDecoder().decode(r.get("buf-b64").getAsString());
                assertEquals(r.get("count").getAsLong(), data.length);
                read.update(data);
                total += data.length;
                eof = r.get("eof").getAsBoolean();
                requests++;
            }
            assertEquals(64L << 20, total);
            assertEquals(2, requests, "48 MiB, then the last 16 MiB with eof");
            assertEquals(HexFormat.of().formatHex(written.digest()), HexFormat.of().formatHex(read.digest()));
            ok(client, "{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}");
            // For the record only (bench/ measures memory; no threshold is asserted here).
            System.out.println("GuestFileIT: agent after the 64 MiB read: " + memory(agent.pid()));
        }
    }

    /** VmHWM and VmRSS from /proc/PID/status. */
    private static String memory(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmHWM") || l.startsWith("VmRSS"))
                .map(l -> l.replaceAll("\\s+", " ")).collect(Collectors.joining(", "));
    }

    /**
     * A streamed read promises its count before the bytes are read; the client here does not read, so the agent
     * blocks on the full socket after a few hundred KiB, and the file is then cut to 20 MiB + 1. The agent sends
     * the bytes that are there, logs what was promised and delivered, closes that connection only, and leaves the
     * position after the delivered bytes.
     */
    @Test
    void aFileThatShrinksWhileItIsStreamedEndsThatConnectionOnly() throws Exception {
        Path file = dir.resolve("shrinking.bin");
        byte[] content = new byte[40 << 20];
        new Random(3).nextBytes(content);
        Files.write(file, content);
        int cut = (20 << 20) + 1;
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket, dir.resolve("state"));
             QgaClient other = QgaClient.connect(socket)) {
            long handle = ok(other, "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file
                    + "\"}}").get("return").getAsLong();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try (SocketChannel slow = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                slow.connect(UnixDomainSocketAddress.of(socket));
                slow.write(ByteBuffer.wrap(("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + handle
                        + ",\"count\":" + READ_COUNT_MAX + "}}").getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                assertTrue(slow.read(buf) > 0, "the reply has begun");
                Thread.sleep(500); // the agent fills the socket buffer and waits
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(cut);
                }
                do {
                    received.write(buf.array(), 0, buf.position());
                    buf.clear();
                } while (slow.read(buf) >= 0);
            }
            String prefix = "{\"return\": {\"count\": " + content.length + ", \"buf-b64\": \"";
            String text = received.toString(StandardCharsets.US_ASCII);
            assertTrue(text.startsWith(prefix), () -> text.substring(0, Math.min(100, text.length())));
            String b64 = text.substring(prefix.length());
            byte[] sent = Base64.getDecoder().decode(b64.substring(0, b64.length() / 4 * 4));
            assertTrue(cut - sent.length < 3, "every byte that was there, but for the encoder's last partial group: "
                    + sent.length);
            assertTrue(Arrays.equals(content, 0, sent.length, sent, 0, sent.length));
            agent.awaitStderr("guest-file-read of handle " + handle + " (" + file + ") promised " + content.length
                    + " bytes from offset 0 but the file ended after " + cut + " (it shrank while being read);"
                    + " closing the connection to client", Duration.ofSeconds(10));
            // The agent goes on serving, and the handle's position is after what was delivered.
            assertEquals(cut, ok(other, "{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":" + handle
                    + ",\"offset\":0,\"whence\":\"cur\"}}").getAsJsonObject("return").get("position").getAsLong());
            ok(other, "{\"execute\":\"guest-ping\"}");
        }
    }

    @Test
    void writtenDataLandsInTheFileAndHandlesSurviveAReconnect() throws Exception {
        Path file = dir.resolve("out.txt");
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket, dir.resolve("state"))) {
            long handle;
            try (QgaClient first = QgaClient.connect(socket)) {
                handle = ok(first, "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file
                        + "\",\"mode\":\"w+\"}}").get("return").getAsLong();
                assertEquals(1000, handle, "a fresh state directory starts at 1000");
                JsonObject w = ok(first, "{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":" + handle
                        + ",\"buf-b64\":\"SGVsbG8gV29ybGQhCgA=\"}}").getAsJsonObject("return");
                assertEquals(14, w.get("count").getAsInt());
            }
            try (QgaClient second = QgaClient.connect(socket)) {
                JsonObject s = ok(second, "{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":" + handle
                        + ",\"offset\":0,\"whence\":\"set\"}}").getAsJsonObject("return");
                assertEquals(0, s.get("position").getAsInt());
                JsonObject r = ok(second, "{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + handle
                        + "}}").getAsJsonObject("return");
                assertEquals("SGVsbG8gV29ybGQhCgA=", r.get("buf-b64").getAsString());
                assertTrue(r.get("eof").getAsBoolean());
                ok(second, "{\"execute\":\"guest-file-flush\",\"arguments\":{\"handle\":" + handle + "}}");
                ok(second, "{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}");
                assertEquals("handle '" + handle + "' has not been found", error(second,
                        "{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}"));
            }
        }
        assertEquals("Hello World!\n\0", Files.readString(file));
    }

    @Test
    void handleNumbersContinueAfterARestart() throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "x");
        Path state = dir.resolve("state");
        String open = "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file + "\"}}";
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket, state); QgaClient client = QgaClient.connect(socket)) {
            assertEquals(1000, ok(client, open).get("return").getAsLong());
            assertEquals(1001, ok(client, open).get("return").getAsLong());
        }
        try (AgentProcess agent = startAgent(socket, state); QgaClient client = QgaClient.connect(socket)) {
            assertEquals(1002, ok(client, open).get("return").getAsLong());
        }
        assertEquals("[global]\nfd_counter=1003\n", Files.readString(state.resolve("qga.state")));
    }

    @Test
    void badRequestsGetQemuGasErrorsAndTheAgentKeepsServing() throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "x");
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket, dir.resolve("state"));
             QgaClient client = QgaClient.connect(socket)) {
            assertEquals("invalid file open mode 'x'", error(client,
                    "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file + "\",\"mode\":\"x\"}}"));
            assertEquals("failed to open file '" + dir.resolve("none") + "' (mode: 'r'): No such file or directory",
                    error(client, "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + dir.resolve("none")
                            + "\"}}"));
            long h = ok(client, "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file + "\"}}")
                    .get("return").getAsLong();
            for (long count : new long[] {-1, READ_COUNT_MAX + 1L}) {
                assertEquals("value '" + count + "' is invalid for argument count", error(client,
                        "{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + h + ",\"count\":" + count
                                + "}}"));
            }
            String seek = "{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":" + h + ",\"offset\":0,";
            assertEquals("invalid whence code 5", error(client, seek + "\"whence\":5}}"));
            assertEquals("Parameter 'whence' does not accept value 'bad'", error(client, seek + "\"whence\":\"bad\"}}"));
            assertEquals("Invalid parameter type for 'whence', expected: GuestFileWhence",
                    error(client, seek + "\"whence\":true}}"));
            assertEquals("Base64 data contains invalid characters", error(client,
                    "{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":" + h + ",\"buf-b64\":\"!!\"}}"));
            assertEquals(new JsonObject(), ok(client, "{\"execute\":\"guest-ping\"}").getAsJsonObject("return"));
        }
    }

    @Test
    void openFilesAreCloseOnExecAndNoDescriptorOutlivesItsUse() throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "x");
        Path socket = dir.resolve("qga.sock");
        try (AgentProcess agent = startAgent(socket, dir.resolve("state"))) {
            Path fds = Path.of("/proc", Long.toString(agent.pid()), "fd");
            String open = "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"" + file + "\"}}";
            // One round first: classes load and the JVM settles before the baseline is taken.
            round(socket, open);
            long baseline = count(fds);
            for (int i = 0; i < 3; i++) {
                round(socket, open);
            }
            assertEquals(baseline, count(fds), "sessions that ended leave no descriptor behind");
            try (QgaClient client = QgaClient.connect(socket)) {
                ok(client, open);
                List<String> flags = new ArrayList<>();
                try (Stream<Path> entries = Files.list(fds)) {
                    for (Path fd : entries.toList()) {
                        if (file.equals(readLink(fd))) {
                            flags.add(fdinfoFlags(agent.pid(), fd.getFileName().toString()));
                        }
                    }
                }
                assertEquals(1, flags.size(), flags.toString());
                long value = Long.parseLong(flags.get(0), 8);
                assertTrue((value & O_CLOEXEC) != 0, "flags " + flags.get(0) + " lack O_CLOEXEC");
            }
        }
    }

    private static void round(Path socket, String open) throws Exception {
        try (QgaClient client = QgaClient.connect(socket)) {
            for (int i = 0; i < 20; i++) {
                long h = ok(client, open).get("return").getAsLong();
                ok(client, "{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":" + h + "}}");
                ok(client, "{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + h + "}}");
            }
            // exec with capture uses pipes; status read at once or later, they must all be closed in the end
            long pid = ok(client, "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/echo\","
                    + "\"arg\":[\"x\"],\"capture-output\":true}}").getAsJsonObject("return").get("pid").getAsLong();
            awaitExit(client, pid);
        }
        // the agent notices the closed connection asynchronously
        Thread.sleep(300);
    }

    static JsonObject awaitExit(QgaClient client, long pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject s = ok(client, "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}")
                    .getAsJsonObject("return");
            if (s.get("exited").getAsBoolean()) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("pid " + pid + " did not exit");
    }

    private static long count(Path fds) throws IOException {
        try (Stream<Path> s = Files.list(fds)) {
            return s.count();
        }
    }

    private static Path readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd);
        } catch (IOException e) {
            return null; // closed meanwhile
        }
    }

    private static String fdinfoFlags(long pid, String fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", fd))) {
            if (line.startsWith("flags:")) {
                return line.substring("flags:".length()).strip();
            }
        }
        throw new AssertionError("no flags in fdinfo of fd " + fd);
    }

}
