package org.jqga.agent.commands.exec;

import com.google.gson.JsonElement;
import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.jqga.agent.commands.Base64Data;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.OptionalArg;

/** guest-exec and guest-exec-status: their argument and result types and the commands. */
final class ExecCommands {
    private ExecCommands() {
    }

    /** {@code capture-output} is the GuestExecCaptureOutput alternate (boolean or mode name), decoded below. */
    record ExecArguments(String path, @OptionalArg List<String> arg, @OptionalArg List<String> env,
                         @OptionalArg @SerializedName("input-data") String inputData,
                         @OptionalArg @SerializedName("capture-output") JsonElement captureOutput) {
    }

    record StatusArguments(long pid) {
    }

    /** {@code GuestExec}. */
    record ExecStarted(long pid) {
    }

    /** {@code GuestExecStatus}; absent members are {@code null}. */
    record ExecStatus(boolean exited, Long exitcode, Long signal, @SerializedName("out-data") String outData,
                      @SerializedName("err-data") String errData,
                      @SerializedName("out-truncated") Boolean outTruncated,
                      @SerializedName("err-truncated") Boolean errTruncated) {
    }

    /** GuestExecCaptureOutput: {@code true} is "separated", {@code false} "none", a string names the mode. */
    static Processes.CaptureMode captureMode(JsonElement e) throws CommandException {
        if (e == null) {
            return Processes.CaptureMode.NONE;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean() ? Processes.CaptureMode.SEPARATED : Processes.CaptureMode.NONE;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            switch (e.getAsString()) {
                case "none": return Processes.CaptureMode.NONE;
                case "stdout": return Processes.CaptureMode.STDOUT;
                case "stderr": return Processes.CaptureMode.STDERR;
                case "separated": return Processes.CaptureMode.SEPARATED;
                case "merged": return Processes.CaptureMode.MERGED;
                default:
                    throw new CommandException("Parameter 'capture-output' does not accept value '"
                            + e.getAsString() + "'");
            }
        }
        throw ArgumentBinder.typeError("capture-output", "GuestExecCaptureOutput");
    }

    static final class Exec implements Command<ExecArguments> {
        static final CommandSpec<ExecArguments> SPEC = CommandSpec.of("guest-exec", ExecArguments.class);
        private final Processes processes;

        @Inject
        Exec(Processes processes) {
            this.processes = processes;
        }

        @Override
        public CommandSpec<ExecArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(ExecArguments a) throws CommandException {
            Processes.CaptureMode mode = captureMode(a.captureOutput());
            Optional<byte[]> input = a.inputData() == null ? Optional.empty()
                    : Optional.of(Base64Data.decode(a.inputData()));
            int pid = processes.start(a.path(), a.arg() == null ? List.of() : a.arg(), Optional.ofNullable(a.env()),
                    input, mode);
            return new ExecStarted(pid);
        }
    }

    static final class Status implements Command<StatusArguments> {
        static final CommandSpec<StatusArguments> SPEC =
                CommandSpec.of("guest-exec-status", StatusArguments.class);
        private final Processes processes;

        @Inject
        Status(Processes processes) {
            this.processes = processes;
        }

        @Override
        public CommandSpec<StatusArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(StatusArguments a) throws CommandException {
            return processes.status(a.pid());
        }
    }
}
