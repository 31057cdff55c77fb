"""Key facts of a practice: the fact model, the number lexer, the extraction rules, the filters."""
