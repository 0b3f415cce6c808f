"""Gettext catalogs (Vietnamese first, English second). Message ids in code are English."""


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is defined; it is translated later, at the edge."""
    return message
