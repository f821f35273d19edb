"""The handyman's agenda, planning visits, the household page's field-work section, referrals and defect reports."""

urlpatterns = []
