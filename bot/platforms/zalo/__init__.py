"""Zalo (Zalo Bot Platform): the Bot API client, the plain-text renderer, the sender and the transport.

    api.py        ZaloApi: POST {base_url}{token}/{method}, answers unwrapped into typed errors
    render.py     neutral markup and buttons → plain-text messages of at most 2000 characters
    limits.py     Zalo's limits (settings) and its chat-kind rule
    sender.py     ZaloSender: an outbox row or a direct answer → sendMessage calls → SendResult
    dedup.py      each update handled once, remembered in the database (table platform_update)
    transport.py  ZaloTransport: long polling or webhook → Incoming → the conversation → ZaloSender

Nothing here is imported unless Zalo is configured.
"""
