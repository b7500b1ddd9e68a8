-- KEYS: the room's members hash. Returns the room's members on every node.
return sum(KEYS[1])
