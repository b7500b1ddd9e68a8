/**
 * A wslab node: {@link dev.wslab.server.Node} wires the packages together and owns the lifecycle,
 * {@link dev.wslab.server.Main} starts one from the environment. Nothing else depends on this package.
 */
package dev.wslab.server;
