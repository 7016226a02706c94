package org.jqga.agent.dispatch;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code long} argument as QAPI {@code uint64}: values up to 2^64-1 are accepted (stored as the same
 * 64 bits) and negative int64 values wrap, as in qemu-ga.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Uint64 {
}
