package org.jqga.agent.commands.exec;

/**
 * A process started by guest-exec: its pid, the captured streams ({@code null} when not captured) and, once the
 * waiter has reaped it, its raw wait status.
 */
final class ChildProcess {
    private final int pid;
    private final Capture out;
    private final Capture err;
    private Integer waitStatus;

    ChildProcess(int pid, Capture out, Capture err) {
        this.pid = pid;
        this.out = out;
        this.err = err;
    }

    int pid() {
        return pid;
    }

    Capture out() {
        return out;
    }

    Capture err() {
        return err;
    }

    synchronized void reaped(int status) {
        this.waitStatus = status;
    }

    /**
     * The status as guest-exec-status reports it. While capturing, the process only counts as exited once its
     * output pipes are at end of file too, so that the data is complete (a background grandchild holding the pipes
     * keeps it "running", as in qemu-ga).
     */
    synchronized ExecCommands.ExecStatus status() {
        boolean exited = waitStatus != null && (out == null || out.closed()) && (err == null || err.closed());
        if (!exited) {
            return new ExecCommands.ExecStatus(false, null, null, null, null, null, null);
        }
        int s = waitStatus;
        Long exitcode = null;
        Long signal = null;
        int termSig = s & 0x7f;
        if (termSig == 0) {
            exitcode = (long) ((s >> 8) & 0xff);
        } else if (termSig != 0x7f) {
            signal = (long) termSig;
        }
        String outData = out != null && out.size() > 0 ? out.base64() : null;
        String errData = err != null && err.size() > 0 ? err.base64() : null;
        return new ExecCommands.ExecStatus(true, exitcode, signal, outData, errData,
                outData == null ? null : out.truncated(), errData == null ? null : err.truncated());
    }
}
