"""Pages of the documents, split by what they are about: a team's documents, the
editor, the four-responses register, and files (spreadsheets, PDFs)."""
