package org.jqga.activation.manual;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jqga.api.Activation;
import org.jqga.api.ActivationContext;
import org.jqga.api.ActivationException;
import org.jqga.api.BindOptions;
import org.jqga.api.Endpoint;
import org.jqga.api.ServiceNotifier;
import org.jqga.api.SysExits;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.spi.ActivationProvider;
import org.jqga.api.spi.Transport;

/** {@code --method=unix-listen|vsock-listen|virtio-serial|isa-serial} with {@code --path}. */
public final class ManualActivationProvider implements ActivationProvider {
    static final String DEFAULT_METHOD = "virtio-serial";
    private static final int BACKLOG = 16;

    @Override
    public String name() {
        return "manual";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<Activation> activate(ActivationContext ctx) throws ActivationException {
        Channel channel = Channel.of(ctx.options().method().orElse(DEFAULT_METHOD), ctx.options().path());
        BindOptions bind = new BindOptions(ctx.options().socketMode(), BACKLOG);
        Endpoint endpoint;
        switch (channel.method()) {
            case "unix-listen":
                endpoint = bind(ctx.transports().require(SocketFamily.UNIX, "--method=unix-listen"), channel, bind);
                break;
            case "vsock-listen":
                endpoint = bind(ctx.transports().require(SocketFamily.VSOCK,
                        "--method=vsock-listen --path=" + channel.path()), channel, bind);
                break;
            default:
                throw new ActivationException(SysExits.EX_UNAVAILABLE, "--method=" + channel.method() + " (path "
                        + channel.path() + ") is not supported by this build yet; use --method=unix-listen or a"
                        + " supervisor that passes sockets");
        }
        return Optional.of(Activation.of(name(), List.of(endpoint), ServiceNotifier.NONE, true));
    }

    private static Endpoint bind(Transport transport, Channel channel, BindOptions options)
            throws ActivationException {
        try {
            return transport.bind(channel.path(), options);
        } catch (IOException e) {
            throw new ActivationException(SysExits.EX_CANTCREAT, "--method=" + channel.method() + " --path="
                    + channel.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String explain(ActivationContext ctx) {
        String method = ctx.options().method().orElse(DEFAULT_METHOD);
        if (method.equals("stdio")) {
            return "not used: --method=stdio is served by the inetd provider";
        }
        try {
            Channel channel = Channel.of(method, ctx.options().path());
            return "would open --method=" + channel.method() + " --path=" + channel.path()
                    + (ctx.options().method().isEmpty() ? " (qemu-ga's default method)" : "");
        } catch (ActivationException e) {
            return "cannot open a channel: " + e.getMessage();
        }
    }
}
