package org.jqga.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqga.agent.AgentModule;
import org.jqga.agent.cli.AgentOptions;
import org.jqga.agent.cli.CommandLine;
import org.jqga.agent.commands.CommandFamilies;
import org.jqga.agent.dispatch.Dispatcher;
import org.jqga.agent.linux.Mount;
import org.jqga.agent.linux.MountTable;
import org.jqga.agent.linux.Mounts;
import org.jqga.agent.linux.SystemRoot;
import org.jqga.agent.protocol.Frame;
import org.jqga.agent.protocol.Framer;
import org.jqga.agent.protocol.FramerLimits;
import org.jqga.agent.state.FrozenState;
import org.jqga.api.posix.Posix;
import org.jqga.it.support.LoopExt4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-fstrim and the plain guest-fsfreeze-freeze work on every mounted filesystem, so they are run here in the
 * agent's real wiring (real libc ioctls, the real mountinfo parser) with the mount table narrowed to a loop-mounted
 * ext4 made by the test: the machine's own filesystems are never frozen or trimmed.
 */
class FstrimAndFreezeAllIT {
    @TempDir
    Path dir;

    private LoopExt4 fs;
    private Dispatcher dispatcher;

    @BeforeEach
    void agentSeeingOnlyTheLoopFilesystem() throws Exception {
        fs = LoopExt4.create(dir);
        String mountpoint = fs.mountpoint().toString();
        Mounts onlyTheLoop = () -> {
            List<Mount> mounts = new ArrayList<>();
            for (MountTable.Mount m : new MountTable(SystemRoot.host()).mounts()) {
                if (m.dirname().equals(mountpoint)) {
                    mounts.add(new Mount(m.dirname(), m.devtype(), (int) m.major(), (int) m.minor()));
                }
            }
            return mounts;
        };
        Files.createDirectories(dir.resolve("state"));
        AgentOptions options = CommandLine.parse(new String[] {"--statedir=" + dir.resolve("state")});
        AgentModule agent = new AgentModule(options, Posix.load(), new FrozenState(options), CommandFamilies.all());
        Injector injector = Guice.createInjector(com.google.inject.util.Modules.override(agent).with(
                new AbstractModule() {
                    @Provides
                    Mounts mountTable() {
                        return onlyTheLoop;
                    }
                }));
        dispatcher = injector.getInstance(Dispatcher.class);
    }

    @AfterEach
    void unmount() throws Exception {
        fs.close();
    }

    private JsonObject call(String request) {
        List<Frame> frames = new ArrayList<>();
        byte[] bytes = (request + " ").getBytes(StandardCharsets.UTF_8);
        new Framer(FramerLimits.QEMU).feed(bytes, 0, bytes.length, frames::add);
        return JsonParser.parseString(new String(dispatcher.handle(frames.get(0)).orElseThrow(),
                StandardCharsets.ISO_8859_1)).getAsJsonObject();
    }

    @Test
    void fstrimDiscardsTheFreeBlocksOfEachFilesystemAndSaysHowMany() {
        JsonObject response = call("{\"execute\":\"guest-fstrim\",\"arguments\":{\"minimum\":4096}}");
        var paths = response.getAsJsonObject("return").getAsJsonArray("paths");
        assertEquals(1, paths.size(), response::toString);
        JsonObject result = paths.get(0).getAsJsonObject();
        assertEquals(fs.mountpoint().toString(), result.get("path").getAsString());
        assertFalse(result.has("error"), response::toString);
        assertTrue(result.get("trimmed").getAsLong() > 0, response::toString);
        assertEquals(4096, result.get("minimum").getAsLong());
    }

    @Test
    void freezeWithoutAListFreezesEveryFilesystemItKnowsAndThawUndoesIt() throws Exception {
        assertEquals(1, call("{\"execute\":\"guest-fsfreeze-freeze\"}").get("return").getAsLong());
        assertTrue(fs.isFrozen());
        assertEquals("CommandNotFound", call("{\"execute\":\"guest-fstrim\"}").getAsJsonObject("error")
                .get("class").getAsString());
        assertEquals(1, call("{\"execute\":\"guest-fsfreeze-thaw\"}").get("return").getAsLong());
        assertFalse(fs.isFrozen());
        assertEquals(0, call("{\"execute\":\"guest-fsfreeze-thaw\"}").get("return").getAsLong());
    }
}
