/**
 * Native fd inspection: the questions the JDK cannot answer about an inherited descriptor (its file type,
 * {@code SO_TYPE}, {@code SO_ACCEPTCONN}, {@code SO_DOMAIN}, local address, {@code FD_CLOEXEC}), asked through
 * jnr-ffi so that no JNI library of our own has to be built or shipped.
 */
package org.jqga.api.posix;
