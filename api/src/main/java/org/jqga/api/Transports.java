package org.jqga.api;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.spi.Transport;

/** The installed transports. One of the two places {@link ServiceLoader} is called. */
public final class Transports {
    private static final System.Logger LOG = System.getLogger(Transports.class.getName());
    private final List<Transport> transports;

    public Transports(List<Transport> transports) {
        this.transports = List.copyOf(transports);
    }

    /** Loads every transport on the class path; a broken jar is logged by name and skipped. */
    public static Transports load() {
        List<Transport> found = new ArrayList<>();
        ServiceLoader.load(Transport.class).stream().forEach(p -> {
            try {
                found.add(p.get());
            } catch (ServiceConfigurationError e) {
                LOG.log(Level.WARNING, "transport " + p.type().getName() + " could not be loaded: " + e.getMessage());
            }
        });
        return new Transports(found);
    }

    public List<Transport> all() {
        return transports;
    }

    public Optional<Transport> forFamily(SocketFamily family) {
        return transports.stream().filter(t -> t.handles(family)).findFirst();
    }

    /** The transport for {@code family}, or an error that says which module adds it. */
    public Transport require(SocketFamily family, String what) throws ActivationException {
        return forFamily(family).orElseThrow(() -> new ActivationException(SysExits.EX_UNAVAILABLE,
                what + ", but no transport for " + family.cName() + " is installed"
                        + (family == SocketFamily.VSOCK ? " (add jqga-transport-vsock to the class path)" : "")));
    }
}
