"""The subsidy app's pages, one module per audience: `public` (the application form and the applicant's status
page, no account), `review` (applications for staff: the assessor's queue, an application's page and its
acts), `payments` (finance: payments due, marking paid, the payment batch)."""
