"""The province export's protection (reports.province): no published cell of 1 to 4 dwellings, and no suppressed
cell given away by the totals, not even with the file per address beside it (a count minus the consenting
dwellings listed there is the count of the non-consenting ones). Pure functions: no database."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.province import (
    COUNT_COLUMNS,
    GROUPS,
    MEASURES,
    POSTCODE4_REMAINDER,
    protected_areas,
    protected_counts,
    suppressed_in_group,
)

LABELS = ["label_a_or_better", "label_b", "label_c", "label_d", "label_e", "label_f", "label_g", "label_unknown"]
TYPES = ["type_terraced", "type_corner", "type_semi_detached", "type_detached", "type_apartment", "type_other",
         "type_unknown"]
BANDS = ["built_before_1946", "built_1946_1964", "built_1965_1974", "built_1975_1991", "built_1992_2005",
         "built_2006_or_later", "built_unknown"]


def dwelling(label="label_d", kind="type_terraced", band="built_1946_1964", package=False, large=None):
    """One dwelling as the cells it falls in; `large` is (measure, "paid" or "approved")."""
    cells = {label, kind, band, "package_installed" if package else "package_not_installed"}
    for measure in MEASURES:
        state = large[1] if large and large[0] == measure else "none"
        cells.add(f"large_{measure}_{state}")
    return cells


def counts_of(dwellings) -> dict[str, int]:
    """An area's counts as reports.province.counts_per_postcode6 gives them: every cell of every group."""
    counted = Counter(cell for cells in dwellings for cell in cells)
    return {"dwellings": len(dwellings), **{cell: counted[cell] for group in GROUPS for cell in group.cells}}


def test_a_cell_below_5_is_suppressed_and_the_smallest_other_cell_with_it():
    counts = counts_of([dwelling("label_c")] * 3 + [dwelling("label_d")] * 6 + [dwelling("label_e")] * 11)

    published = protected_counts(counts)

    assert (published["label_c"], published["label_d"], published["label_e"]) == (None, None, 11)
    assert published["label_b"] == 0 and published["dwellings"] == 20


def test_the_total_does_not_give_a_suppressed_cell_away():
    # 20 dwellings, 3 with label C: publishing D = 17 and the total would tell C = 20 - 17.
    counts = counts_of([dwelling("label_c")] * 3 + [dwelling("label_d")] * 17)

    published = protected_counts(counts)

    assert published["dwellings"] == 20
    assert (published["label_c"], published["label_d"]) == (None, None)


def test_two_suppressed_cells_of_one_dwelling_each_are_not_left_to_be_worked_out():
    # C = 1 and D = 1 suppressed: 12 - 10 = 2 left for two cells that are not 0 (0 is shown), so both would be 1.
    counts = counts_of([dwelling("label_c"), dwelling("label_d")] + [dwelling("label_e")] * 10)

    published = protected_counts(counts)

    assert (published["label_c"], published["label_d"], published["label_e"]) == (None, None, None)


def test_a_package_count_is_suppressed_when_it_or_the_dwellings_without_one_are_below_5():
    few = protected_counts(counts_of([dwelling(package=True)] * 3 + [dwelling()] * 17))
    nearly_all = protected_counts(counts_of([dwelling(package=True)] * 17 + [dwelling()] * 3))
    none = protected_counts(counts_of([dwelling()] * 20))
    all_of_them = protected_counts(counts_of([dwelling(package=True)] * 20))
    half = protected_counts(counts_of([dwelling(package=True)] * 10 + [dwelling()] * 10))

    assert [few["package_installed"], nearly_all["package_installed"], none["package_installed"],
            all_of_them["package_installed"], half["package_installed"]] == [None, None, 0, 20, 10]


def test_a_large_measure_paid_and_approved_are_protected_with_the_dwellings_without_it():
    dwellings = ([dwelling(large=("roof", "paid"))] * 2 + [dwelling(large=("roof", "approved"))] * 6
                 + [dwelling()] * 12)

    published = protected_counts(counts_of(dwellings))

    # paid = 2 is suppressed; the dwellings without roof insulation (not written) are its partner, so the 6
    # approved ones can be shown: 20 - 6 = 14 is paid and none together.
    assert (published["large_roof_paid"], published["large_roof_approved"]) == (None, 6)
    assert published["large_floor_paid"] == published["large_floor_approved"] == 0


def test_the_smallest_other_cell_is_chosen_and_a_free_hidden_cell_first():
    assert suppressed_in_group({"a": 3, "b": 7, "c": 6, "d": 0}) == {"a", "c"}
    assert suppressed_in_group({"a": 3, "b": 7, "rest": 40}, hidden="rest") == {"a", "rest"}
    assert suppressed_in_group({"a": 0, "b": 9, "c": 6}) == set()


