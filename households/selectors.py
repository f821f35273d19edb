"""Read-side queries for households: what a user may see, searched, filtered and sorted."""

import contextlib
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Q, QuerySet, Window

from accounts.roles import Role
from households.models import Dwelling, Household
from households.rules import households_worked_on_by, sees_every_household_role
from households.validators import normalise_postcode

# Sort keys of the list page (`?sort=name`, `?sort=-name`) and the fields they order by.
SORTS = {
    "reference": "reference",
    "name": "contact_name",
    "postcode": "dwelling__postcode",
    "street": "dwelling__street",
    "label": "dwelling__energy_label",
    "status": "status",
    "handyman": "handyman__first_name",
    "registered": "created_at",
}


def households_visible_to(user) -> QuerySet[Household]:
    """The households `user` may see (the list-level twin of `households.view_household`)."""
    queryset = Household.objects.with_register_details()
    if sees_every_household_role(user):
        return queryset
    return queryset.filter(households_worked_on_by(user))


def of_households_visible_to(user, rows: QuerySet) -> QuerySet:
    """Of `rows` (each belonging to one household through its `household`) those of the households `user` may see:
    all of them for a role that sees every household, else those of the households they work on."""
    if sees_every_household_role(user):
        return rows
    return rows.filter(household__in=Household.objects.filter(households_worked_on_by(user)).values("pk"))


# An address as people type it: a street or a postcode, then the house number, an optional letter and addition
# ("Neuweg 203", "Neuweg 203a", "Neuweg 203 A-2", "1211 AB 12", "1211AB 12").
ADDRESS = re.compile(r"^(?P<place>.*?[^\d\s].*?)\s*(?<!\d)(?P<number>\d{1,5})(?:\s*(?P<letter>[a-z]))?"
                     r"(?:\s*[-/ ]\s*(?P<addition>[a-z0-9]{1,4}))?$", re.IGNORECASE)

POSTCODE_AREA = re.compile(r"[1-9][0-9]{3}")


def matches_search(q: str) -> Q:
    """The households a search finds: by name, reference, street or postcode, or by address with house number.

    The household's own columns and its dwelling's are searched apart and the two sets of households put
    together (UNION): each side can use its own indexes (trigram indexes on PostgreSQL, migration 0009),
    which an OR across the household–dwelling join cannot. One condition (no query per row), the same
    households on SQLite and PostgreSQL.
    """
    own = Household.objects.order_by().filter(Q(contact_name__icontains=q) | Q(reference__icontains=q))
    dwellings = Dwelling.objects.order_by().filter(dwelling_matches_search(q))
    return Q(pk__in=own.values("pk").union(dwellings.values("household_id")))


def dwelling_matches_search(q: str) -> Q:
    """The dwellings a search finds: by street or postcode, or by address with house number."""
    # Four digits can only be the start of a postcode as it is written ("1221 CN"): the dwellings whose postcode
    # contains them are those whose postcode starts with them, which the postcode index finds (a postcode area).
    postcode = Q(postcode__startswith=q) if POSTCODE_AREA.fullmatch(q) else Q(postcode__icontains=q)
    match = Q(street__icontains=q) | postcode
    with contextlib.suppress(ValidationError):
        match |= Q(postcode=normalise_postcode(q))  # '1217gh' finds '1217 GH'
    address = ADDRESS.match(q)
    if address:
        place = address["place"].strip()
        number = Q(house_number=int(address["number"]))
        if address["letter"]:
            number &= Q(house_letter__iexact=address["letter"])
        if address["addition"]:
            number &= Q(house_number_addition__iexact=address["addition"])
        try:
            match |= Q(postcode=normalise_postcode(place)) & number
        except ValidationError:
            match |= Q(street__icontains=place) & number
    return match


# Filter values beyond the fields' own: status "open" (registered or active), handyman "none" (not assigned).
OPEN = "open"
UNASSIGNED = "none"


