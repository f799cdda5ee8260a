"""The workbook and its edits: the domain objects, the document that applies edits, the outline, generation, search."""
