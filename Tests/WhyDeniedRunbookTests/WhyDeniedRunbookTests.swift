// Tests for WhyDeniedRunbook.
