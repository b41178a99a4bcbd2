"""Use cases. Each public method is one unit of work: it opens it, commits it, returns."""
