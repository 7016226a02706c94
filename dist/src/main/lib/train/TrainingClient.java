import java.io.ByteArrayOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run's client (run by `java TrainingClient.java SOCKET REQUESTS`): connects to the agent's unix
 * socket, as a host would, sends each request line and reads its reply, so that the start-up cache holds the
 * accept and session path too, not only stdio. JDK only: it runs where the build runs.
 */
public class TrainingClient {
    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not create " + socket + " within 60 s");
            }
            Thread.sleep(20);
        }
        int replies = 0;
        for (int round = 0; round < 3; round++) {
            try (SocketChannel ch = connect(socket, deadline)) {
                for (String request : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
                    ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
                    readLine(ch);
                    replies++;
                }
            }
        }
        System.out.println(replies);
    }

    /** The file exists from bind(); listen() follows a moment later. */
    private static SocketChannel connect(Path socket, long deadline) throws Exception {
        while (true) {
            try {
                return SocketChannel.open(UnixDomainSocketAddress.of(socket));
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private static void readLine(SocketChannel ch) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new IllegalStateException("the agent closed the connection");
            }
            if (one.get(0) == '\n') {
                return;
            }
            line.write(one.get(0));
        }
    }
}
