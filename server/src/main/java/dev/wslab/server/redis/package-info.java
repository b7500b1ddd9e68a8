/**
 * What the Redis-backed parts share: the connections (one for commands, one for pub/sub) and every
 * key and channel name, under one prefix.
 */
package dev.wslab.server.redis;
