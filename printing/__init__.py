"""Documents as PDF (reportlab) and ESC/POS bytes, built from plain snapshots. No Qt, no Session."""
