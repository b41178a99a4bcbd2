"""Paperwork: documents rules create from templates (numbering, totals, PDF files)."""
