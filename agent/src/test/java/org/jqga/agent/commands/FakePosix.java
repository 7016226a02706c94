package org.jqga.agent.commands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.lang.reflect.Proxy;
import org.jqga.api.posix.ForwardingPosix;
import org.jqga.api.posix.InterfaceAddress;
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.StatVfs;
import org.jqga.api.posix.Utsname;

/** The three calls the information commands make, answered from values a test sets; nothing else is offered. */
public final class FakePosix extends ForwardingPosix {
    /** Every call not overridden here fails: the information commands must not reach the real system. */
    private static final Posix NOTHING_ELSE = (Posix) Proxy.newProxyInstance(Posix.class.getClassLoader(),
            new Class<?>[] {Posix.class}, (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName() + " is not used by the information commands");
            });


    public Utsname uname = new Utsname("Linux", "fixture-host", "6.1.0-fixture", "#1 SMP fixture", "x86_64");
    public final List<InterfaceAddress> interfaces = new ArrayList<>();
    /** By mount point: the agent asks about the mount point under the fixture root, e.g. .../vm1/boot. */
    public final Map<String, StatVfs> statvfs = new HashMap<>();

    public FakePosix() {
        super(NOTHING_ELSE);
    }

    @Override
    public Utsname uname() {
        return uname;
    }

    @Override
    public List<InterfaceAddress> interfaceAddresses() {
        return List.copyOf(interfaces);
    }

    @Override
    public StatVfs statvfs(String path) throws PosixException {
        for (Map.Entry<String, StatVfs> e : statvfs.entrySet()) {
            if (path.endsWith("/vm1" + (e.getKey().equals("/") ? "" : e.getKey()))) {
                return e.getValue();
            }
        }
        throw new PosixException("statvfs(\"" + path + "\"): No such file or directory", 2);
    }
}
