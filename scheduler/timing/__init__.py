"""Time: the schedule language, the working calendar, periods, planning of occurrences, events."""
