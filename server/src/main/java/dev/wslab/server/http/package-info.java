/**
 * HTTP: the public API (publish, room and cluster reads, health, metrics) and the admin listener
 * (drain), which binds to loopback only.
 *
 * <p>Thread-safety: handlers run on I/O threads and never block; Redis-backed answers are sent from
 * the stage's completion.
 */
package dev.wslab.server.http;
