package org.jqga.agent.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A GLib key file, read and written the way {@code g_key_file_load_from_file}, {@code g_key_file_get_string},
 * {@code g_key_file_get_boolean} and {@code g_key_file_to_data} do it, with GLib's error texts, so that a
 * {@code qemu-ga.conf} that qemu-ga accepts is accepted here with the same meaning and one it rejects is rejected
 * with the same message. What GLib does and this class follows:
 * <ul>
 * <li>lines are split on LF; a CR before the LF is dropped; leading whitespace of a line is ignored;</li>
 * <li>{@code #} starts a comment line; blank lines are ignored;</li>
 * <li>{@code [name]} (trailing blanks allowed) opens a group; a repeated group continues the earlier one;</li>
 * <li>{@code key=value}: blanks around the key are trimmed, leading blanks of the value are dropped, trailing
 * ones kept; a later value of the same key replaces the earlier one; {@code key[locale]} entries are separate
 * keys and so never answer a lookup of {@code key};</li>
 * <li>values are raw bytes until read: {@link #getString} unescapes {@code \s \n \t \r \\} and requires UTF-8,
 * {@link #getBoolean} accepts exactly {@code true false 1 0} (trailing blanks ignored).</li>
 * </ul>
 */
final class KeyFile {
    private final Map<String, Map<String, byte[]>> groups;

    private KeyFile(Map<String, Map<String, byte[]>> groups) {
        this.groups = groups;
    }

    /** A parse error: the message is GLib's. */
    static final class KeyFileException extends Exception {
        KeyFileException(String message) {
            super(message);
        }
    }

    static KeyFile parse(byte[] data) throws KeyFileException {
        Map<String, Map<String, byte[]>> groups = new LinkedHashMap<>();
        Map<String, byte[]> current = null;
        int start = 0;
        while (start < data.length) {
            int end = start;
            while (end < data.length && data[end] != '\n') {
                end++;
            }
            int lineEnd = end > start && data[end - 1] == '\r' ? end - 1 : end;
            int p = start;
            while (p < lineEnd && isSpace(data[p])) {
                p++;
            }
            if (p == lineEnd || data[p] == '#') {
                // blank or comment
            } else if (isGroupLine(data, p, lineEnd)) {
                int close = p + 1;
                while (data[close] != ']') {
                    close++;
                }
                String name = text(data, p + 1, close);
                if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)) {
                    throw new KeyFileException("Invalid group name: " + name);
                }
                current = groups.computeIfAbsent(name, n -> new LinkedHashMap<>());
            } else if (isKeyValueLine(data, p, lineEnd)) {
                if (current == null) {
                    throw new KeyFileException("Key file does not start with a group");
                }
                int eq = indexOf(data, p, lineEnd, (byte) '=');
                int keyEnd = eq;
                while (keyEnd > p && isSpace(data[keyEnd - 1])) {
                    keyEnd--;
                }
                String key = text(data, p, keyEnd);
                if (!isKeyName(key)) {
                    throw new KeyFileException("Invalid key name: " + key);
                }
                int v = eq + 1;
                while (v < lineEnd && isSpace(data[v])) {
                    v++;
                }
                byte[] value = new byte[lineEnd - v];
                System.arraycopy(data, v, value, 0, value.length);
                current.put(key, value);
            } else {
                throw new KeyFileException("Key file contains line \u201c" + text(data, start, lineEnd)
                        + "\u201d which is not a key-value pair, group, or comment");
            }
            start = end + 1;
        }
        return new KeyFile(groups);
    }

    boolean hasKey(String group, String key) {
        return groups.getOrDefault(group, Map.of()).containsKey(key);
    }

    /** {@code g_key_file_get_string}: the unescaped value, or GLib's error. Empty when the key is absent. */
    Optional<String> getString(String group, String key) throws KeyFileException {
        byte[] raw = groups.getOrDefault(group, Map.of()).get(key);
        if (raw == null) {
            return Optional.empty();
        }
        String value;
        try {
            value = strictUtf8(raw);
        } catch (CharacterCodingException e) {
            throw new KeyFileException("Key file contains key \u201c" + key + "\u201d with value \u201c"
                    + text(raw, 0, raw.length) + "\u201d which is not UTF-8");
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == value.length()) {
                throw uninterpretable(key);
            }
            switch (value.charAt(i)) {
                case 's': sb.append(' '); break;
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                case 'r': sb.append('\r'); break;
                case '\\': sb.append('\\'); break;
                default: throw uninterpretable(key);
            }
        }
        return Optional.of(sb.toString());
    }

    /** {@code g_key_file_get_boolean}. Empty when the key is absent. */
    Optional<Boolean> getBoolean(String group, String key) throws KeyFileException {
        byte[] raw = groups.getOrDefault(group, Map.of()).get(key);
        if (raw == null) {
            return Optional.empty();
        }
        String value = text(raw, 0, raw.length).stripTrailing();
        switch (value) {
            case "true":
            case "1":
                return Optional.of(true);
            case "false":
            case "0":
                return Optional.of(false);
            default:
                throw uninterpretable(key);
        }
    }

    static KeyFileException uninterpretable(String key) {
        return new KeyFileException("Key file contains key \u201c" + key
                + "\u201d which has a value that cannot be interpreted.");
    }

    /** {@code g_key_file_set_string}'s escaping: the value as it must be written so it reads back the same. */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        boolean leading = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case ' ':
                    sb.append(leading ? "\\s" : " ");
                    break;
                case '\t':
                    sb.append(leading ? "\\t" : "\t");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\\':
                    sb.append("\\\\");
                    leading = false;
                    break;
                default:
                    sb.append(c);
                    leading = false;
            }
        }
        return sb.toString();
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0B;
    }

    private static boolean isGroupLine(byte[] d, int p, int end) {
        if (d[p] != '[') {
            return false;
        }
        int q = p + 1;
        while (q < end && d[q] != ']') {
            q++;
        }
        if (q >= end) {
            return false;
        }
        q++;
        while (q < end && (d[q] == ' ' || d[q] == '\t')) {
            q++;
        }
        return q == end;
    }

    private static boolean isKeyValueLine(byte[] d, int p, int end) {
        int eq = indexOf(d, p, end, (byte) '=');
        return eq > p;
    }

    private static int indexOf(byte[] d, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** GLib's key-name rule: no '[' ']' except one trailing [locale], no control characters, non-empty. */
    private static boolean isKeyName(String key) {
        if (key.isEmpty()) {
            return false;
        }
        int bracket = key.indexOf('[');
        String base = bracket < 0 ? key : key.substring(0, bracket);
        if (base.isEmpty() || base.indexOf(']') >= 0 || base.chars().anyMatch(Character::isISOControl)) {
            return false;
        }
        if (bracket < 0) {
            return true;
        }
        String locale = key.substring(bracket + 1);
        if (!locale.endsWith("]")) {
            return false;
        }
        return locale.substring(0, locale.length() - 1).chars()
                .allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '@');
    }

    private static String strictUtf8(byte[] raw) throws CharacterCodingException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        return decoder.decode(ByteBuffer.wrap(raw)).toString();
    }

    /** Bytes as text for messages and for non-string values; invalid UTF-8 becomes U+FFFD as GLib shows it. */
    private static String text(byte[] d, int from, int to) {
        return new String(d, from, to - from, StandardCharsets.UTF_8);
    }
}
