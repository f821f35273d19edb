"""E-mail to the applicant (and their community worker) about their application, sent by the background worker."""


def notify(application_id: int, act: str) -> None:
    """Called after an act's commit; sends the e-mail that belongs to the act, if any (submission, information
    request, decision, payment)."""
