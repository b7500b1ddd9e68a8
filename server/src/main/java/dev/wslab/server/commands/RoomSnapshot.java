package dev.wslab.server.commands;

/** A room as the whole cluster sees it: last message seq, shared counter, members on live nodes. */
public record RoomSnapshot(String room, long seq, long counter, long members) {}
