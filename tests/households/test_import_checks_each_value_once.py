"""The import cleans each distinct value of a column once (issue 10): the outcome of every row, its values and
its errors, must be exactly what the pages' forms give for that row on its own."""

import random

import pytest
from django.db import models
from django.utils import translation

from households import imports
from households.models import Consent, Dwelling, Household, HouseholdImport
from tests.households.test_import import GOOD_ROWS, csv_upload, run_import

pytestmark = pytest.mark.django_db

# Values per column, the first one right, the others right or wrong, so that rows mix them: a value first seen on
# a right row and then on a row that is wrong elsewhere (and the other way round) must give the same outcome.
CELLS = {
    "reference": ["", "CRM-1", "crm-2", "CRM 3", "X" * 21],
    "contact_name": ["Mevrouw J. Jansen", "Fam. El Amrani", "", "Fam.\x07 Bel", "A" * 201],
    "phone": ["", "06 12345678", "abc"],
    "email": ["", "j@example.nl", "geen-adres"],
    "household_type": ["single", "Alleenstaande, AOW-leeftijd", "couple", "vrijgezel", ""],
    "residents": ["1", "4", "0", "-2", "veel", ""],
    "net_monthly_income": ["1.385,50", "2410,00", "-5,00", "9000,00", "1.385", "12,345", "", "drie"],
    "confirm_income": ["", "ja", "nee", "misschien"],
    "energy_allowance": ["ja", "nee", "", "onbekend", "soms"],
    "referral_source": ["income_consultant", "Woningcorporatie", "", "buurman"],
    "street": ["Larenseweg", "", "S" * 201],
    "house_number": ["12", "0", "12a", "", "100000"],
    "house_letter": ["", "a", "ab"],
    "postcode": ["1221cn", "1221 JS", "0123 AB", "1221 SA", "", "12345"],
    "city": ["Hilversum", ""],
    "energy_label": ["E", "g", "Z", "", "A++++"],
    "energy_label_date": ["", "2019-05-01", "01-05-2007", "31-02-2020", "2030-01-01"],
    "dwelling_type": ["", "terraced", "kasteel"],
    "build_year": ["", "1965", "1200", "volgend jaar"],
    "floor_area_m2": ["", "84,5", "0", "-3", "84,55"],
    "tenure": ["Eigenaar-bewoner", "social_rent", "private_rent", "", "kraak"],
    "housing_corporation": ["", "Dudok Wonen"],
    "handyman": ["handyman", "", "niemand"],
    "consent_statement_version": ["2022-1", ""],
    "consent_given_on": ["15-03-2023", "", "15-03-2099", "gisteren"],
    "consent_processing": ["ja", "", "nee", "wellicht"],
    "consent_share_address_level": ["", "ja", "nee"],
}


def mixed_rows(count: int, seed: int) -> list[dict[str, str]]:
    """Rows mostly of each column's first value (a right one), now and then another."""
    rng = random.Random(seed)
    return [{column: values[0] if rng.random() < 0.95 else rng.choice(values) for column, values in CELLS.items()}
            for _ in range(count)]


def test_the_models_have_no_checks_of_their_own_beyond_their_fields():
    """The import runs the model fields' validators per value; a model `clean()` would need the whole row."""
    assert all(model.clean is models.Model.clean for model in (Household, Dwelling, Consent))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_row_gets_what_the_forms_give_it_on_its_own(handyman, seed):
    rows = mixed_rows(300, seed)
    remembering = imports.RowChecker()
    with translation.override("nl"):
        checked = [remembering.check(number, row) for number, row in enumerate(rows)]
        again = [remembering.check(number, row) for number, row in reversed(list(enumerate(rows)))][::-1]
        alone = []
        for number, row in enumerate(rows):
            fresh = imports.RowChecker()
            for form in (fresh.household_form, fresh.dwelling_form, fresh.consent_form):
                form.remember = False  # Django's own full_clean, on a new record, for this row only
            alone.append(fresh.check(number, row))

    def outcome(each):
        return (each.household, each.dwelling, each.consent, each.people,
                sorted((error["column"], error["message"]) for error in each.errors))

    assert [outcome(each) for each in checked] == [outcome(each) for each in alone]
    assert [outcome(each) for each in again] == [outcome(each) for each in alone]
    assert sum(1 for each in alone if not each.errors) > 0 and sum(1 for each in alone if each.errors) > 100


def test_a_refused_import_gives_its_reference_numbers_back(programme, coordinator, handyman):
    wrong = GOOD_ROWS[1].replace("Hilversum;F;", "Hilversum;Z;")
    refused = run_import(programme, coordinator, csv_upload(GOOD_ROWS[0], wrong))
    done = run_import(programme, coordinator, csv_upload(*GOOD_ROWS))

    assert (refused.status, done.status) == (HouseholdImport.Status.REJECTED, HouseholdImport.Status.DONE)
    assert sorted(Household.objects.values_list("reference", flat=True)) == ["HIL-00001", "HIL-00002"]


def test_numbers_taken_after_a_refused_import_reserved_its_own_leave_a_gap_not_a_clash(programme, coordinator,
                                                                                        handyman, monkeypatch):
    from households import services
    from tests.households.conftest import DWELLING, HOUSEHOLD

    reserve = imports.reserve_numbers

    def someone_registers_meanwhile(programme, rows):
        numbers = reserve(programme, rows)
        services.register_household(programme=programme, by=coordinator, household=HOUSEHOLD,
                                    dwelling={**DWELLING, "energy_label_date": None})
        return numbers

    monkeypatch.setattr(imports, "reserve_numbers", someone_registers_meanwhile)
    wrong = GOOD_ROWS[1].replace("Hilversum;F;", "Hilversum;Z;")
    refused = run_import(programme, coordinator, csv_upload(GOOD_ROWS[0], wrong))

    assert refused.status == HouseholdImport.Status.REJECTED
    assert list(Household.objects.values_list("reference", flat=True)) == ["HIL-00003"]
    assert refused.rows_checked == 2
