package org.jqga.api;

/** What carries the bytes of an endpoint. */
public enum EndpointKind {
    UNIX, VSOCK, INET, CHARDEV, STDIO
}
