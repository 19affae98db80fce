"""Qt widgets, windows and dialogs. Reaches the core only through service functions."""
