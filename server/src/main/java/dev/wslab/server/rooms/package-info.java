/**
 * Rooms on this node: who is in which room, the bus subscriptions that follow from it, what each
 * command does, and the fan-out of bus events to local sockets.
 *
 * <p>Thread-safety: membership changes of one room are serialized by the registry's map; fan-out
 * reads a concurrent set and may run while members join or leave.
 */
package dev.wslab.server.rooms;
