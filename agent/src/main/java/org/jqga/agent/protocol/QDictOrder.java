package org.jqga.agent.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The order in which QEMU's QDict iterates its keys: by hash bucket, and within a bucket the key added last comes
 * first. qemu-ga writes responses and checks request members in this order, so reproducing it makes our output
 * byte-identical and our "first bad member" the same one qemu-ga reports.
 */
public final class QDictOrder {
    private static final int BUCKETS = 512;

    private QDictOrder() {
    }

    /** QEMU's {@code tdb_hash(key) % QDICT_BUCKET_MAX}, in 32-bit wrap-around arithmetic. */
    static int bucket(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        int v = 0x238F13AF * b.length;
        for (int i = 0; i < b.length; i++) {
            v += (b[i] & 0xFF) << ((i * 5) % 24);
        }
        return Integer.remainderUnsigned(1103515243 * v + 12345, BUCKETS);
    }

    /** The members of {@code obj} (whose iteration order is insertion order) in QDict order. */
    public static List<Map.Entry<String, JsonElement>> entries(JsonObject obj) {
        List<Map.Entry<String, JsonElement>> list = new ArrayList<>(obj.entrySet());
        int n = list.size();
        int[] buckets = new int[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            buckets[i] = bucket(list.get(i).getKey());
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> buckets[a] != buckets[b]
                ? Integer.compare(buckets[a], buckets[b]) : Integer.compare(b, a));
        List<Map.Entry<String, JsonElement>> sorted = new ArrayList<>(n);
        for (Integer i : order) {
            sorted.add(list.get(i));
        }
        return sorted;
    }
}