def test_a_group_that_cannot_be_protected_moves_the_area_into_the_remainder():
    # Five dwellings, one in each of five label groups: every cell would have to go and even then each is 1.
    dwellings = [dwelling(label) for label in ("label_b", "label_c", "label_d", "label_e", "label_f")]

    assert suppressed_in_group({"b": 1, "c": 1, "d": 1, "e": 1, "f": 1}) is None
    assert protected_counts(counts_of(dwellings)) is None
    (remainder,) = protected_areas([("1211AB", counts_of(dwellings))])
    assert (remainder.level, remainder.code, remainder.counts["dwellings"]) == (POSTCODE4_REMAINDER, "1211", None)


def test_a_postcode6_below_5_goes_into_its_postcode4_remainder_which_is_protected_too():
    areas = [
        ("1211AB", counts_of([dwelling("label_d")] * 6)),
        ("1211AC", counts_of([dwelling("label_d")] * 3)),
        ("1211AD", counts_of([dwelling("label_d")] * 2 + [dwelling("label_e")] * 4)),  # E = 4: D and E suppressed
        ("1217GH", counts_of([dwelling("label_c")] * 4)),
        ("1222PN", counts_of([dwelling("label_c")] * 2)),
        ("1222PP", counts_of([dwelling("label_c")] * 3)),
    ]

    published = {area.code: area for area in protected_areas(areas)}

    assert list(published) == ["1211AB", "1211AD", "1211", "1217", "1222"]
    assert published["1211AB"].counts["label_d"] == 6
    assert (published["1211AD"].counts["label_d"], published["1211AD"].counts["label_e"]) == (None, None)
    assert (published["1211"].level, published["1211"].counts["dwellings"], published["1211"].counts["label_d"]) \
        == (POSTCODE4_REMAINDER, None, None)  # one postcode-6 of 3: the whole remainder suppressed
    assert all(value is None for value in published["1211"].counts.values())
    assert all(value is None for value in published["1217"].counts.values())
    assert (published["1222"].counts["dwellings"], published["1222"].counts["label_c"]) == (5, 5)


def test_a_published_count_minus_the_addresses_does_not_give_the_non_consenting_households_away():
    # The reviewer's example: 10 dwellings, label D 5 and E 5; 9 consent to address-level sharing (5 D, 4 E), so
    # publishing D 5 / E 5 would tell that the one household not in the file per address has label E.
    everyone = [dwelling("label_d")] * 5 + [dwelling("label_e")] * 5
    not_consenting = [dwelling("label_e")]

    assert protected_counts(counts_of(everyone)) is not None  # without the address level it would be published
    assert protected_counts(counts_of(everyone), counts_of(not_consenting)) is None  # 1 dwelling not consenting
    (remainder,) = protected_areas([("1211AB", counts_of(everyone), counts_of(not_consenting))])
    assert (remainder.level, remainder.counts["dwellings"], remainder.counts["label_e"]) \
        == (POSTCODE4_REMAINDER, None, None)


def test_a_cell_with_1_to_4_non_consenting_dwellings_is_suppressed_with_a_partner():
    # 20 dwellings, D 10 and E 10; 6 do not consent: 1 with D (10 - 9 listed = 1) and 5 with E.
    everyone = [dwelling("label_d")] * 10 + [dwelling("label_e")] * 10
    not_consenting = [dwelling("label_d")] + [dwelling("label_e")] * 5

    published = protected_counts(counts_of(everyone), counts_of(not_consenting))

    assert (published["dwellings"], published["label_d"], published["label_e"]) == (20, None, None)
    assert published["type_terraced"] == 20  # 6 of them not consenting: nothing to hide


def test_the_suppressed_cells_must_also_leave_the_non_consenting_dwellings_unpinned():
    # Totals C 3, D 7, E 10: C and D suppressed (3 + 7 > 2). Not consenting: C 0, D 1, E 5. The file per address
    # says C has 3 listed, so C >= 3 and D >= 1 + listed: C + D = 10 pins 0 and 1 non-consenting; E goes too.
    cells = {"c": 3, "d": 7, "e": 10}

    assert suppressed_in_group(cells) == {"c", "d"}
    assert suppressed_in_group(cells, not_consenting={"c": 0, "d": 1, "e": 5}) == {"c", "d", "e"}
    assert suppressed_in_group(cells, not_consenting={"c": 0, "d": 0, "e": 5}) == {"c", "d"}  # none: 0 is shown
    assert suppressed_in_group({"c": 2, "d": 1}, not_consenting={"c": 1, "d": 0}) is None


# --- The property: for random registers ----------------------------------------------------------------------------

POSTCODES = ["1211AB", "1211AC", "1211AD", "1215BM", "1215BN", "1221CE"]
A_DWELLING = st.builds(
    lambda label, kind, band, package, large: dwelling(label, kind, band, package, large),
    st.sampled_from(LABELS[1:6]), st.sampled_from(TYPES[:3]), st.sampled_from(BANDS[:4]), st.booleans(),
    st.one_of(st.none(), st.tuples(st.sampled_from(["roof", "floor"]), st.sampled_from(["paid", "approved"]))))
# (postcode-6, the dwelling's cells, whether its household consents to address-level sharing); most consent.
REGISTER = st.lists(st.tuples(st.sampled_from(POSTCODES), A_DWELLING, st.sampled_from([True, True, True, False])),
                    max_size=120)


