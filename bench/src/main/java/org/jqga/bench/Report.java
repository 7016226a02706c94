package org.jqga.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The results as JSON: the environment, the settings, each variant's command, and per row every sample with its
 * summary, so that runs can be compared over time and re-summarised differently later.
 */
final class Report {
    private Report() {
    }

    static String json(Map<String, String> environment, Settings settings, List<Variant> variants, List<Row> rows) {
        JsonObject root = new JsonObject();
        root.addProperty("format", "jqga-bench/1");
        JsonObject env = new JsonObject();
        environment.forEach(env::addProperty);
        root.add("environment", env);
        JsonObject s = new JsonObject();
        s.addProperty("quick", settings.quick());
        s.addProperty("startReps", settings.startReps());
        s.addProperty("classSamples", Math.min(Measures.CLASS_SAMPLES, settings.startReps()));
        s.addProperty("pingWarmup", settings.pingWarmup());
        s.addProperty("pingSamples", settings.pingSamples());
        s.addProperty("pipelineDepth", settings.pipelineDepth());
        s.addProperty("pipelinedReps", settings.pipelinedReps());
        s.addProperty("fileMiB", settings.fileMiB());
        s.addProperty("fileReadReps", settings.fileReadReps());
        s.addProperty("execReps", settings.execReps());
        s.addProperty("reconnectWarmup", settings.reconnectWarmup());
        s.addProperty("reconnectBatches", settings.reconnectBatches());
        s.addProperty("reconnectsPerBatch", settings.reconnectsPerBatch());
        s.addProperty("idleSeconds", settings.idleSeconds());
        root.add("settings", s);
        JsonArray vs = new JsonArray();
        for (Variant v : variants) {
            JsonObject o = new JsonObject();
            o.addProperty("name", v.name());
            o.addProperty("description", v.description());
            o.add("command", strings(v.jqga().command()));
            v.floor().ifPresent(f -> o.add("floorCommand", strings(f.command())));
            v.unavailable().ifPresent(r -> o.addProperty("unavailable", r));
            vs.add(o);
        }
        root.add("variants", vs);
        JsonArray rs = new JsonArray();
        for (Row r : rows) {
            JsonObject o = new JsonObject();
            o.addProperty("measure", r.measure());
            o.addProperty("variant", r.variant());
            o.addProperty("unit", r.unit().label);
            o.addProperty("better", r.unit().better);
            o.add("jqga", outcome(r.jqga()));
            o.add("qemuGa", outcome(r.qemuGa()));
            r.floor().ifPresent(f -> o.add("floor", outcome(f)));
            r.ratio().ifPresent(x -> o.addProperty("ratio", x));
            r.vsFloor().ifPresent(x -> o.addProperty("vsFloor", x));
            rs.add(o);
        }
        root.add("rows", rs);
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(root);
    }

    static JsonObject outcome(Outcome outcome) {
        JsonObject o = new JsonObject();
        if (outcome instanceof Outcome.Measured m) {
            o.addProperty("count", m.summary().count());
            o.addProperty("min", m.summary().min());
            o.addProperty("median", m.summary().median());
            o.addProperty("p90", m.summary().p90());
            JsonArray samples = new JsonArray();
            m.samples().forEach(samples::add);
            o.add("samples", samples);
        } else {
            o.addProperty("notAvailable", ((Outcome.NotAvailable) outcome).reason());
        }
        return o;
    }

    private static JsonArray strings(List<String> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }
}
