"""Plan import: reads a plan document (text, .docx, .xlsx, .csv) into a `PlanDocument`, then stores it."""