def search_households(queryset: QuerySet[Household], *, q: str = "", status: str = "", tenure: str = "",
                      label: str = "", handyman=None, sort: str = "") -> QuerySet[Household]:
    """The list page's search (see `matches_search`), filters and sort order."""
    q = " ".join((q or "").split())
    if q:
        queryset = queryset.filter(matches_search(q))
    if status == OPEN:
        queryset = queryset.exclude(status=Household.Status.CLOSED)
    elif status:
        queryset = queryset.filter(status=status)
    if tenure:
        queryset = queryset.filter(dwelling__tenure=tenure)
    if label:
        queryset = queryset.filter(dwelling__energy_label=label)
    if handyman == UNASSIGNED:
        queryset = queryset.filter(handyman=None)
    elif handyman is not None:
        queryset = queryset.filter(handyman=handyman)
    if sort and sort.lstrip("-") in SORTS:
        field = SORTS[sort.lstrip("-")]
        queryset = queryset.order_by(f"-{field}" if sort.startswith("-") else field, "-pk")
    return queryset


class HouseholdPaginator(Paginator):
    """Pages of a household list: the page's households are chosen first, then only they are read with their joins.

    The list's rows carry their dwelling and people (`with_register_details`). Asked in one go, PostgreSQL
    joins every household a search matches (thousands) before it sorts them and keeps a page; here the
    page's ids are sorted out of the households alone and the joins are made for those 25 rows.

    `count_with_page` (for a search): the query that chooses the page's households also counts the whole list
    (a window count), so the search is not run a second time just to count it. Without a search the count
    is one cheap pass over an index and the page stops after its rows, so the two stay apart. Either way two
    queries for a page.
    """

    def __init__(self, *args, count_with_page: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_with_page = count_with_page

    def page(self, number) -> Page:
        if not (self.count_with_page and isinstance(self.object_list, QuerySet)) or self.orphans:
            return super().page(number)
        number = self._number(number)
        bottom = (number - 1) * self.per_page
        chosen = list(self.object_list.annotate(listed=Window(Count("pk")))
                      .values_list("pk", "listed")[bottom:bottom + self.per_page])
        if not chosen:  # beyond the last page, or an empty list: Django's answer, from a count
            return super().page(number)
        self.__dict__["count"] = chosen[0][1]  # Paginator.count is a cached property
        return Page(list(self._with_details([pk for pk, _listed in chosen])), number, self)

    def _get_page(self, object_list, number, paginator) -> Page:
        if isinstance(object_list, QuerySet):  # the page's slice of the list
            object_list = self._with_details(object_list.values("pk"))
        return super()._get_page(object_list, number, paginator)

    def _with_details(self, chosen) -> QuerySet[Household]:
        """The `chosen` households (ids, or a query of them), with their joins, in the list's order."""
        ordering = self.object_list.query.order_by or self.object_list.model._meta.ordering
        return Household.objects.with_register_details().filter(pk__in=chosen).order_by(*ordering)

    def get_page(self, number) -> Page:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return super().get_page(number)  # the last page

    def _number(self, number) -> int:
        """The page number, as `validate_number` reads it, without asking for the count first."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number


def household_counts(user) -> dict[str, int]:
    """Per status, the households `user` may see, their total, and the open ones without a handyman (start pages).

    One pass over the households (conditional counts), not one per figure.
    """
    open_without_handyman = Q(handyman=None) & ~Q(status=Household.Status.CLOSED)
    counts = households_visible_to(user).order_by().aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Household.Status.values},
        total=Count("pk"), without_handyman=Count("pk", filter=open_without_handyman))
    return counts


def handymen_with_workload():
    """Active energy handymen, each with `workload`: the active households assigned to them (one query)."""
    return (get_user_model().objects.filter(groups__name=Role.HANDYMAN.value, is_active=True)
            .annotate(workload=Count("households_as_handyman",
                                     filter=Q(households_as_handyman__status=Household.Status.ACTIVE)))
            .order_by("first_name", "last_name", "username"))


def household_at_address(programme, *, postcode: str, house_number: int, house_letter: str = "",
                         house_number_addition: str = "") -> Household | None:
    """The programme's household at this address (postcode + number + letter + addition, letters in any case),
    the newest when there are several (a closed household and a new one at the same address)."""
    return (Household.objects.filter(
        programme=programme, dwelling__postcode=normalise_postcode(postcode), dwelling__house_number=house_number,
        dwelling__house_letter__iexact=house_letter or "", dwelling__house_number_addition__iexact=
        house_number_addition or "").select_related("dwelling").order_by("-created_at", "-pk").first())
