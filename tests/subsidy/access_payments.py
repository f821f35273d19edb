"""Access expectations: payments (see tests/subsidy/access.py).

Finance officers and the coordinator see the payments due and the exports (`subsidy.view_payments`); only finance
officers record a payment and ask for an export (`subsidy.pay_application`); everyone else 403, anonymous 302.
"""

import datetime

from django.utils import timezone

from tests.access import Url
from tests.subsidy.expect import expect

OTHERS = {"handyman": 403, "handyman2": 403, "community": 403, "assessor": 403}


def _batch(objects):
    from subsidy.payments import request_batch, write_batch

    objects["payout_set"]  # a payment due
    batch = request_batch(objects["programme"], by=objects["people"]["finance"], execution_date=timezone.localdate())
    write_batch(batch.pk)
    return batch


MAKERS = {"batch": _batch}


def paid(o):
    return {"paid_on": timezone.localdate().isoformat(), "iban": "NL91 ABNA 0417 1643 00",
            "version": o["payout_set"].version}


def batch(o):
    return {"pk": o["batch"].pk}


def tomorrow(o):
    o["payout_set"]  # a payment due, to export
    return {"execution_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}


URLS = [
    Url("subsidy:payments", expect(**OTHERS, finance=200, coordinator=200)),
    Url("subsidy:mark_paid", expect(**OTHERS, finance=200, coordinator=403),
        kwargs=lambda o: {"pk": o["payout_set"].pk}),
    Url("subsidy:mark_paid", expect(**OTHERS, finance=302, coordinator=403),
        kwargs=lambda o: {"pk": o["payout_set"].pk}, method="post", data=paid),
    Url("subsidy:start_payment_batch", expect(**OTHERS, finance=302, coordinator=403), method="post", data=tomorrow),
    Url("subsidy:payment_batch", expect(**OTHERS, finance=200, coordinator=200), kwargs=batch),
    Url("subsidy:payment_batch_download", expect(**OTHERS, finance=200, coordinator=200),
        kwargs=lambda o: {**batch(o), "kind": "sepa"}),
    Url("subsidy:payment_batch_download", expect(**OTHERS, finance=200, coordinator=200),
        kwargs=lambda o: {**batch(o), "kind": "xlsx"}),
    Url("subsidy:payment_batch_download", expect(**OTHERS, finance=200, coordinator=200),
        kwargs=lambda o: {**batch(o), "kind": "csv"}),
]
