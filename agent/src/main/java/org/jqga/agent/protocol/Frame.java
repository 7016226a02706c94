package org.jqga.agent.protocol;

import com.google.gson.JsonElement;

/** What the framer found in the byte stream: a complete JSON value, or an error to answer with. */
public sealed interface Frame {
    /** A complete JSON text, parsed. */
    record Value(JsonElement json) implements Frame {
    }

    /** A lexical, syntax or limit error; {@code desc} is qemu-ga's text, e.g. {@code JSON parse error, stray '@'}. */
    record Error(String desc) implements Frame {
    }
}
