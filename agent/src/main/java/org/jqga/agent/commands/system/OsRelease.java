package org.jqga.agent.commands.system;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code os-release} read as qemu-ga reads it: the file, prefixed with an {@code [os-release]} group, must load as
 * a GLib key file (else every field is dropped), and each value then goes through qemu-ga's own unquoting.
 */
final class OsRelease {
    private OsRelease() {
    }

    /** The raw values of the {@code [os-release]} group, or empty when GLib would refuse the file. */
    static Optional<Map<String, byte[]>> parse(byte[] content) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        Map<String, byte[]> values = new HashMap<>();
        boolean inGroup = true;
        String text = new String(content, StandardCharsets.UTF_8);
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            int start = 0;
            while (start < line.length() && isSpace(line.charAt(start))) {
                start++;
            }
            String l = line.substring(start);
            if (l.isEmpty() || l.charAt(0) == '#') {
                continue;
            }
            if (l.charAt(0) == '[') {
                int close = l.indexOf(']');
                if (close < 0 || !l.substring(close + 1).replace(" ", "").replace("\t", "").isEmpty()
                        || !isGroupName(l.substring(1, close))) {
                    return Optional.empty();
                }
                inGroup = l.substring(1, close).equals("os-release");
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            int keyEnd = eq;
            while (keyEnd > 0 && isSpace(l.charAt(keyEnd - 1))) {
                keyEnd--;
            }
            String key = l.substring(0, keyEnd);
            if (!isKeyName(key)) {
                return Optional.empty();
            }
            int v = eq + 1;
            while (v < l.length() && isSpace(l.charAt(v))) {
                v++;
            }
            if (inGroup) {
                values.put(key, l.substring(v).getBytes(StandardCharsets.UTF_8));
            }
        }
        return Optional.of(values);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isGroupName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '[' || c == ']' || c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** GLib's {@code g_key_file_is_key_name}: no {@code = [ ]} except a trailing {@code [locale]}. */
    private static boolean isKeyName(String key) {
        int q = 0;
        while (q < key.length() && key.charAt(q) != '=' && key.charAt(q) != '[' && key.charAt(q) != ']') {
            q++;
        }
        if (q == 0 || key.charAt(0) == ' ' || key.charAt(q - 1) == ' ') {
            return false;
        }
        if (q < key.length() && key.charAt(q) == '[') {
            q++;
            while (q < key.length() && (Character.isLetterOrDigit(key.charAt(q)) || "-_.@".indexOf(key.charAt(q)) >= 0)) {
                q++;
            }
            if (q >= key.length() || key.charAt(q) != ']') {
                return false;
            }
            q++;
        }
        return q == key.length();
    }

    /**
     * qemu-ga's {@code ga_osrelease_replace_special}, byte for byte (it edits the C string in place): a value not
     * starting with {@code "} is cut at the first space and then at the first {@code ;}; a double-quoted one is
     * unquoted, {@code \$ \' \" \\ \`} lose their backslash. Without a closing quote the in-place copy leaves the
     * tail of the original behind, and so do we.
     */
    static String replaceSpecial(byte[] value) {
        byte[] v = value.clone();
        int len = v.length;
        if (len == 0 || v[0] != '"') {
            int end = len;
            for (int i = 0; i < len; i++) {
                if (v[i] == ' ') {
                    end = i;
                    break;
                }
            }
            for (int i = 0; i < end; i++) {
                if (v[i] == ';') {
                    end = i;
                    break;
                }
            }
            return new String(v, 0, end, StandardCharsets.UTF_8);
        }
        byte quote = v[0];
        int p2 = 0;
        int p = 1;
        int end = len;
        while (p < len) {
            if (v[p] == '\\') {
                p++;
                byte next = p < len ? v[p] : 0;
                if (next != '$' && next != '\'' && next != '"' && next != '\\' && next != '`') {
                    p--; // keep the backslash and whatever follows
                }
            } else if (v[p] == quote) {
                end = p2;
                break;
            }
            if (p >= len) {
                break;
            }
            v[p2++] = v[p++];
        }
        return new String(v, 0, end, StandardCharsets.UTF_8);
    }
}
