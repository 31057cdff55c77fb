"""What is known about practices as a whole: key facts, the catalog (facts, filters, compare,
similar practices)."""
