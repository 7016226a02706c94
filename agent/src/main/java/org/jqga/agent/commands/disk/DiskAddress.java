package org.jqga.agent.commands.disk;

import com.google.gson.annotations.SerializedName;

/** {@code GuestDiskAddress}, members in schema order. */
record DiskAddress(@SerializedName("pci-controller") PciAddress pciController,
                   @SerializedName("bus-type") String busType, long bus, long target, long unit, String serial,
                   String dev, @SerializedName("ccw-address") CcwAddress ccwAddress) {

    /** {@code GuestPCIAddress}; -1 marks an unknown field. */
    record PciAddress(long domain, long bus, long slot, long function) {
    }

    /** {@code GuestCCWAddress} (s390x channel I/O). */
    record CcwAddress(long cssid, long ssid, long subchno, long devno) {
    }
}
