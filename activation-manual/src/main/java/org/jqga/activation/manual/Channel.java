package org.jqga.activation.manual;

import java.util.Optional;
import org.jqga.api.ActivationException;
import org.jqga.api.SysExits;

/** A qemu-ga channel: method plus path, with qemu-ga's default paths and its "must specify a path" rule. */
record Channel(String method, String path) {
    static final String VIRTIO_SERIAL_PATH = "/dev/virtio-ports/org.qemu.guest_agent.0";
    static final String ISA_SERIAL_PATH = "/dev/ttyS0";

    static Channel of(String method, Optional<String> path) throws ActivationException {
        switch (method) {
            case "virtio-serial":
                return new Channel(method, path.orElse(VIRTIO_SERIAL_PATH));
            case "isa-serial":
                return new Channel(method, path.orElse(ISA_SERIAL_PATH));
            case "unix-listen":
            case "vsock-listen":
                return new Channel(method, path.orElseThrow(() -> new ActivationException(SysExits.EX_USAGE,
                        "must specify a path for this channel (--method=" + method + " needs --path)")));
            case "stdio":
                // Asked after the inetd provider, which serves stdio: reaching this means it is not installed.
                throw new ActivationException(SysExits.EX_UNAVAILABLE, "--method=stdio is served by the inetd"
                        + " activation provider, which is not installed (add jqga-activation-inetd to the class path)");
            default:
                throw new ActivationException(SysExits.EX_USAGE, "unsupported channel method/type: " + method
                        + " (expected unix-listen, vsock-listen, virtio-serial or isa-serial)");
        }
    }
}