def what_can_be_worked_out(row: dict, group, listed: dict | None = None) -> list[str]:
    """The problems an attacker finds in one group of a published row, knowing only the file (and that a written
    suppressed cell is at least 1, as 0 is shown): a cell of 1-4 shown or computed, or a suppressed cell pinned.
    With `listed` (the row's cells counted over the file per address) the same for the non-consenting dwellings:
    a published count minus the listed ones, and what the suppressed cells must hold then."""
    published = {cell: row[cell] for cell in group.published}
    unknown = [cell for cell, value in published.items() if value is None] + ([group.hidden] if group.hidden else [])
    left = row["dwellings"] - sum(value for value in published.values() if value is not None)
    problems = [f"{cell} = {value}" for cell, value in published.items() if value is not None and 0 < value < 5]
    if len(unknown) == 1 and 0 < left < 5:
        problems.append(f"{unknown[0]} = {left}, from the total")
    written_unknown = [cell for cell in unknown if cell != group.hidden]
    if written_unknown and (len(unknown) < 2 or left <= len(written_unknown)):
        problems.append(f"{unknown} pinned: {left} left")
    if listed is None:
        return problems
    shown = {cell: value - listed[cell] for cell, value in published.items() if value is not None}
    problems += [f"{cell}: {value} not consenting" for cell, value in shown.items() if 0 < value < 5]
    left = row["dwellings"] - listed["dwellings"] - sum(shown.values())
    at_least = {cell: max(0, (cell != group.hidden) - listed[cell]) for cell in unknown}
    if len(unknown) == 1 and 0 < left < 5:
        problems.append(f"{unknown[0]}: {left} not consenting, from the total")
    if unknown and left == sum(at_least.values()) and any(at_least.values()):
        problems.append(f"{unknown} pinned: {at_least} not consenting")
    return problems


@settings(max_examples=300, deadline=None)
@given(REGISTER)
def test_for_any_register_no_cell_below_5_is_published_or_can_be_worked_out(register):
    per_postcode: dict[str, list] = {}
    consenting: dict[str, list] = {}
    for postcode, cells, consents in register:
        per_postcode.setdefault(postcode, []).append(cells)
        consenting.setdefault(postcode, [])
        if consents:
            consenting[postcode].append(cells)
    true_counts = {code: counts_of(dwellings) for code, dwellings in sorted(per_postcode.items())}
    # What the file per address lists, counted per postcode-6: the consenting dwellings' cells.
    listed = {code: counts_of(dwellings) for code, dwellings in consenting.items()}
    not_consenting = {code: {key: count - listed[code][key] for key, count in counts.items()}
                      for code, counts in true_counts.items()}

    areas = protected_areas((code, counts, not_consenting[code]) for code, counts in true_counts.items())

    shown = {area.code: area for area in areas if area.level != POSTCODE4_REMAINDER}
    remainders = {area.code: area for area in areas if area.level == POSTCODE4_REMAINDER}

    def listed_in(area) -> dict:
        if area.level != POSTCODE4_REMAINDER:
            return listed[area.code]
        inside = [listed[code] for code in listed if code[:4] == area.code and code not in shown]
        return {key: sum(counts[key] for counts in inside) for key in listed[next(iter(listed))]}

    problems = []
    for area in areas:
        row = {key: area.counts[key] for key in COUNT_COLUMNS}
        if row["dwellings"] is None:
            continue
        file_per_address = listed_in(area)
        if 0 < row["dwellings"] - file_per_address["dwellings"] < 5:
            problems.append(f"{area.code}: {row['dwellings'] - file_per_address['dwellings']} not consenting")
        problems += [f"{area.code} {problem}" for group in GROUPS
                     for problem in what_can_be_worked_out(row, group, file_per_address)]
    assert problems == []
    assert all(area.counts["dwellings"] is None or area.counts["dwellings"] >= 5 for area in areas)
    # Every dwelling is in exactly one area; what is shown is true.
    for code, counts in true_counts.items():
        if code in shown:
            assert all(value in (None, counts[key]) for key, value in shown[code].counts.items())
        else:
            assert code[:4] in remainders
    for code, remainder in remainders.items():
        inside = [counts for postcode, counts in true_counts.items() if postcode[:4] == code and postcode not in shown]
        assert remainder.counts["dwellings"] in (None, sum(counts["dwellings"] for counts in inside))


@settings(max_examples=100, deadline=None)
@given(REGISTER)
def test_without_the_address_level_the_totals_alone_decide_as_before(register):
    # Nobody consenting (no file per address) is the same as passing no non-consenting counts.
    per_postcode: dict[str, list] = {}
    for postcode, cells, _ in register:
        per_postcode.setdefault(postcode, []).append(cells)
    true_counts = [(code, counts_of(dwellings)) for code, dwellings in sorted(per_postcode.items())]

    assert protected_areas(true_counts) == protected_areas((code, counts, counts) for code, counts in true_counts)
