"""Under `mkdocs serve`: what makes an edit show sooner."""
