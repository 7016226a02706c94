package org.jqga.agent.commands.fsfreeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jqga.agent.cli.CommandLine;
import org.jqga.agent.dispatch.CommandException;
import org.jqga.agent.linux.Errno;
import org.jqga.agent.linux.Mount;
import org.jqga.agent.linux.ProgramOutcome;
import org.jqga.agent.linux.RecordingRunner;
import org.jqga.agent.state.FrozenState;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.InOrder;

/**
 * The freeze/thaw sequence with a Posix that records ioctls instead of freezing anything; the real ioctls on a
 * real ext4 filesystem are exercised by the integration tests.
 */
class FilesystemFreezerTest {
    private static final Posix REAL = Posix.load();
    private static final Map<String, Integer> FDS = Map.of("/", 10, "/srv", 11, "/srv/data", 12);

    @TempDir
    Path statedir;

    private final Posix posix = mock(Posix.class);
    /** Filesystems the fake kernel has frozen, by fd. */
    private final Set<Integer> kernelFrozen = new HashSet<>();
    private FrozenState state;

    @BeforeEach
    void fakeKernel() throws Exception {
        when(posix.strerror(anyInt())).thenAnswer(i -> REAL.strerror(i.getArgument(0)));
        when(posix.openReadOnly(anyString())).thenAnswer(i -> {
            Integer fd = FDS.get(i.<String>getArgument(0));
            if (fd == null) {
                throw new PosixException("open", Errno.ENOENT);
            }
            return fd;
        });
        doAnswer(i -> {
            if (!kernelFrozen.add(i.<Integer>getArgument(0))) {
                throw new PosixException("FIFREEZE", Errno.EBUSY);
            }
            return null;
        }).when(posix).freezeFilesystem(anyInt());
        doAnswer(i -> {
            if (!kernelFrozen.remove(i.<Integer>getArgument(0))) {
                throw new PosixException("FITHAW", Errno.EINVAL);
            }
            return null;
        }).when(posix).thawFilesystem(anyInt());
        state = new FrozenState(statedir.resolve(FrozenState.MARKER_NAME));
    }

    private FilesystemFreezer freezer(RecordingRunner hook) throws Exception {
        return new FilesystemFreezer(posix, new Errno(posix),
                () -> List.of(new Mount("/", "ext4", 254, 0), new Mount("/srv", "xfs", 8, 1),
                        new Mount("/srv/data", "ext4", 8, 2)),
                state, hook, CommandLine.parse(new String[] {"--statedir=" + statedir, "--fsfreeze-hook=/hook"}));
    }

    @Test
    void freezeRunsTheHookFreezesInReverseMountOrderAndPersistsTheState() throws Exception {
        RecordingRunner hook = RecordingRunner.succeeding();
        FilesystemFreezer freezer = freezer(hook);
        assertEquals(3, freezer.freeze(Optional.empty()));
        InOrder order = inOrder(posix);
        order.verify(posix).freezeFilesystem(12);
        order.verify(posix).freezeFilesystem(11);
        order.verify(posix).freezeFilesystem(10);
        assertTrue(state.isFrozen());
        assertTrue(Files.exists(state.marker()));
        assertEquals(List.of(List.of("/hook", "freeze")), hook.runs());

        assertEquals(3, freezer.thaw());
        assertFalse(state.isFrozen());
        assertFalse(Files.exists(state.marker()));
        assertEquals(List.of(List.of("/hook", "freeze"), List.of("/hook", "thaw")), hook.runs());
        assertEquals(Set.of(), kernelFrozen);
    }

    @Test
    void anAlreadyFrozenOrUnfreezableFilesystemIsNotCounted() throws Exception {
        kernelFrozen.add(11); // frozen through another mount
        doAnswer(i -> {
            throw new PosixException("FIFREEZE", Errno.EOPNOTSUPP);
        }).when(posix).freezeFilesystem(10);
        assertEquals(1, freezer(RecordingRunner.succeeding()).freeze(Optional.empty()));
    }

    @Test
    void freezeListFreezesOnlyTheNamedMountsAndNothingMatchingMeansThawedWithoutTheThawHook() throws Exception {
        RecordingRunner hook = RecordingRunner.succeeding();
        FilesystemFreezer freezer = freezer(hook);
        assertEquals(1, freezer.freeze(Optional.of(List.of("/srv", "/not-a-mount"))));
        assertEquals(Set.of(11), kernelFrozen);
        freezer.thaw();
        assertEquals(0, freezer.freeze(Optional.of(List.of("/nonexistent"))));
        assertFalse(state.isFrozen());
        assertFalse(Files.exists(state.marker()));
        assertEquals(List.of("/hook", "freeze"), hook.runs().get(hook.runs().size() - 1));
    }

    @Test
    void aFailedFreezeThawsWhatWasFrozenAndNamesTheMount() throws Exception {
        doAnswer(i -> {
            throw new PosixException("FIFREEZE", Errno.EIO);
        }).when(posix).freezeFilesystem(10);
        RecordingRunner hook = RecordingRunner.succeeding();
        CommandException e = assertThrows(CommandException.class,
                () -> freezer(hook).freeze(Optional.empty()));
        assertEquals("failed to freeze /: Input/output error", e.getMessage());
        assertEquals(Set.of(), kernelFrozen);
        assertFalse(state.isFrozen());
        assertEquals(List.of(List.of("/hook", "freeze"), List.of("/hook", "thaw")), hook.runs());
    }

    @Test
    void aFailingFreezeHookIsReportedAndNothingIsFrozen() throws Exception {
        RecordingRunner hook = new RecordingRunner(argv -> new ProgramOutcome.Exited(2, "database busy\n"));
        CommandException e = assertThrows(CommandException.class,
                () -> freezer(hook).freeze(Optional.empty()));
        assertEquals("child process has failed to execute fsfreeze hook: database busy\n", e.getMessage());
        verify(posix, never()).freezeFilesystem(anyInt());
        assertFalse(state.isFrozen());
        assertFalse(Files.exists(state.marker()));
    }

    @Test
    void aHookThatCannotBeStartedFailsLikeQemuGasChild() throws Exception {
        RecordingRunner hook = new RecordingRunner(argv -> new ProgramOutcome.NotStarted(Errno.ENOENT,
                "No such file or directory"));
        CommandException e = assertThrows(CommandException.class,
                () -> freezer(hook).freeze(Optional.empty()));
        assertEquals("child process has failed to execute fsfreeze hook: failed to exec '/hook': No such file or"
                + " directory\n", e.getMessage());
    }

    @Test
    void exitThawsOnlyWhenFrozen() throws Exception {
        RecordingRunner hook = RecordingRunner.succeeding();
        FilesystemFreezer freezer = freezer(hook);
        freezer.thawOnExit();
        assertEquals(List.of(), hook.runs(), "not frozen: nothing to clean up");
        freezer.freeze(Optional.of(List.of("/srv/data")));
        freezer.thawOnExit();
        assertEquals(Set.of(), kernelFrozen);
        assertFalse(state.isFrozen());
    }
}
