"""Reminders: the policy, what is due when, queueing into the outbox, report drafts, the loop."""
