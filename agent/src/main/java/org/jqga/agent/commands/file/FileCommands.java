package org.jqga.agent.commands.file;

import com.google.gson.JsonElement;
import com.google.gson.annotations.SerializedName;
import com.google.inject.Inject;
import org.jqga.agent.commands.Base64Data;
import org.jqga.agent.dispatch.ArgumentBinder;
import org.jqga.agent.dispatch.Base64Bytes;
import org.jqga.agent.dispatch.Base64Payload;
import org.jqga.agent.dispatch.Command;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.dispatch.CommandSpec;
import org.jqga.agent.dispatch.OptionalArg;
import org.jqga.agent.linux.Libc;

/** guest-file-open, -close, -read, -write, -seek and -flush: their argument and result types and the commands. */
final class FileCommands {
    /** qemu-ga's default {@code count} for guest-file-read. */
    static final int READ_COUNT_DEFAULT = 4096;
    /** qemu-ga's largest {@code count}: 48 MiB, whose base64 stays under the 64 MiB JSON token limit. */
    static final int READ_COUNT_MAX = 48 * 1024 * 1024;

    private FileCommands() {
    }

    record OpenArguments(String path, @OptionalArg String mode) {
    }

    record HandleArguments(long handle) {
    }

    record ReadArguments(long handle, @OptionalArg Long count) {
    }

    record WriteArguments(long handle, @SerializedName("buf-b64") String bufB64, @OptionalArg Long count) {
    }

    /** {@code whence} is the GuestFileWhence alternate: an integer or a QGASeek name; decoded by the command. */
    record SeekArguments(long handle, long offset, JsonElement whence) {
    }

    /** {@code GuestFileRead}: {@code bufB64} is in memory, or streamed from the file for a large read. */
    record FileRead(long count, @SerializedName("buf-b64") Base64Payload bufB64, boolean eof) {
        /** With the base64 text, for tests and literals. */
        FileRead(long count, String bufB64, boolean eof) {
            this(count, Base64Bytes.ofText(bufB64), eof);
        }
    }

    /** {@code GuestFileWrite}. */
    record FileWrite(long count, boolean eof) {
    }

    /** {@code GuestFileSeek}. */
    record FileSeek(long position, boolean eof) {
    }

    static final class Open implements Command<OpenArguments> {
        static final CommandSpec<OpenArguments> SPEC = CommandSpec.of("guest-file-open", OpenArguments.class);
        private final FileHandles files;

        @Inject
        Open(FileHandles files) {
            this.files = files;
        }

        @Override
        public CommandSpec<OpenArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(OpenArguments a) throws CommandException {
            return files.open(a.path(), a.mode() == null ? "r" : a.mode());
        }
    }

    static final class Close implements Command<HandleArguments> {
        static final CommandSpec<HandleArguments> SPEC =
                CommandSpec.of("guest-file-close", HandleArguments.class);
        private final FileHandles files;

        @Inject
        Close(FileHandles files) {
            this.files = files;
        }

        @Override
        public CommandSpec<HandleArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(HandleArguments a) throws CommandException {
            files.close(a.handle());
            return null;
        }
    }

    static final class Read implements Command<ReadArguments> {
        static final CommandSpec<ReadArguments> SPEC = CommandSpec.of("guest-file-read", ReadArguments.class);
        private final FileHandles files;

        @Inject
        Read(FileHandles files) {
            this.files = files;
        }

        @Override
        public CommandSpec<ReadArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(ReadArguments a) throws CommandException {
            OpenFile file = files.find(a.handle());
            long count = a.count() == null ? READ_COUNT_DEFAULT : a.count();
            if (count < 0 || count > READ_COUNT_MAX) {
                throw new CommandException("value '" + count + "' is invalid for argument count");
            }
            return file.read((int) count);
        }
    }

    static final class Write implements Command<WriteArguments> {
        static final CommandSpec<WriteArguments> SPEC =
                CommandSpec.of("guest-file-write", WriteArguments.class);
        private final FileHandles files;

        @Inject
        Write(FileHandles files) {
            this.files = files;
        }

        @Override
        public CommandSpec<WriteArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(WriteArguments a) throws CommandException {
            OpenFile file = files.find(a.handle());
            file.prepareWrite();
            byte[] data = Base64Data.decode(a.bufB64());
            long count = a.count() == null ? data.length : a.count();
            if (count < 0 || count > data.length) {
                throw new CommandException("value '" + count + "' is invalid for argument count");
            }
            return file.write(data, (int) count);
        }
    }

    static final class Seek implements Command<SeekArguments> {
        static final CommandSpec<SeekArguments> SPEC = CommandSpec.of("guest-file-seek", SeekArguments.class);
        private final FileHandles files;

        @Inject
        Seek(FileHandles files) {
            this.files = files;
        }

        @Override
        public CommandSpec<SeekArguments> spec() {
            return SPEC;
        }

        @Override
        public Object execute(SeekArguments a) throws CommandException {
            // The alternate's type is checked while the arguments are visited, before the handle is looked up.
            long code = whenceCode(a.whence());
            OpenFile file = files.find(a.handle());
            int whence;
            if (code == 0) {
                whence = Libc.SEEK_SET;
            } else if (code == 1) {
                whence = Libc.SEEK_CUR;
            } else if (code == 2) {
                whence = Libc.SEEK_END;
            } else {
                throw new CommandException("invalid whence code " + code);
            }
            return file.seek(a.offset(), whence);
        }

        /** GuestFileWhence: an integer is taken as is; a string must name a QGASeek value. */
        static long whenceCode(JsonElement e) throws CommandException {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                Number n = e.getAsNumber();
                if (n instanceof Long || n instanceof Integer) {
                    return n.longValue();
                }
                throw ArgumentBinder.typeError("whence", "integer");
            }
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                switch (e.getAsString()) {
                    case "set": return 0;
                    case "cur": return 1;
                    case "end": return 2;
                    default:
                        throw new CommandException("Parameter 'whence' does not accept value '" + e.getAsString()
                                + "'");
                }
            }
            throw ArgumentBinder.typeError("whence", "GuestFileWhence");
        }
    }

    static final class Flush implements Command<HandleArguments> {
        static final CommandSpec<HandleArguments> SPEC =
                CommandSpec.of("guest-file-flush", HandleArguments.class);
        private final FileHandles files;

        @Inject
        Flush(FileHandles files) {
            this.files = files;
        }

        @Override
        public CommandSpec<HandleArguments> spec() {
            return SPEC;
        }

        /** Writes go straight to the descriptor, so there is no buffer to push out; the handle must exist. */
        @Override
        public Object execute(HandleArguments a) throws CommandException {
            files.find(a.handle());
            return null;
        }
    }
}
