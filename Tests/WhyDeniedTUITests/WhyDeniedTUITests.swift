// Tests for WhyDeniedTUI.
