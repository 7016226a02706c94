package org.jqga.transport.vsock;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code CID:PORT} pair as qemu-ga's {@code --method=vsock-listen --path=CID:PORT} spells it: both decimal,
 * 0 to 4294967295, no sign, no hex; CID 4294967295 ({@code VMADDR_CID_ANY}) binds every CID of this machine.
 * jqga also accepts {@code -1} for the any-CID, as a C caller would write it. The error texts are qemu's.
 *
 * @param cid  the context id, 0 to 4294967295
 * @param port the port, 0 to 4294967295
 */
record VsockAddress(long cid, long port) {
    static final long CID_ANY = 0xFFFFFFFFL;
    private static final long UINT_MAX = 0xFFFFFFFFL;
    /** qemu reads each part with {@code %32[0-9]}: at most 32 digits, then {@code :}. */
    private static final Pattern FORM = Pattern.compile("(-1|[0-9]{1,32}):([0-9]{1,32})");

    static VsockAddress parse(String text) throws IOException {
        Matcher m = FORM.matcher(text);
        if (!m.lookingAt()) {
            throw new IOException("error parsing address '" + text + "' (expected CID:PORT, e.g. -1:4000)");
        }
        if (m.end() != text.length()) {
            throw new IOException("trailing characters in address '" + text + "'");
        }
        String cidText = m.group(1);
        long cid = cidText.equals("-1") ? CID_ANY : unsigned32(cidText, "cid");
        long port = unsigned32(m.group(2), "port");
        return new VsockAddress(cid, port);
    }

    private static long unsigned32(String digits, String what) throws IOException {
        // Up to 32 digits: anything longer than 10 is out of range without parsing.
        if (digits.length() <= 10) {
            long v = Long.parseLong(digits);
            if (v <= UINT_MAX) {
                return v;
            }
        }
        throw new IOException("Failed to parse " + what + " '" + digits + "' (expected 0 to 4294967295)");
    }

    /** systemd's notation, as {@code SocketAddresses} renders a bound vsock address: {@code vsock:CID:PORT}. */
    @Override
    public String toString() {
        return "vsock:" + cid + ":" + port;
    }

    /** {@code any CID} or {@code CID n}, for messages. */
    String describeCid() {
        return cid == CID_ANY ? "any CID" : "CID " + cid;
    }
}
