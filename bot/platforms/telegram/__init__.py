"""Telegram: the transport (python-telegram-bot Application) and the sender the outbox dispatches through."""
