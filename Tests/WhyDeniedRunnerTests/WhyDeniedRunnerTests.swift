// Tests for WhyDeniedRunner.
