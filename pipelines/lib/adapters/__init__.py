"""Statutory returns as inputs: Annex A, CIN census XML, SSDA903 and the workforce census."""
