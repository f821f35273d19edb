"""What the subsidy app holds on a household, for the resident's request for access (`households.inzage`, issue 14).

The household's large-measure applications (every field the applicant gave and staff recorded: income, IBAN, amounts,
the decision and payout), their documents (kind, name, who uploaded them and when; not the files: those are
downloaded from the application's page), their decision letters, and its products packages with their lines. Each
record is a subject of the export's audit trail. Registered in `SubsidyConfig.ready()`.
"""

from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from households.inzage import record_rows, text
from subsidy.models import Application, Document, Package, PackageItem

# Internal to the programme's books or secret: not the resident's data (the commitment is a ledger booking; the
# status link's token opens the application and is never written down).
NOT_EXPORTED = ("household", "version", "commitment", "status_token")


def records(household) -> list[dict]:
    applications = list(
        Application.objects.filter(household=household)
        .select_related("programme", "helped_by", "diy_checked_by", "decided_by", "payout_set_by", "paid_by")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")), "letters")
        .order_by("created_at", "pk"))
    packages = list(
        Package.objects.filter(household=household).select_related("programme", "proposed_by", "decided_by",
                                                                    "installed_by")
        .prefetch_related(Prefetch("items", queryset=PackageItem.objects.select_related("product")))
        .order_by("created_at", "pk"))
    documents = [(application, document) for application in applications for document in application.documents.all()]
    letters = [(application, letter) for application in applications for letter in application.letters.all()]
    application_label = _("Application")
    return [
        {"title": _("Large-measure applications"),
         "rows": [record_rows(application, exclude=NOT_EXPORTED) for application in applications],
         "subjects": [(application, f"{application_label} {application}") for application in applications]},
        {"title": _("Documents"),
         "note": _("The documents themselves are not in this export: they can be downloaded from the application's "
                   "page."),
         "rows": [{application_label: str(application), **record_rows(document, exclude=("application", "file"))}
                  for application, document in documents],
         "subjects": [(document, f"{_('Document')} {document.original_name}") for _application, document in documents]},
        {"title": _("Decision letters"),
         "rows": [{application_label: str(application), **record_rows(letter, exclude=("application", "file"))}
                  for application, letter in letters],
         "subjects": [(letter, f"{_('Decision letter')} {application}") for application, letter in letters]},
        {"title": _("Products packages"),
         "rows": [{**record_rows(package, exclude=NOT_EXPORTED), capfirst(_("products")): _items(package)}
                  for package in packages],
         "subjects": [(package, str(package)) for package in packages]},
    ]


def _items(package: Package) -> str:
    lines = []
    for item in package.items.all():
        line = _("%(quantity)s × %(product)s at %(price)s") % {
            "quantity": item.quantity, "product": item.product.name, "price": text(item.unit_price)}
        if item.installed_quantity is not None:
            line += "; " + _("installed: %(quantity)s") % {"quantity": item.installed_quantity}
        lines.append(line)
    return "\n".join(lines)


def register() -> None:
    """The providers of `households.extensions` for the request for access, and the names of this app's events."""
    from households import extensions
    from subsidy.views.packages import EVENT_LABELS as PACKAGE_EVENTS
    from subsidy.views.review import EVENT_LABELS as APPLICATION_EVENTS

    extensions.register_personal_data("subsidy", records)
    extensions.register_event_labels({**APPLICATION_EVENTS, **PACKAGE_EVENTS})
