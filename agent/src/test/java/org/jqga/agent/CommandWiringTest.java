package org.jqga.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.cli.CommandLine;
import org.jqga.agent.commands.CommandFamilies;
import org.jqga.agent.commands.FakePosix;
import org.jqga.agent.dispatch.CommandRegistry;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.dispatch.QgaSchema;
import org.jqga.agent.protocol.Frame;
import org.jqga.agent.protocol.Framer;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.state.FrozenState;
import org.junit.jupiter.api.Test;

/**
 * The agent's wiring as Main builds it: commands are known by their declared specs from the start and made only
 * when called, and the whole graph (every family, every command) still resolves.
 */
class CommandWiringTest {
    private static Injector agent(Stage stage, String... args) throws Exception {
        AgentOptions options = CommandLine.parse(args);
        return Guice.createInjector(stage, new AgentModule(options, new FakePosix(), new FrozenState(options),
                CommandFamilies.all()));
    }

    /** Through the real framer, as a session does. */
    private static JsonObject call(Dispatcher dispatcher, String request) {
        List<Frame> frames = new ArrayList<>();
        byte[] bytes = (request + "\n").getBytes(StandardCharsets.UTF_8);
        new Framer(FramerLimits.QEMU).feed(bytes, 0, bytes.length, frames::add);
        assertEquals(1, frames.size(), frames::toString);
        byte[] line = dispatcher.handle(frames.get(0)).orElseThrow();
        return JsonParser.parseString(new String(line, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static List<String> instantiated(CommandRegistry registry) {
        return registry.all().stream().filter(CommandRegistry.Entry::instantiated).map(e -> e.spec().name()).toList();
    }

    @Test
    void noCommandIsMadeBeforeItIsCalled() throws Exception {
        Injector injector = agent(Stage.DEVELOPMENT);
        CommandRegistry registry = injector.getInstance(CommandRegistry.class);
        Dispatcher dispatcher = injector.getInstance(Dispatcher.class);
        assertEquals(List.of(), instantiated(registry), "made before any request");

        assertEquals(new JsonObject(), call(dispatcher, "{\"execute\":\"guest-ping\"}").get("return"));
        assertEquals(List.of("guest-ping"), instantiated(registry));

        JsonObject sync = call(dispatcher, "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":7}}");
        assertEquals(7, sync.get("return").getAsLong(), sync::toString);
        assertEquals(List.of("guest-sync", "guest-ping"), instantiated(registry));
    }

    @Test
    void aDisabledCommandIsRefusedWithoutBeingMade() throws Exception {
        Injector injector = agent(Stage.DEVELOPMENT, "--block-rpcs=guest-get-osinfo");
        CommandRegistry registry = injector.getInstance(CommandRegistry.class);
        JsonObject r = call(injector.getInstance(Dispatcher.class), "{\"execute\":\"guest-get-osinfo\"}");
        assertEquals("CommandNotFound", r.getAsJsonObject("error").get("class").getAsString(), r::toString);
        assertEquals(List.of(), instantiated(registry));
    }

    @Test
    void guestInfoListsEveryCommandWithItsFlagsFromTheSpecsAlone() throws Exception {
        Injector injector = agent(Stage.DEVELOPMENT, "--block-rpcs=guest-exec");
        CommandRegistry registry = injector.getInstance(CommandRegistry.class);
        JsonObject r = call(injector.getInstance(Dispatcher.class), "{\"execute\":\"guest-info\"}");
        JsonObject ret = r.getAsJsonObject("return");
        assertEquals(QgaSchema.QEMU_VERSION, ret.get("version").getAsString());
        JsonArray listed = ret.getAsJsonArray("supported_commands");

        List<String> expected = new ArrayList<>(registry.names());
        java.util.Collections.reverse(expected); // qemu-ga lists the newest schema entry first
        List<String> names = new ArrayList<>();
        Map<String, JsonObject> byName = new java.util.HashMap<>();
        for (JsonElement e : listed) {
            JsonObject o = e.getAsJsonObject();
            names.add(o.get("name").getAsString());
            byName.put(o.get("name").getAsString(), o);
        }
        assertEquals(expected, names);
        assertEquals(43, names.size(), "qemu-ga 10.2's Linux command set");
        for (CommandRegistry.Entry<?> e : registry.all()) {
            JsonObject o = byName.get(e.spec().name());
            assertEquals(e.spec().successResponse(), o.get("success-response").getAsBoolean(), o::toString);
            assertEquals(!e.spec().name().equals("guest-exec"), o.get("enabled").getAsBoolean(), o::toString);
        }
        assertFalse(byName.get("guest-shutdown").get("success-response").getAsBoolean());
        assertFalse(byName.get("guest-suspend-ram").get("success-response").getAsBoolean());
        assertTrue(byName.get("guest-file-read").get("success-response").getAsBoolean());
        assertEquals(List.of("guest-info"), instantiated(registry), "listing the commands made only guest-info");
    }

    /** Stage.PRODUCTION makes every singleton eagerly: a binding a family lacks fails here, not in a guest. */
    @Test
    void commandWiringIsComplete() throws Exception {
        Injector injector = agent(Stage.PRODUCTION);
        CommandRegistry registry = injector.getInstance(CommandRegistry.class);
        for (CommandRegistry.Entry<?> e : registry.all()) {
            assertEquals(e.spec(), e.command().spec(), e.spec().name());
        }
        assertEquals(registry.names().size(), instantiated(registry).size());
        Map<String, Long> families = CommandFamilies.all().stream().collect(Collectors.groupingBy(
                f -> f.getClass().getName(), Collectors.counting()));
        families.forEach((name, n) -> assertEquals(1L, n, name + " listed twice"));
    }

    @Test
    void listRpcsNamesWhatTheRegistryHolds() throws Exception {
        Injector injector = agent(Stage.DEVELOPMENT);
        assertEquals(injector.getInstance(CommandRegistry.class).names(),
                CommandRegistry.declaredNames(CommandFamilies.all()));
        List<String> linux = new ArrayList<>(QgaSchema.COMMAND_ORDER);
        linux.remove("guest-get-devices"); // Windows only
        assertEquals(linux, CommandRegistry.declaredNames(CommandFamilies.all()));
    }
}
