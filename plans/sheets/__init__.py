"""The notice's two tables as Excel workbooks; the public API is plans.spreadsheets.

layout.py     the tables' columns and names, and how retyped names are recognised
export.py     a document -> .xlsx bytes in the notice's layout
safety.py     what an uploaded file must pass before anything parses it
reading.py    .xlsx bytes -> Reading (rows and their errors)
importing.py  Reading -> items of a document, through plans.editing
"""
