"""Time for nhacviec: the schedule language, the working calendar and the planning of occurrences."""
