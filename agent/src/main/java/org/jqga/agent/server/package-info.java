/** Serving endpoints: one accept loop per endpoint, one {@code Session} per connection. */
package org.jqga.agent.server;
