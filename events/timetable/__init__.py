"""A school's timetable: bell schedule, class sections and their import, blackout dates."""
