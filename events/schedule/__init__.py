"""The officer's one schedule across schools: agenda, week, day sheet, feed."""
