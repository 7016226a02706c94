/**
 * The QEMU guest agent: {@link org.jqga.agent.Main} parses the command line, lets the activation framework
 * choose the endpoints, wires {@link org.jqga.agent.AgentModule} and {@link org.jqga.agent.ActivationModule}
 * with Guice and serves until told to stop. This module never compiles against an activation provider or an
 * optional transport: they are found at run time.
 */
package org.jqga.agent;
