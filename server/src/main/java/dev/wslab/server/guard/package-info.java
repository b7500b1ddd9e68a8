/**
 * The node's own defence on its listener, for clients that reach it without HAProxy in front: the
 * request-head timeout and limits ({@link dev.wslab.server.guard.HeadGuard}, 408/431) and the cap on
 * connections ({@link dev.wslab.server.guard.ConnectionCap}, 503 with Retry-After). Depends on
 * Undertow and XNIO only, so every edge (ws, transport, http) may use it.
 */
package dev.wslab.server.guard;
