"""Chat platforms: one folder each, holding its transport (receive) and sender (send, for replies and the outbox)."""
