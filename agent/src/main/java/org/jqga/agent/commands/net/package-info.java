/** Networking: guest-network-get-interfaces and guest-network-get-route. */
package org.jqga.agent.commands.net;
