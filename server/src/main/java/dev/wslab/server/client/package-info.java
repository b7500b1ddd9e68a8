/**
 * A client whatever its transport: {@link dev.wslab.server.client.Client} (identity, its
 * {@link dev.wslab.server.client.Wire}, the bounded outbound queue, liveness and how it is closed),
 * the admission check every transport runs before making one, the node's registry of clients, the
 * publish rate limit and the keepalive pings.
 */
package dev.wslab.server.client;
