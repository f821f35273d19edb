"""The fieldwork pages, one module per part, each with its `urlpatterns` (collected in fieldwork/urls.py)."""
