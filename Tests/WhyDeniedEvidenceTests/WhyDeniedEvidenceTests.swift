// Tests for WhyDeniedEvidence.
