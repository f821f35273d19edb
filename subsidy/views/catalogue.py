"""The coordinator's package pages: the catalogue (products, dated prices), packages waiting for a decision
(override or decline), and the figures (average package value per dwelling against the limit)."""

urlpatterns = []
