/**
 * Room membership on this node and the way of every room event from the bus to local clients:
 * {@link dev.wslab.server.hub.SeqGapFill} keeps each room's stream gap-free, the
 * {@link dev.wslab.server.hub.Hub} holds back events for joins under way, drops seqs a resume already
 * sent, and writes one frame to many sockets with one task per I/O thread.
 */
package dev.wslab.server.hub;
