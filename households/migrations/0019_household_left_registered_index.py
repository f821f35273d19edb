# The retention run's candidates left registered (consent never given, refused, or withdrawn without erasure): due
# the programme's months after their last change (households.retention), read through this partial index.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("households", "0018_consent_names_its_statement"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="household",
            index=models.Index(condition=models.Q(("anonymised_at__isnull", True), ("status", "registered")),
                               fields=["updated_at"], name="household_left_registered"),
        ),
    ]
