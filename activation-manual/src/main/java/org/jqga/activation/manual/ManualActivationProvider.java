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
import org.jqga.api.posix.Posix;
import org.jqga.api.posix.PosixException;
import org.jqga.api.posix.SocketFamily;
import org.jqga.api.spi.ActivationProvider;
import org.jqga.api.spi.Transport;

/** {@code --method=unix-listen|vsock-listen|virtio-serial|isa-serial} with {@code --path}. */
public final class ManualActivationProvider implements ActivationProvider {
    static final String DEFAULT_METHOD = "virtio-serial";
    private static final System.Logger LOG = System.getLogger(ManualActivationProvider.class.getName());
    private static final int BACKLOG = 16;

    @Override
    public String name() {
        return "manual";
    }

    @Override
    public int priority() {
        return 0;
    }

    /** It binds or opens what {@code --method}/{@code --path} name; nothing is inherited. */
    @Override
    public boolean createsEndpoints() {
        return true;
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
            case "virtio-serial":
                endpoint = device(ctx, channel, false);
                break;
            case "isa-serial":
                endpoint = device(ctx, channel, true);
                break;
            default:
                throw new IllegalStateException("Channel.of accepted " + channel.method());
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

    /**
     * Opens the device now, as qemu-ga does, so a wrong path fails at start-up with its reason; with
     * {@code --retry-path} a device that cannot be opened yet is waited for instead.
     */
    private static Endpoint device(ActivationContext ctx, Channel channel, boolean rawTty)
            throws ActivationException {
        Posix posix = ctx.posix();
        int fd;
        try {
            fd = CharDeviceEndpoint.openChecked(posix, channel.path(), rawTty);
        } catch (PosixException e) {
            if (!ctx.options().retryPath()) {
                throw new ActivationException(e.errno() == PosixException.ENOENT ? SysExits.EX_NOINPUT
                        : SysExits.EX_UNAVAILABLE, "--method=" + channel.method() + " --path=" + channel.path() + ": "
                        + e.getMessage() + (e.errno() == PosixException.ENOENT
                        ? " (start with --retry-path to wait for the device to appear)" : ""), e);
            }
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; --retry-path: waiting for channel path "
                    + channel.path());
            fd = -1;
        }
        try {
            return new CharDeviceEndpoint(posix, channel.method(), channel.path(), rawTty, fd);
        } catch (PosixException e) {
            throw new ActivationException(SysExits.EX_OSERR, "--method=" + channel.method() + " --path="
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
            String detail;
            switch (channel.method()) {
                case "unix-listen":
                    detail = ": " + ctx.transports().require(SocketFamily.UNIX, "--method=unix-listen")
                            .describeBind(channel.path()) + " (mode "
                            + String.format("%04o", ctx.options().socketMode()) + ")";
                    break;
                case "vsock-listen":
                    detail = ": " + ctx.transports().require(SocketFamily.VSOCK, "--method=vsock-listen"
                            + " --path=" + channel.path()).describeBind(channel.path());
                    break;
                default:
                    detail = ctx.options().retryPath() ? ", waiting for the device to appear (--retry-path)" : "";
                    break;
            }
            return "would open --method=" + channel.method() + " --path=" + channel.path()
                    + (ctx.options().method().isEmpty() ? " (qemu-ga's default method)" : "") + detail;
        } catch (ActivationException | IOException e) {
            return "cannot open a channel: " + e.getMessage();
        }
    }
}
