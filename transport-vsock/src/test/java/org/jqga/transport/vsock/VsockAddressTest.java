package org.jqga.transport.vsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class VsockAddressTest {
    @Test
    void anyCidIsSpelledEitherWay() throws IOException {
        assertEquals(new VsockAddress(4294967295L, 4000), VsockAddress.parse("-1:4000"));
        assertEquals(new VsockAddress(4294967295L, 4000), VsockAddress.parse("4294967295:4000"));
        assertEquals("vsock:4294967295:4000", VsockAddress.parse("-1:4000").toString());
        assertEquals("any CID", VsockAddress.parse("-1:4000").describeCid());
    }

    @Test
    void specificCidAndFullPortRange() throws IOException {
        assertEquals(new VsockAddress(3, 0), VsockAddress.parse("3:0"));
        assertEquals(new VsockAddress(2, 4294967295L), VsockAddress.parse("2:4294967295"));
        assertEquals("CID 3", VsockAddress.parse("3:1").describeCid());
    }

    @Test
    void qemuErrorTexts() {
        assertEquals("error parsing address 'abc' (expected CID:PORT, e.g. -1:4000)",
                assertThrows(IOException.class, () -> VsockAddress.parse("abc")).getMessage());
        assertEquals("error parsing address '3' (expected CID:PORT, e.g. -1:4000)",
                assertThrows(IOException.class, () -> VsockAddress.parse("3")).getMessage());
        assertEquals("error parsing address '+3:1' (expected CID:PORT, e.g. -1:4000)",
                assertThrows(IOException.class, () -> VsockAddress.parse("+3:1")).getMessage());
        assertEquals("trailing characters in address '3:1x'",
                assertThrows(IOException.class, () -> VsockAddress.parse("3:1x")).getMessage());
        assertEquals("trailing characters in address '3:0x10'",
                assertThrows(IOException.class, () -> VsockAddress.parse("3:0x10")).getMessage());
        assertEquals("Failed to parse cid '4294967296' (expected 0 to 4294967295)",
                assertThrows(IOException.class, () -> VsockAddress.parse("4294967296:1")).getMessage());
        assertEquals("Failed to parse port '99999999999' (expected 0 to 4294967295)",
                assertThrows(IOException.class, () -> VsockAddress.parse("3:99999999999")).getMessage());
        assertEquals("error parsing address '-2:1' (expected CID:PORT, e.g. -1:4000)",
                assertThrows(IOException.class, () -> VsockAddress.parse("-2:1")).getMessage());
    }
}
