"""The handyman's products package pages: proposing products with − / + against what is left of the limit per
dwelling, a package's page, cancelling, and the household page's packages section."""

urlpatterns = []
