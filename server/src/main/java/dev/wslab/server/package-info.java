/**
 * A wslab node: {@link dev.wslab.server.Config} (all settings), {@link dev.wslab.server.Node}
 * (wiring and lifecycle) and {@link dev.wslab.server.Main}.
 */
package dev.wslab.server;
