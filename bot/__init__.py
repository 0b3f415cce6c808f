"""The conversation (platform-neutral) and one folder per chat platform under platforms/."""
