// Tests for WhyDeniedSession.
