"""The conversation: platform-neutral logic, and one transport file per chat platform."""
