"""What each figure of the reports page means, said on the page itself in the reader's
language: staff writing a grant report need the definitions where the numbers are, not in a
developer document. Each entry is (name key, definition key); docs/reports.md holds the same
definitions for developers and must agree with these texts."""

from __future__ import annotations

DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("staff-reports-card-contacts", "staff-reports-def-contacts"),
    ("staff-reports-card-in-person", "staff-reports-def-in-person"),
    ("staff-reports-card-urgent", "staff-reports-def-urgent"),
    ("staff-reports-danger", "staff-reports-def-danger"),
    ("staff-reports-card-handed-off", "staff-reports-def-handed-off"),
    ("staff-reports-card-consultations", "staff-reports-def-consultations"),
    ("staff-reports-card-unclaimed", "staff-reports-def-unclaimed"),
    ("staff-reports-wait", "staff-reports-def-wait"),
    ("staff-reports-outcome", "staff-reports-def-outcome"),
    ("staff-reports-card-booked", "staff-reports-def-booked"),
    ("staff-reports-card-attended", "staff-reports-def-attended"),
    ("staff-reports-card-feedback", "staff-reports-def-feedback"),
    ("staff-reports-def-profile-name", "staff-reports-def-profile"),
    ("staff-reports-topic", "staff-reports-def-topics"),
    ("staff-reports-age", "staff-reports-def-age"),
    ("staff-reports-distinct", "staff-reports-def-distinct"),
    ("staff-reports-violence", "staff-reports-def-violence"),
    ("staff-reports-sex", "staff-reports-def-sex"),
    ("staff-reports-demographics", "staff-reports-def-demographics"),
    ("staff-reports-registry-referral", "staff-reports-def-registry-referral"),
    ("staff-reports-programme", "staff-reports-def-programme"),
    ("staff-reports-def-period-name", "staff-reports-def-period"),
    ("staff-reports-plan", "staff-reports-def-plan"),
    ("staff-reports-def-sessions-name", "staff-reports-def-sessions"),
    ("staff-reports-def-questionnaires-name", "staff-reports-def-questionnaires"),
    ("staff-reports-def-grant-name", "staff-reports-def-grant"),
)
