package org.jqga.agent.dispatch;

/** The QAPI error classes qemu-ga emits: it only ever uses these two. */
public enum ErrorClass {
    GenericError, CommandNotFound
}
