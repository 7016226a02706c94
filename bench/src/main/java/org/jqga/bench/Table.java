package org.jqga.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** The results as a plain-text table: one line per row, columns padded to their widest cell. */
public final class Table {
    /** An n/a reason longer than this is cut in the cell and printed in full under the table. */
    static final int REASON_WIDTH = 64;

    private Table() {
    }

    public static String format(List<Row> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"measure", "unit", "better", "jqga min / median / p90", "qemu-ga min / median / p90",
            "jqga/qemu-ga", "jqga/floor"});
        List<String> notes = new ArrayList<>();
        for (Row r : rows) {
            String name = r.variant().isEmpty() ? r.measure() : r.measure() + " [" + r.variant() + "]";
            if (r.note().isPresent()) {
                notes.add(name + ": " + r.note().get());
                name += " [" + notes.size() + "]";
            }
            lines.add(new String[] {
                name,
                r.unit().label,
                r.unit().better,
                cell(r.jqga(), notes),
                cell(r.qemuGa(), notes),
                ratio(r.ratio()),
                r.floor().isPresent() ? ratio(r.vsFloor()) : ""});
        }
        int[] width = new int[lines.get(0).length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < lines.size(); n++) {
            String[] l = lines.get(n);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                line.append(i == 0 ? "" : " | ").append(pad(l[i], width[i], i >= 3));
            }
            out.append(line.toString().replaceFirst("[ |]+$", "")).append('\n');
            if (n == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < width.length; i++) {
                    rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
                }
                out.append(rule).append('\n');
            }
        }
        for (int i = 0; i < notes.size(); i++) {
            out.append('[').append(i + 1).append("] ").append(notes.get(i)).append('\n');
        }
        return out.toString();
    }

    static String cell(Outcome o, List<String> notes) {
        if (o instanceof Outcome.Measured m) {
            Summary s = m.summary();
            return number(s.min()) + " / " + number(s.median()) + " / " + number(s.p90());
        }
        String reason = ((Outcome.NotAvailable) o).reason();
        if (reason.length() <= REASON_WIDTH) {
            return "n/a (" + reason + ")";
        }
        int note = notes.indexOf(reason);
        if (note < 0) {
            notes.add(reason);
            note = notes.size() - 1;
        }
        return "n/a (" + reason.substring(0, REASON_WIDTH - 6).stripTrailing() + "... [" + (note + 1) + "])";
    }

    /** Three significant digits or more: enough to compare, few enough to read. */
    static String number(double v) {
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    static String ratio(OptionalDouble r) {
        return r.isPresent() ? String.format(Locale.ROOT, "%.2fx", r.getAsDouble()) : "-";
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
