"""File formats read and written by the domain: the JSON interchange format and the Excel importer."""
