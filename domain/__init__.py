"""Domain services below both the conversation and the reminders: messages and payloads, people, invites, permissions, progress replies, delivery records, the one state derivation."""
