"""Sessions with the family service: schedule, slots, bookings, reminders, staff pages."""
