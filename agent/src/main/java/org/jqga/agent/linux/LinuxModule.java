package org.jqga.agent.linux;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/** The real host behind the seams: libc, the root filesystem, this process's mount table, child processes. */
public final class LinuxModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(HostPaths.class).toInstance(HostPaths.REAL);
        bind(Errno.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    ProgramRunner programRunner(Libc libc) {
        return new NativeProgramRunner(libc, System.getenv());
    }

    @Provides
    @Singleton
    Mounts mounts(SystemRoot root) {
        MountTable table = new MountTable(root);
        return () -> table.mounts().stream()
                .map(m -> new Mount(m.dirname(), m.devtype(), (int) m.major(), (int) m.minor())).toList();
    }
}
