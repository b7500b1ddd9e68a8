/**
 * What a client's commands do, for every transport and for the HTTP API: the dispatch (decode,
 * rate-limit, run — {@link dev.wslab.server.commands.Dispatcher}), join/leave/publish/incr
 * ({@link dev.wslab.server.commands.RoomCommands}) and coalesced presence. Nothing here blocks: each
 * step is a stage on the bus or the state store, and replies go out when it completes.
 */
package dev.wslab.server.commands;
