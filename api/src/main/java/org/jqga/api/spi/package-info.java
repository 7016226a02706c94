/**
 * What plug-ins implement. Both interfaces are found with {@link java.util.ServiceLoader}: a provider jar lists
 * its class in {@code META-INF/services/org.jqga.api.spi.ActivationProvider} (or {@code ...spi.Transport}).
 */
package org.jqga.api.spi;
