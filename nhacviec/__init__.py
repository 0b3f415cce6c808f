"""nhacviec: wiring, settings and the command line of the reminder chatbot."""

__version__ = "0.1.0"
