package org.jqga.api;

import java.io.InputStream;
import java.io.OutputStream;

/** One client session's byte stream. */
public interface Connection extends AutoCloseable {
    InputStream in();

    OutputStream out();

    Peer peer();

    /** Closes both directions. Never throws. */
    @Override
    void close();
}
