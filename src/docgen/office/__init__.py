"""The office's year: reports, spreadsheet import, new records in one command."""
