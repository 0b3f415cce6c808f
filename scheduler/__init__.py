"""nhacviec scheduling: time (timing/), reminders (reminders/) and delivery (delivery/)."""
