"""The reallocation page names the lines in Dutch, with what each has available, and fits a phone."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_line_choices_show_the_dutch_name_and_what_is_available_not_codes(client, coordinator, programme):
    client.force_login(coordinator)

    page = client.get(reverse("budget:reallocate", args=[programme.slug])).content.decode().replace("\xa0", " ")

    select = re.search(r'<select name="from_line".*?</select>', page, re.S)[0]
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert options[0] == "— kies een post —"
    assert "Inhuur capaciteit beoordelaars (indien nodig) (€ 50.000,00 beschikbaar)" in options
    assert not any(programme.slug in option for option in options)
    assert "Select an option" not in page
