"""The programme's two kinds of application (DESIGN.md, "subsidy/"): the large-measure application
(`applications`) and the products package of a dwelling (`packages`)."""

from subsidy.models.applications import (
                                         DEADLINE_ORDER,
                                         Application,
                                         ApplicationQuerySet,
                                         DecisionLetter,
                                         Document,
                                         IncomeProof,
                                         PaymentBatch,
                                         Route,
                                         new_status_token,
                                         queue_group,
)
from subsidy.models.packages import (
                                         MAX_QUANTITY,
                                         Package,
                                         PackageItem,
                                         PackageQuerySet,
                                         Product,
                                         ProductPrice,
                                         ProductTier,
)

__all__ = ["DEADLINE_ORDER", "MAX_QUANTITY", "Application", "ApplicationQuerySet", "DecisionLetter", "Document",
           "IncomeProof", "Package", "PackageItem", "PackageQuerySet", "PaymentBatch", "Product", "ProductPrice",
           "ProductTier", "Route", "new_status_token", "queue_group"]
