"""The counting endpoints: count a view or a visit, and read the most viewed."""
