"""Scheduled talking points: the solar/lunar event calendar, APScheduler jobs, broadcast delivery.

Filled in by the scheduling issue; the package exists now so the layout of DESIGN.md holds from the start.
"""
