"""Delivery: the outbox, the dispatcher, rate limits and the platform-neutral sender results."""
