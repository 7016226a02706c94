package org.jqga.agent.linux;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs programs with {@link ProcessBuilder}. The activation's variables ({@code LISTEN_*}, {@code NOTIFY_SOCKET})
 * are removed from the child's environment: they describe this process, not the child.
 */
public final class ProcessProgramRunner implements ProgramRunner {
    /** The JDK reports a failed exec as {@code Cannot run program "x": error=2, No such file or directory}. */
    private static final Pattern EXEC_ERROR = Pattern.compile("error=(\\d+), (.*)$");
    private static final int EIO = 5;

    @Override
    public ProgramOutcome run(List<String> argv) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("LISTEN_") || k.equals("NOTIFY_SOCKET"));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            Matcher m = EXEC_ERROR.matcher(message);
            return m.find() ? new ProgramOutcome.NotStarted(Integer.parseInt(m.group(1)), m.group(2))
                    : new ProgramOutcome.NotStarted(EIO, message);
        }
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            p.destroy();
            output = "(cannot read the output of " + argv.get(0) + ": " + e.getMessage() + ")";
        }
        return new ProgramOutcome.Exited(p.waitFor(), output);
    }
}
