package org.jqga.agent.commands;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jqga.agent.AgentModule;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.cli.CommandLine;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.agent.protocol.Frame;
import org.jqga.agent.state.FrozenState;
import org.jqga.api.posix.Posix;

/**
 * The whole agent wired as in production, except that {@code /} is a fixture tree and libc is {@code posix}; a
 * request goes through the real dispatcher and comes back as the exact wire text.
 */
public final class FixtureAgent {
    /** The fixture tree that stands for a small VM (see the files under src/test/resources/fixtures/vm1). */
    public static final Path VM1 = Path.of("src/test/resources/fixtures/vm1");

    private final Dispatcher dispatcher;

    public FixtureAgent(Path root, Posix posix) throws Exception {
        AbstractModule fixture = new AbstractModule() {
            @Override
            protected void configure() {
                bind(SystemRoot.class).toInstance(SystemRoot.at(root));
                bind(Posix.class).toInstance(posix);
            }
        };
        AgentOptions options = CommandLine.parse();
        AgentModule agent = new AgentModule(options, posix, new FrozenState(options), CommandFamilies.all());
        Injector injector = Guice.createInjector(Stage.PRODUCTION, Modules.override(agent).with(fixture));
        this.dispatcher = injector.getInstance(Dispatcher.class);
    }

    /** The response line exactly as it would go on the wire (without the newline). */
    public String wire(String command) {
        JsonElement request = JsonParser.parseString("{\"execute\":\"" + command + "\"}");
        byte[] out = dispatcher.handle(new Frame.Value(request)).orElseThrow();
        String text = new String(out, StandardCharsets.UTF_8);
        return text.substring(0, text.length() - 1);
    }

    /** The response object. */
    public JsonObject call(String command) {
        return JsonParser.parseString(wire(command)).getAsJsonObject();
    }

    /** The {@code return} member; fails with the response when it is an error. */
    public JsonElement ret(String command) {
        JsonObject r = call(command);
        if (!r.has("return")) {
            throw new AssertionError(command + " failed: " + r);
        }
        return r.get("return");
    }

    /** The error's {@code desc}; fails when the command succeeded. */
    public String error(String command) {
        JsonObject r = call(command);
        if (!r.has("error")) {
            throw new AssertionError(command + " succeeded: " + r);
        }
        return r.getAsJsonObject("error").get("desc").getAsString();
    }
}
