package org.jqga.api.posix;

/** The {@code S_IFMT} part of a file mode. */
public enum FileType {
    SOCKET("socket"), SYMLINK("symbolic link"), REGULAR("regular file"), BLOCK_DEVICE("block device"),
    DIRECTORY("directory"), CHARACTER_DEVICE("character device"), FIFO("FIFO/pipe"), UNKNOWN("unknown file type");

    private final String description;

    FileType(String description) {
        this.description = description;
    }

    /** Decodes {@code st_mode}. */
    public static FileType ofMode(int mode) {
        switch (mode & 0170000) {
            case 0140000: return SOCKET;
            case 0120000: return SYMLINK;
            case 0100000: return REGULAR;
            case 0060000: return BLOCK_DEVICE;
            case 0040000: return DIRECTORY;
            case 0020000: return CHARACTER_DEVICE;
            case 0010000: return FIFO;
            default: return UNKNOWN;
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
