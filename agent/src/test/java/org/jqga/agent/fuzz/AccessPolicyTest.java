package org.jqga.agent.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jqga.agent.protocol.Frame;
import org.jqga.agent.protocol.Framer;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.state.FrozenState;
import org.junit.jupiter.api.Test;

/**
 * --block-rpcs / --allow-rpcs and the frozen gate, against the whole sandboxed agent: no spelling of a blocked
 * command runs it, guest-info reports what the gate decides, and while frozen only the frozen-safe commands run.
 */
class AccessPolicyTest {
    private static List<JsonObject> send(SandboxedAgent agent, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<Frame> frames = new ArrayList<>();
        new Framer(FramerLimits.QEMU).feed(bytes, 0, bytes.length, frames::add);
        List<JsonObject> out = new ArrayList<>();
        for (Frame f : frames) {
            agent.dispatcher.handle(f).ifPresent(r -> {
                int start = r[0] == (byte) 0xFF ? 1 : 0;
                out.add(JsonParser.parseString(new String(r, start, r.length - start, StandardCharsets.US_ASCII))
                        .getAsJsonObject());
            });
        }
        return out;
    }

    private static JsonObject one(SandboxedAgent agent, String text) {
        List<JsonObject> r = send(agent, text);
        assertEquals(1, r.size(), r.toString());
        return r.get(0);
    }

    private static boolean enabledInGuestInfo(SandboxedAgent agent, String name) {
        JsonArray commands = one(agent, "{\"execute\":\"guest-info\"}").getAsJsonObject("return")
                .getAsJsonArray("supported_commands");
        for (JsonElement c : commands) {
            if (c.getAsJsonObject().get("name").getAsString().equals(name)) {
                return c.getAsJsonObject().get("enabled").getAsBoolean();
            }
        }
        throw new AssertionError(name + " not listed by guest-info");
    }

    @Test
    void noSpellingOfABlockedCommandRunsIt() {
        SandboxedAgent agent = SandboxedAgent.create("--block-rpcs=guest-get-time,guest-file-open");
        for (String spelling : List.of("guest-get-time", "GUEST-GET-TIME", "guest_get_time", " guest-get-time",
                "guest-get-time ", "guest-get-time\\u0000", "guest-get-tim\\u0065", "guest-get-time\\n")) {
            JsonObject r = one(agent, "{\"execute\":\"" + spelling + "\"}");
            assertTrue(r.has("error"), spelling + " -> " + r);
            assertFalse(r.has("return"), spelling + " -> " + r);
        }
        // Through single quotes (a QEMU JSON extension) and with the name as an escaped string: still blocked.
        assertTrue(one(agent, "{'execute':'guest-get-time'}").has("error"));
        assertEquals("Command guest-get-time has been disabled: the command is not allowed",
                one(agent, "{\"execute\":\"guest-get-t\\u0069me\"}").getAsJsonObject("error").get("desc")
                        .getAsString());
        assertFalse(enabledInGuestInfo(agent, "guest-get-time"));
        assertFalse(enabledInGuestInfo(agent, "guest-file-open"));
        assertTrue(enabledInGuestInfo(agent, "guest-ping"));
        // guest-info takes no arguments that could change the gate.
        assertTrue(one(agent, "{\"execute\":\"guest-info\",\"arguments\":{\"enabled\":true}}").has("error"));
    }

    @Test
    void theAllowListAdmitsOnlyWhatItNames() {
        SandboxedAgent agent = SandboxedAgent.create("--allow-rpcs=guest-ping,guest-info");
        assertTrue(one(agent, "{\"execute\":\"guest-ping\"}").has("return"));
        assertTrue(one(agent, "{\"execute\":\"guest-get-time\"}").has("error"));
        assertTrue(one(agent, "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\"}}").has("error"));
        assertFalse(enabledInGuestInfo(agent, "guest-exec"));
    }

    @Test
    void whileFrozenOnlyFrozenSafeCommandsRunWhateverTheLists() {
        SandboxedAgent agent = SandboxedAgent.create("--allow-rpcs=guest-fsfreeze-freeze,guest-fsfreeze-thaw,"
                + "guest-fsfreeze-status,guest-info,guest-ping,guest-get-time");
        // The sandbox has no filesystem to freeze: the state a successful freeze leaves is set directly.
        agent.injector.getInstance(FrozenState.class).markFrozen();
        assertEquals("frozen", one(agent, "{\"execute\":\"guest-fsfreeze-status\"}").get("return").getAsString());
        assertTrue(one(agent, "{\"execute\":\"guest-get-time\"}").has("error"), "not frozen-safe");
        assertFalse(enabledInGuestInfo(agent, "guest-get-time"));
        assertTrue(one(agent, "{\"execute\":\"guest-ping\"}").has("return"));
        agent.injector.getInstance(FrozenState.class).markThawed();
        assertTrue(one(agent, "{\"execute\":\"guest-get-time\"}").has("return"));
    }
}
