/**
 * Every metric name and how it is recorded, in one class.
 *
 * <p>Thread-safety: meters are cached in concurrent maps; recording is lock-free.
 */
package dev.wslab.server.metrics;
