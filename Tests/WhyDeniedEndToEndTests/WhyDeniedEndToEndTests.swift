// Tests for WhyDeniedEndToEnd.
