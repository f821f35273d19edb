"""Exports of the lists (households, applications, visits, packages, the ledger) as xlsx and csv."""

urlpatterns = []
