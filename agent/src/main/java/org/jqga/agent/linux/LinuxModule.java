package org.jqga.agent.linux;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.jqga.api.posix.Posix;

/** The real host behind the seams: libc, the root filesystem, this process's mount table, child processes. */
public final class LinuxModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(HostPaths.class).toInstance(HostPaths.REAL);
        bind(Errno.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    Posix posix() {
        return Posix.load();
    }

    @Provides
    @Singleton
    ProgramRunner programRunner() {
        return new ProcessProgramRunner();
    }

    @Provides
    @Singleton
    MountTable mountTable() {
        return new ProcMountTable();
    }
}
