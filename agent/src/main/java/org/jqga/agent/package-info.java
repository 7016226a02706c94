/**
 * The QEMU guest agent: {@link org.jqga.agent.Main} parses the command line, lets the activation framework
 * choose the endpoints, wires {@link org.jqga.agent.AgentModule} and {@link org.jqga.agent.ActivationModule}
 * with Guice and serves until told to stop. This module never compiles against an activation provider or an
 * optional transport: they are found at run time.
 *
 * <p>Where this departs from DESIGN.md, for start-up (socket activation puts the agent's start on the path of
 * the host's first request):
 * <ul>
 *   <li>The agent's one injector is built on a second thread while the main thread proves the activation's fds;
 *       the activation reaches the injector through a future that the main thread completes once it is chosen, and
 *       the server is asked for only after that. A bad fd is refused without waiting for the injector.</li>
 *   <li>Commands are not a {@code Multibinder<Command>}: each family
 *       ({@link org.jqga.agent.dispatch.CommandFamily}) declares its commands by static spec, and its bindings are
 *       made in a child injector of its own when one of its commands is first called (the info family, whose
 *       commands begin every host session, is bound in the agent's injector instead). {@code guest-info} and
 *       {@code --block-rpcs=help} read the specs only. The one list of families is
 *       {@link org.jqga.agent.commands.CommandFamilies}.</li>
 *   <li>The injector runs in {@code Stage.DEVELOPMENT} (singletons made on first use); a unit test builds the
 *       whole graph in {@code PRODUCTION} so that a wiring error still fails the build.</li>
 * </ul>
 */
package org.jqga.agent;
